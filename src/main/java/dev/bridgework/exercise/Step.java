package dev.bridgework.exercise;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * One step of an exercise. {@code kind} decides what an answer looks like (API.md "Private work"):
 * {@code text} a string, {@code scale} an integer in {@code min..max}, {@code emotions} a list of
 * words ({@code options} are suggestions, people may add their own), {@code part} the id of one of
 * the person's parts. The scale and emotions fields are null for the other kinds.
 */
public record Step(String id, String prompt, String hint, String kind,
                   Integer min, Integer max, String minLabel, String maxLabel, List<String> options,
                   String fills, FollowUp followUp) {
  /**
   * A step whose answer asks to be looked at again later (docs/EXERCISES.md): {@code offer} makes the
   * answer an offer to oneself, {@code revisit} a reminder to come back to this step; due after {@code days}.
   */
  public record FollowUp(String kind, int days) {
    public static final Set<String> KINDS = Set.of("offer", "revisit");

    JsonObject toJson() {
      return new JsonObject().put("kind", kind).put("days", days);
    }
  }

  /** The part fields a parts exercise's answers may fill; {@code visitNote} is kept with the dated visit only. */
  public static final Set<String> FILLS = Set.of("name", "belief", "bodySense", "feelingToward", "fears", "needs",
      "triggers", "hopes", "notes", "visitNote");

  public static final String TEXT = "text";
  public static final String SCALE = "scale";
  public static final String EMOTIONS = "emotions";
  public static final String PART = "part";
  public static final Set<String> KINDS = Set.of(TEXT, SCALE, EMOTIONS, PART);

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("prompt", prompt).put("hint", hint).put("kind", kind);
    if (SCALE.equals(kind)) {
      json.put("min", min).put("max", max).put("minLabel", minLabel).put("maxLabel", maxLabel);
    }
    if (EMOTIONS.equals(kind)) json.put("options", new JsonArray(options));
    if (fills != null) json.put("fills", fills);
    if (followUp != null) json.put("followUp", followUp.toJson());
    return json;
  }
}
