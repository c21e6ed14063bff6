package dev.bridgework.parts;

import dev.bridgework.web.Envelope;
import dev.bridgework.web.JsonBody;
import dev.bridgework.web.SealedBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * The body of {@code PUT /api/parts/{id}}: a part of the parts map, sealed by the client. Its name,
 * role and every text field travel inside {@code sealed}; the client enforces their rules.
 */
record PartInput(Envelope sealed, Long version) {
  static final Set<String> CLEAR = Set.of("name", "role", "belief", "bodySense", "feelingToward", "fears", "needs", "notes");

  static PartInput fromJson(RoutingContext ctx) {
    JsonBody body = SealedBody.read(ctx, Set.of(), CLEAR);
    return new PartInput(SealedBody.envelope(body), body.version());
  }

  JsonObject content() {
    return new JsonObject().put("sealed", sealed.json());
  }
}
