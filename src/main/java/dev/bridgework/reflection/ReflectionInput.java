package dev.bridgework.reflection;

import dev.bridgework.exercise.ExerciseCatalog;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Envelope;
import dev.bridgework.web.JsonBody;
import dev.bridgework.web.SealedBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * The body of {@code PUT /api/reflections/{id}}: {@code exerciseId} (an exercise of the catalog),
 * {@code status} and the answers sealed by the client in {@code sealed} (API.md "End-to-end
 * encryption of private work"). The rules for answers by step kind are the client's now: the
 * server cannot read them.
 */
record ReflectionInput(String exerciseId, String status, Envelope sealed, Long version) {
  static final Set<String> STATUSES = Set.of("draft", "complete");
  static final Set<String> PLAIN = Set.of("exerciseId", "status");
  static final Set<String> CLEAR = Set.of("answers");

  static ReflectionInput fromJson(RoutingContext ctx, ExerciseCatalog catalog) {
    JsonBody body = SealedBody.read(ctx, PLAIN, CLEAR);
    String exerciseId = body.string("exerciseId", true, 1, 200);
    if (catalog.find(exerciseId).isEmpty()) {
      throw ApiException.invalid("exerciseId", "There is no exercise '" + shorten(exerciseId) + "'.");
    }
    String status = body.oneOf("status", true, STATUSES);
    return new ReflectionInput(exerciseId, status, SealedBody.envelope(body), body.version());
  }

  /** The content as stored and compared: what a reflection shows besides id, version and times. */
  JsonObject content() {
    return new JsonObject().put("exerciseId", exerciseId).put("status", status).put("sealed", sealed.json());
  }

  /** Client-supplied names go into error messages; keep them short. */
  private static String shorten(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }
}
