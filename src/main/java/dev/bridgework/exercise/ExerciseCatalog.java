package dev.bridgework.exercise;

import static dev.bridgework.exercise.CatalogFields.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The exercise catalog: data files on the classpath ({@code exercises/index.json} lists the files,
 * each an array of exercises), read once at start-up and validated strictly, so a typo in a file
 * stops the server with a message naming the file and the problem instead of surfacing as a broken
 * step in someone's reflection. Loading is blocking IO: call {@link #loadFromClasspath()} off the
 * event loop.
 */
public final class ExerciseCatalog {
  public static final String DIRECTORY = "exercises/";
  public static final String INDEX = "index.json";
  static final int MIN_STEPS = 4;
  static final int MAX_STEPS = 8;
  /** Emotion options follow the same limits as emotion answers (at most 30 words of 1–50 characters). */
  static final int MAX_OPTIONS = 30;
  static final int MAX_OPTION_LENGTH = 50;
  /** Ids become URL segments and answer keys ({@code answers.<stepId>}): lower-case words with dashes. */
  private static final Set<String> EXERCISE_FIELDS = Set.of("id", "practice", "title", "summary", "minutes", "steps");
  private static final Set<String> STEP_FIELDS =
      Set.of("id", "prompt", "hint", "kind", "min", "max", "minLabel", "maxLabel", "options", "fills",
          "followUp");

  private final List<Exercise> exercises;
  private final Map<String, Exercise> byId;

  private ExerciseCatalog(List<Exercise> exercises) {
    this.exercises = List.copyOf(exercises);
    Map<String, Exercise> map = new LinkedHashMap<>();
    exercises.forEach(e -> map.put(e.id(), e));
    this.byId = map;
  }

  /** Reads {@code exercises/index.json} and the files it lists from the classpath (blocking). */
  public static ExerciseCatalog loadFromClasspath() {
    return loadFrom(ExerciseCatalog.class.getClassLoader());
  }

  static ExerciseCatalog loadFrom(ClassLoader loader) {
    String indexText = read(loader, INDEX);
    if (indexText == null) throw new CatalogException(DIRECTORY + INDEX + ": not found on the classpath");
    LinkedHashMap<String, String> files = new LinkedHashMap<>();
    for (String name : parseIndex(indexText)) {
      String text = read(loader, name);
      if (text == null) throw new CatalogException(DIRECTORY + INDEX + ": lists '" + name + "', which is not on the classpath");
      files.put(name, text);
    }
    return fromFiles(files);
  }

  private static String read(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(DIRECTORY + name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + DIRECTORY + name, e);
    }
  }

  /** The file names listed by the index: a JSON array of distinct {@code *.json} names. */
  static List<String> parseIndex(String text) {
    String where = DIRECTORY + INDEX;
    Object value = decode(where, text);
    if (!(value instanceof JsonArray array)) throw new CatalogException(where + ": must be a JSON array of file names");
    List<String> names = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String name) || !name.matches("^[A-Za-z0-9_-]+\\.json$")) {
        throw new CatalogException(where + ": '" + item + "' is not a file name such as mirror.json");
      }
      if (names.contains(name)) throw new CatalogException(where + ": lists '" + name + "' twice");
      names.add(name);
    }
    if (names.isEmpty()) throw new CatalogException(where + ": lists no files");
    return names;
  }

  /**
   * A catalog from file contents (file name → JSON text, in order), validated as a whole: each file on
   * its own, then ids unique across all files.
   */
  public static ExerciseCatalog fromFiles(LinkedHashMap<String, String> files) {
    List<Exercise> all = new ArrayList<>();
    Map<String, String> fileOfId = new LinkedHashMap<>();
    files.forEach((name, text) -> {
      for (Exercise exercise : parseFile(name, text)) {
        String earlier = fileOfId.putIfAbsent(exercise.id(), name);
        if (earlier != null) {
          throw new CatalogException(DIRECTORY + name + ": exercise id '" + exercise.id() + "' is already used"
              + (earlier.equals(name) ? " earlier in this file" : " in " + DIRECTORY + earlier));
        }
        all.add(exercise);
      }
    });
    if (all.isEmpty()) throw new CatalogException("the exercise catalog has no exercises");
    return new ExerciseCatalog(all);
  }

  /** One catalog file: a JSON array of exercises. Fails with a message naming the file, exercise and step. */
  public static List<Exercise> parseFile(String name, String text) {
    String file = DIRECTORY + name;
    Object value = decode(file, text);
    if (!(value instanceof JsonArray array)) throw new CatalogException(file + ": must be a JSON array of exercises");
    List<Exercise> exercises = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      String where = file + ": exercise #" + (i + 1);
      if (!(item instanceof JsonObject json)) throw new CatalogException(where + " must be a JSON object");
      Exercise exercise = exercise(where, json);
      if (!ids.add(exercise.id())) {
        throw new CatalogException(file + ": exercise id '" + exercise.id() + "' is already used earlier in this file");
      }
      exercises.add(exercise);
    }
    return exercises;
  }

  private static Exercise exercise(String where, JsonObject json) {
    where = where + label(json);
    unknownFields(where, json, EXERCISE_FIELDS);
    String id = id(where, json);
    String practice = text(where, json, "practice", 20);
    if (!Exercise.PRACTICES.contains(practice)) {
      throw new CatalogException(where + ": practice '" + practice + "' is not one of " + sorted(Exercise.PRACTICES));
    }
    String title = text(where, json, "title", 200);
    String summary = text(where, json, "summary", 2_000);
    int minutes = integer(where, json, "minutes");
    if (minutes < 1 || minutes > 240) throw new CatalogException(where + ": minutes must be between 1 and 240");
    if (!(json.getValue("steps") instanceof JsonArray stepsJson)) {
      throw new CatalogException(where + ": steps must be an array");
    }
    if (stepsJson.size() < MIN_STEPS || stepsJson.size() > MAX_STEPS) {
      throw new CatalogException(where + ": has " + stepsJson.size() + " steps; an exercise has "
          + MIN_STEPS + " to " + MAX_STEPS);
    }
    List<Step> steps = new ArrayList<>();
    Set<String> stepIds = new HashSet<>();
    for (int i = 0; i < stepsJson.size(); i++) {
      String stepWhere = where + ", step #" + (i + 1);
      if (!(stepsJson.getValue(i) instanceof JsonObject stepJson)) {
        throw new CatalogException(stepWhere + " must be a JSON object");
      }
      Step step = step(stepWhere, stepJson);
      if (!stepIds.add(step.id())) throw new CatalogException(stepWhere + ": step id '" + step.id() + "' is used twice");
      steps.add(step);
    }
    return new Exercise(id, practice, title, summary, minutes, List.copyOf(steps));
  }

  private static Step step(String where, JsonObject json) {
    where = where + label(json);
    unknownFields(where, json, STEP_FIELDS);
    String id = id(where, json);
    String prompt = text(where, json, "prompt", 1_000);
    String hint = json.getValue("hint") == null ? "" : optionalText(where, json, "hint", 2_000);
    String kind = text(where, json, "kind", 20);
    if (!Step.KINDS.contains(kind)) {
      throw new CatalogException(where + ": kind '" + kind + "' is not one of " + sorted(Step.KINDS));
    }
    boolean scale = Step.SCALE.equals(kind);
    boolean emotions = Step.EMOTIONS.equals(kind);
    for (String field : List.of("min", "max", "minLabel", "maxLabel")) {
      if (!scale && json.containsKey(field)) throw new CatalogException(where + ": " + field + " is only for scale steps");
    }
    if (!emotions && json.containsKey("options")) throw new CatalogException(where + ": options are only for emotions steps");
    Integer min = null;
    Integer max = null;
    String minLabel = null;
    String maxLabel = null;
    if (scale) {
      min = integer(where, json, "min");
      max = integer(where, json, "max");
      if (min >= max) throw new CatalogException(where + ": scale min (" + min + ") must be less than max (" + max + ")");
      minLabel = json.getValue("minLabel") == null ? "" : optionalText(where, json, "minLabel", 100);
      maxLabel = json.getValue("maxLabel") == null ? "" : optionalText(where, json, "maxLabel", 100);
    }
    List<String> options = null;
    if (emotions) options = options(where, json);
    String fills = null;
    if (json.containsKey("fills")) {
      fills = text(where, json, "fills", 40);
      if (!Step.FILLS.contains(fills)) throw new CatalogException(where + ": fills '" + fills + "' is not one of " + sorted(Step.FILLS));
    }
    Step.FollowUp followUp = json.containsKey("followUp") ? followUp(where, json) : null;
    return new Step(id, prompt, hint, kind, min, max, minLabel, maxLabel, options, fills, followUp);
  }

  private static Step.FollowUp followUp(String where, JsonObject json) {
    if (!(json.getValue("followUp") instanceof JsonObject f)) throw new CatalogException(where + ": followUp must be an object");
    unknownFields(where + ", followUp", f, Set.of("kind", "days"));
    String kind = text(where + ", followUp", f, "kind", 20);
    if (!Step.FollowUp.KINDS.contains(kind)) {
      throw new CatalogException(where + ": followUp kind '" + kind + "' is not one of " + sorted(Step.FollowUp.KINDS));
    }
    int days = integer(where + ", followUp", f, "days");
    if (days < 1 || days > 90) throw new CatalogException(where + ": followUp days must be between 1 and 90");
    return new Step.FollowUp(kind, days);
  }

  private static List<String> options(String where, JsonObject json) {
    if (!(json.getValue("options") instanceof JsonArray array) || array.isEmpty()) {
      throw new CatalogException(where + ": an emotions step needs options, a non-empty array of words");
    }
    if (array.size() > MAX_OPTIONS) throw new CatalogException(where + ": has more than " + MAX_OPTIONS + " options");
    List<String> options = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.isBlank() || s.length() > MAX_OPTION_LENGTH) {
        throw new CatalogException(where + ": option '" + item + "' must be a word of 1 to " + MAX_OPTION_LENGTH + " characters");
      }
      if (options.contains(s)) throw new CatalogException(where + ": option '" + s + "' is listed twice");
      options.add(s);
    }
    return List.copyOf(options);
  }

  /** " ('the-id')" when the object has a string id, so messages say which exercise or step is meant. */
  public List<Exercise> all() {
    return exercises;
  }

  public Optional<Exercise> find(String id) {
    return Optional.ofNullable(id == null ? null : byId.get(id));
  }

  /** {@code {exercises:[...]}} as the contract's list answer. */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    exercises.forEach(e -> list.add(e.toJson()));
    return new JsonObject().put("exercises", list);
  }
}
