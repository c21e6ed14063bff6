package dev.bridgework.held;

import dev.bridgework.web.Envelope;
import dev.bridgework.web.JsonBody;
import dev.bridgework.web.SealedBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/** The body of {@code PUT /api/held/{id}}: {@code {sealed, version}}; every word is inside the envelope. */
record HeldInput(Envelope sealed, Long version) {
  /** Content fields that belong inside the envelope: sent in the clear they are a 400. */
  static final Set<String> CLEAR = Set.of("type", "title", "excerpts", "note", "intent", "answers", "text", "promptId", "remindAt");

  static HeldInput fromJson(RoutingContext ctx) {
    JsonBody body = SealedBody.read(ctx, Set.of(), CLEAR);
    return new HeldInput(SealedBody.envelope(body), body.version());
  }

  JsonObject content() {
    return new JsonObject().put("sealed", sealed.json());
  }
}
