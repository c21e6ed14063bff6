package dev.bridgework.kept;

import dev.bridgework.web.Envelope;
import dev.bridgework.web.JsonBody;
import dev.bridgework.web.SealedBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/** The body of {@code PUT /api/kept/{id}}: {@code {sealed, version}}; every word is inside the envelope. */
record KeptInput(Envelope sealed, Long version) {
  static final Set<String> CLEAR = Set.of("source", "title", "excerpts", "note", "intent", "notes", "text");

  static KeptInput fromJson(RoutingContext ctx) {
    JsonBody body = SealedBody.read(ctx, Set.of(), CLEAR);
    return new KeptInput(SealedBody.envelope(body), body.version());
  }

  JsonObject content() {
    return new JsonObject().put("sealed", sealed.json());
  }
}
