package dev.bridgework.realtime;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells a person's other devices about a change to their private work, on their {@code self} stream. */
public final class SelfEvents {
  private static final Logger LOG = LoggerFactory.getLogger(SelfEvents.class);
  private final EventLog events;

  public SelfEvents(EventLog events) {
    this.events = events;
  }

  /**
   * The change is already stored: if the event cannot be, the answer still reports the saved item
   * and the devices catch up through a stream reset.
   */
  public Future<Void> announce(String ownerId, String kind, JsonObject data) {
    return events.append(Stream.self(ownerId), kind, data).<Void>mapEmpty().recover(e -> {
      LOG.warn("Could not append {} to a self stream: {}", kind, e.toString());
      return Future.succeededFuture();
    });
  }
}
