package dev.bridgework.followup;

import dev.bridgework.web.Envelope;
import dev.bridgework.web.JsonBody;
import dev.bridgework.web.SealedBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * The body of {@code PUT /api/followups/{id}}: {@code {sealed, version}}. What it is about, when it
 * is due and whether it is done are all inside the envelope (docs/PRIVATE-WORK.md "Follow-ups").
 */
record FollowupInput(Envelope sealed, Long version) {
  /** Content fields a careless client might send in the clear: refused, never stored. */
  static final Set<String> CLEAR = Set.of("type", "text", "dueAt", "done", "doneAt", "reflectionId", "exerciseId", "stepId");

  static FollowupInput fromJson(RoutingContext ctx) {
    JsonBody body = SealedBody.read(ctx, Set.of(), CLEAR);
    return new FollowupInput(SealedBody.envelope(body), body.version());
  }

  JsonObject content() {
    return new JsonObject().put("sealed", sealed.json());
  }
}
