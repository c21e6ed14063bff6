package dev.bridgework.share;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which step ids each exercise has, read once from the catalog on the class path
 * ({@code exercises/index.json} lists the files), so an excerpt's {@code stepId} can be checked
 * against the exercise of the reflection it came from.
 */
final class ExerciseSteps {
  private final Map<String, Set<String>> stepsByExercise;

  private ExerciseSteps(Map<String, Set<String>> stepsByExercise) {
    this.stepsByExercise = stepsByExercise;
  }

  /** Blocking class-path reads: call at start-up. */
  static ExerciseSteps load() {
    Map<String, Set<String>> steps = new HashMap<>();
    for (Object file : new JsonArray(read("exercises/index.json"))) {
      for (Object e : new JsonArray(read("exercises/" + file))) {
        JsonObject exercise = (JsonObject) e;
        steps.put(exercise.getString("id"), exercise.getJsonArray("steps", new JsonArray()).stream()
            .map(s -> ((JsonObject) s).getString("id")).collect(Collectors.toUnmodifiableSet()));
      }
    }
    return new ExerciseSteps(Map.copyOf(steps));
  }

  boolean has(String exerciseId, String stepId) {
    return exerciseId != null && stepsByExercise.getOrDefault(exerciseId, Set.of()).contains(stepId);
  }

  private static String read(String resource) {
    try (InputStream in = ExerciseSteps.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
