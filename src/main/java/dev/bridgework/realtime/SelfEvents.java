package dev.bridgework.realtime;

import dev.bridgework.storage.OwnedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Tells a person's other devices about a change to their private work, on their {@code self}
 * stream, exactly once (docs/REALTIME.md "Exactly one event per change"): the collection writes
 * each save with its event's mark, deletions are listed before they happen, and this completes
 * them. The event's data is the item as stored (as its owner's client sealed it), or its id.
 */
public final class SelfEvents {
  private static final Logger LOG = LoggerFactory.getLogger(SelfEvents.class);
  private final Outbox outbox;
  private final OwnedCollection collection;
  private final String deletedKind;

  public SelfEvents(EventLog events, OwnedCollection collection, String savedKind, String deletedKind) {
    this.outbox = events.outbox();
    this.collection = collection;
    this.deletedKind = deletedKind;
    collection.announcing(outbox.pending(), savedKind);
    outbox.register(collection.name(), (docId, doc, mark) -> Future.succeededFuture(EventLog.Rendered.of(
        doc == null ? new JsonObject().put("id", docId) : collection.resourceOf(doc))));
  }

  /**
   * Completes the events the item owes (a save's, or an earlier attempt's). The change is already
   * stored: if its event cannot be yet, the answer still reports the saved item, and the sweep
   * completes the event later.
   */
  public Future<Void> saved(String id) {
    return outbox.settle(collection.name(), id).recover(e -> {
      LOG.warn("A {} event is owed and left to the sweep: {}", collection.name(), e.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * Deletes the owner's item, its event listed first; answers whether it was deleted, counting a
   * deletion an earlier attempt left unannounced (the retry completes it).
   */
  public Future<Boolean> delete(String ownerId, String id) {
    return outbox.settleDeletion(collection.name(), id).compose(earlier -> collection.find(ownerId, id).compose(item -> {
      if (item == null) return Future.succeededFuture(earlier);
      return outbox.deleting(collection.name(), id, Stream.SELF, ownerId, deletedKind).compose(mark ->
          collection.delete(ownerId, id).compose(deleted -> outbox.completeDeletion(collection.name(), id, mark)
              // Not deleted by us: gone meanwhile (another device's deletion, sharing this entry,
              // which is then announced once) or never the caller's (then nothing is announced).
              .map(deleted)
              .recover(e -> {
                if (!deleted) return Future.failedFuture(e);
                LOG.warn("A {} deletion event is owed and left to the sweep: {}", collection.name(), e.toString());
                return Future.succeededFuture(true);
              })));
    }));
  }

}
