package dev.bridgework.checkin;

import dev.bridgework.web.Envelope;
import dev.bridgework.web.JsonBody;
import dev.bridgework.web.SealedBody;
import dev.bridgework.web.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.Set;

/**
 * The body of {@code PUT /api/checkins/{id}}: {@code at} optional (when absent: the server's time
 * for a new check-in, the stored time for an existing one), the emotions, intensity and note sealed
 * by the client in {@code sealed}, {@code version} optional.
 */
record CheckinInput(Instant at, Envelope sealed, Long version) {
  static final Set<String> CLEAR = Set.of("emotions", "intensity", "note");

  static CheckinInput fromJson(RoutingContext ctx) {
    JsonBody body = SealedBody.read(ctx, Set.of("at"), CLEAR);
    String at = body.string("at", false, 1, 100);
    return new CheckinInput(at == null ? null : Times.parse(at, "at"), SealedBody.envelope(body), body.version());
  }

  /** The content as stored and compared, with {@code at} resolved. */
  JsonObject content(String resolvedAt) {
    return new JsonObject().put("at", resolvedAt).put("sealed", sealed.json());
  }
}
