package dev.bridgework.reflection;

import dev.bridgework.exercise.Exercise;
import dev.bridgework.exercise.ExerciseCatalog;
import dev.bridgework.exercise.Step;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.JsonBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code PUT /api/reflections/{id}}, checked against its exercise's steps (API.md
 * "Private work"): {@code text} a string of at most 20,000 characters, {@code scale} a whole number
 * within the step's range, {@code emotions} up to 30 words of 1–50 characters, {@code part} a part
 * id or null. Any step may be left out; null clears a step. Errors name the answer, for example
 * {@code answers.how-strong}.
 *
 * @param partAnswers step id → part id, for every non-null {@code part} answer (checked against the
 *                    caller's parts map by the service, which needs the database)
 */
record ReflectionInput(Exercise exercise, JsonObject answers, String status, Long version, Map<String, String> partAnswers) {
  static final Set<String> STATUSES = Set.of("draft", "complete");
  static final Set<String> ALLOWED = Set.of("exerciseId", "answers", "status", "version");
  static final Set<String> SERVER_FIELDS = Set.of("id", "createdAt", "updatedAt");
  static final int MAX_EMOTIONS = 30;
  static final int MAX_EMOTION_LENGTH = 50;

  static ReflectionInput fromJson(JsonBody body, ExerciseCatalog catalog) {
    String exerciseId = body.string("exerciseId", true, 1, 200);
    Exercise exercise = catalog.find(exerciseId)
        .orElseThrow(() -> ApiException.invalid("exerciseId", "There is no exercise '" + shorten(exerciseId) + "'."));
    JsonObject raw = body.object("answers", true);
    String status = body.oneOf("status", true, STATUSES);
    Long version = body.version();
    JsonObject answers = new JsonObject();
    Map<String, String> parts = new LinkedHashMap<>();
    for (String stepId : raw.fieldNames()) {
      String field = "answers." + shorten(stepId);
      Step step = exercise.step(stepId)
          .orElseThrow(() -> ApiException.invalid(field, "This exercise has no step '" + shorten(stepId) + "'."));
      Object value = raw.getValue(stepId);
      Object normalized = value == null ? null : answer(step, field, value);
      if (normalized != null && Step.PART.equals(step.kind())) parts.put(stepId, (String) normalized);
      answers.put(stepId, normalized);
    }
    return new ReflectionInput(exercise, answers, status, version, parts);
  }

  /** The content as stored and compared: what a reflection resource shows besides id, version and times. */
  JsonObject content() {
    return new JsonObject().put("exerciseId", exercise.id()).put("answers", answers.copy()).put("status", status);
  }

  private static Object answer(Step step, String field, Object value) {
    switch (step.kind()) {
      case Step.TEXT -> {
        if (!(value instanceof String s)) throw ApiException.invalid(field, "'" + field + "' must be text.");
        JsonBody.checkText(field, s, 0, JsonBody.MAX_TEXT);
        return s;
      }
      case Step.SCALE -> {
        return JsonBody.checkInteger(field, value, step.min(), step.max());
      }
      case Step.EMOTIONS -> {
        return emotions(field, value);
      }
      case Step.PART -> {
        if (!(value instanceof String s) || !Ids.isUuid(s)) {
          throw ApiException.invalid(field, "'" + field + "' must be the id of one of your parts, or null.");
        }
        return s.toLowerCase();
      }
      default -> throw new IllegalStateException("unknown step kind " + step.kind());
    }
  }

  /** A list of feeling words (check-ins use the same rule). */
  static JsonArray emotions(String field, Object value) {
    if (!(value instanceof JsonArray array)) throw ApiException.invalid(field, "'" + field + "' must be a list of words.");
    if (array.size() > MAX_EMOTIONS) {
      throw ApiException.invalid(field, "'" + field + "' allows at most " + MAX_EMOTIONS + " words.");
    }
    for (Object item : array) {
      if (!(item instanceof String word)) throw ApiException.invalid(field, "'" + field + "' must be a list of words.");
      JsonBody.checkText(field, word, 1, MAX_EMOTION_LENGTH);
      if (word.isBlank()) throw ApiException.invalid(field, "'" + field + "' has an empty word.");
    }
    return array.copy();
  }

  /** Client-supplied names go into error messages; keep them short. */
  private static String shorten(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }
}
