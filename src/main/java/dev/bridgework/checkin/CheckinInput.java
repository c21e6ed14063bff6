package dev.bridgework.checkin;

import dev.bridgework.web.ApiException;
import dev.bridgework.web.JsonBody;
import dev.bridgework.web.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Set;

/**
 * The body of {@code PUT /api/checkins/{id}}: {@code emotions} (up to 30 words of 1–50 characters),
 * {@code intensity} 0..10, {@code note} optional text, {@code at} optional (when absent: the server's
 * time for a new check-in, the stored time for an existing one), {@code version} optional.
 */
record CheckinInput(JsonArray emotions, int intensity, String note, Instant at, Long version) {
  static final Set<String> ALLOWED = Set.of("emotions", "intensity", "note", "at", "version");
  static final Set<String> SERVER_FIELDS = Set.of("id", "createdAt", "updatedAt");
  static final int MAX_EMOTIONS = 30;
  static final int MAX_EMOTION_LENGTH = 50;

  static CheckinInput fromJson(JsonBody body) {
    JsonArray emotions = body.array("emotions", true, 0, MAX_EMOTIONS);
    for (Object item : emotions) {
      if (!(item instanceof String word)) throw ApiException.invalid("emotions", "'emotions' must be a list of words.");
      JsonBody.checkText("emotions", word, 1, MAX_EMOTION_LENGTH);
      if (word.isBlank()) throw ApiException.invalid("emotions", "'emotions' has an empty word.");
    }
    int intensity = body.integer("intensity", true, 0, 10);
    String note = body.string("note", false, 0, JsonBody.MAX_TEXT);
    String at = body.string("at", false, 1, 100);
    return new CheckinInput(emotions.copy(), intensity, note, at == null ? null : Times.parse(at, "at"), body.version());
  }

  /** The content as stored and compared, with {@code at} resolved. */
  JsonObject content(String resolvedAt) {
    return new JsonObject().put("emotions", emotions.copy()).put("intensity", intensity).put("note", note)
        .put("at", resolvedAt);
  }
}
