package dev.bridgework.exercise;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A guided exercise of the catalog: a practice, a few words about it, and 4–8 steps. */
public record Exercise(String id, String practice, String title, String summary, int minutes, List<Step> steps) {
  public static final Set<String> PRACTICES = Set.of("mirror", "parts", "data", "trust", "free", "checkin");

  public Optional<Step> step(String stepId) {
    return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
  }

  public JsonObject toJson() {
    JsonArray stepsJson = new JsonArray();
    steps.forEach(s -> stepsJson.add(s.toJson()));
    return new JsonObject().put("id", id).put("practice", practice).put("title", title).put("summary", summary)
        .put("minutes", minutes).put("steps", stepsJson);
  }
}
