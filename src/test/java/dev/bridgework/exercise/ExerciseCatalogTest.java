package dev.bridgework.exercise;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalog loader: the shipped files are valid, and each kind of broken file is refused by name. */
@Timeout(30)
class ExerciseCatalogTest {

  private static JsonObject step(String id, String kind) {
    JsonObject step = new JsonObject().put("id", id).put("prompt", "What happened?").put("hint", "Take your time.")
        .put("kind", kind);
    if (kind.equals("scale")) step.put("min", 0).put("max", 10).put("minLabel", "low").put("maxLabel", "high");
    if (kind.equals("emotions")) step.put("options", new JsonArray().add("sad").add("calm"));
    return step;
  }

  private static JsonObject exercise(String id) {
    return new JsonObject().put("id", id).put("practice", "mirror").put("title", "A title").put("summary", "A summary")
        .put("minutes", 10).put("steps", new JsonArray().add(step("one", "text")).add(step("two", "emotions"))
            .add(step("three", "scale")).add(step("four", "part")));
  }

  private static String file(JsonObject... exercises) {
    return new JsonArray(List.of((Object[]) exercises)).encode();
  }

  /** A valid exercise changed by {@code change}, parsed as "broken.json": answers the failure message. */
  private static String rejection(Consumer<JsonObject> change) {
    JsonObject exercise = exercise("broken-one");
    change.accept(exercise);
    return assertThrows(CatalogException.class, () -> ExerciseCatalog.parseFile("broken.json", file(exercise))).getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) assertTrue(message.contains(part), "'" + message + "' should mention '" + part + "'");
  }

  @Test
  void theShippedCatalogLoadsAndCoversEveryPractice() {
    ExerciseCatalog catalog = ExerciseCatalog.loadFromClasspath();
    assertTrue(catalog.all().size() >= 6);
    Set<String> practices = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (Exercise e : catalog.all()) {
      practices.add(e.practice());
      assertTrue(ids.add(e.id()), "duplicate " + e.id());
      assertTrue(e.steps().size() >= 4 && e.steps().size() <= 8, e.id());
    }
    assertEquals(Exercise.PRACTICES, practices);
    assertTrue(catalog.find("free-blank-page").isPresent());
    assertTrue(catalog.find("no-such-exercise").isEmpty());
  }

  @Test
  void aValidFileParses() {
    List<Exercise> parsed = ExerciseCatalog.parseFile("good.json", file(exercise("good-one")));
    assertEquals(1, parsed.size());
    Exercise e = parsed.get(0);
    assertEquals("good-one", e.id());
    assertEquals(4, e.steps().size());
    Step scale = e.step("three").orElseThrow();
    assertEquals(0, scale.min());
    assertEquals(10, scale.max());
    assertEquals(List.of("sad", "calm"), e.step("two").orElseThrow().options());
  }

  @Test
  void duplicateExerciseIdAcrossFilesIsRefusedNamingBothFiles() {
    LinkedHashMap<String, String> files = new LinkedHashMap<>();
    files.put("first.json", file(exercise("same-id")));
    files.put("second.json", file(exercise("other-id"), exercise("same-id")));
    String message = assertThrows(CatalogException.class, () -> ExerciseCatalog.fromFiles(files)).getMessage();
    assertMentions(message, "exercises/second.json", "same-id", "exercises/first.json");
  }

  @Test
  void duplicateExerciseIdWithinAFileIsRefused() {
    String message = assertThrows(CatalogException.class,
        () -> ExerciseCatalog.parseFile("twice.json", file(exercise("twin"), exercise("twin")))).getMessage();
    assertMentions(message, "exercises/twice.json", "twin", "already used");
  }

  @Test
  void duplicateStepIdIsRefused() {
    String message = rejection(e -> e.getJsonArray("steps").getJsonObject(1).put("id", "one"));
    assertMentions(message, "exercises/broken.json", "broken-one", "step #2", "one", "used twice");
  }

  @Test
  void unknownStepKindIsRefused() {
    String message = rejection(e -> e.getJsonArray("steps").getJsonObject(0).put("kind", "drawing"));
    assertMentions(message, "exercises/broken.json", "broken-one", "step #1", "drawing", "emotions, part, scale, text");
  }

  @Test
  void tooFewStepsAreRefused() {
    String message = rejection(e -> e.getJsonArray("steps").remove(3));
    assertMentions(message, "exercises/broken.json", "broken-one", "3 steps", "4 to 8");
  }

  @Test
  void tooManyStepsAreRefused() {
    String message = rejection(e -> {
      for (int i = 0; i < 5; i++) e.getJsonArray("steps").add(step("extra-" + i, "text"));
    });
    assertMentions(message, "broken-one", "9 steps");
  }

  @Test
  void unknownPracticeIsRefused() {
    String message = rejection(e -> e.put("practice", "venting"));
    assertMentions(message, "exercises/broken.json", "broken-one", "venting", "checkin, data, free, mirror, parts, trust");
  }

  @Test
  void scaleNeedsMinBelowMax() {
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(2).put("min", 10)), "step #3", "min (10)", "max (10)");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(2).put("min", 7).put("max", 3)), "less than max");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(2).remove("max")), "step #3", "max must be a whole number");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(2).put("min", 0.5)), "min must be a whole number");
  }

  @Test
  void scaleFieldsOnlyBelongToScaleSteps() {
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(0).put("min", 0)), "step #1", "min is only for scale steps");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(0).put("options", new JsonArray().add("x"))),
        "options are only for emotions steps");
  }

  @Test
  void aStepMayNameThePartFieldItFillsAndAFollowUp() throws Exception {
    JsonObject ok = exercise("fills-and-follows");
    ok.getJsonArray("steps").getJsonObject(0).put("fills", "belief")
        .put("followUp", new JsonObject().put("kind", "offer").put("days", 7));
    var step = ExerciseCatalog.parseFile("ok.json", file(ok)).get(0).steps().get(0);
    assertTrue(step.toJson().getString("fills").equals("belief"));
    assertTrue(step.toJson().getJsonObject("followUp").equals(new JsonObject().put("kind", "offer").put("days", 7)));
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(0).put("fills", "shoeSize")), "step #1", "fills 'shoeSize'");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(0).put("followUp",
        new JsonObject().put("kind", "someday").put("days", 7))), "followUp kind 'someday'");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(0).put("followUp",
        new JsonObject().put("kind", "offer").put("days", 0))), "between 1 and 90");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(0).put("followUp",
        new JsonObject().put("kind", "offer").put("days", 7).put("weeks", 1))), "weeks");
  }

  @Test
  void emotionsStepsNeedWordsAsOptions() {
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(1).remove("options")), "step #2", "needs options");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(1).put("options", new JsonArray())), "needs options");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(1).put("options", new JsonArray().add("sad").add("sad"))),
        "'sad' is listed twice");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(1).put("options", new JsonArray().add(3))),
        "option '3'");
  }

  @Test
  void missingOrWrongTypedFieldsAreRefused() {
    assertMentions(rejection(e -> e.remove("title")), "broken-one", "title must be a non-empty string");
    assertMentions(rejection(e -> e.put("summary", "  ")), "summary must be a non-empty string");
    assertMentions(rejection(e -> e.put("minutes", "ten")), "minutes must be a whole number");
    assertMentions(rejection(e -> e.put("minutes", 0)), "minutes must be between 1 and 240");
    assertMentions(rejection(e -> e.put("steps", "none")), "steps must be an array");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(0).remove("prompt")), "step #1", "prompt");
    assertMentions(rejection(e -> e.getJsonArray("steps").set(0, "text")), "step #1 must be a JSON object");
    assertMentions(rejection(e -> e.put("id", "Not An Id")), "exercise #1", "'Not An Id'");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(0).put("id", "a.b")), "step #1", "'a.b'");
  }

  @Test
  void unknownFieldsAreRefusedSoTyposDoNotGoUnnoticed() {
    assertMentions(rejection(e -> e.put("minuets", 5)), "broken-one", "unknown field 'minuets'");
    assertMentions(rejection(e -> e.getJsonArray("steps").getJsonObject(0).put("hnit", "x")), "step #1", "unknown field 'hnit'");
  }

  @Test
  void notJsonOrNotAnArrayIsRefusedNamingTheFile() {
    assertMentions(assertThrows(CatalogException.class, () -> ExerciseCatalog.parseFile("bad.json", "[{\"id\": ")).getMessage(),
        "exercises/bad.json", "not valid JSON");
    assertMentions(assertThrows(CatalogException.class, () -> ExerciseCatalog.parseFile("obj.json", "{}")).getMessage(),
        "exercises/obj.json", "must be a JSON array");
    assertMentions(assertThrows(CatalogException.class, () -> ExerciseCatalog.parseFile("num.json", "[1]")).getMessage(),
        "exercises/num.json", "exercise #1 must be a JSON object");
  }

  @Test
  void theIndexMustListDistinctJsonFiles() {
    assertEquals(List.of("a.json", "b.json"), ExerciseCatalog.parseIndex("[\"a.json\", \"b.json\"]"));
    assertMentions(assertThrows(CatalogException.class, () -> ExerciseCatalog.parseIndex("{}")).getMessage(),
        "exercises/index.json", "JSON array");
    assertMentions(assertThrows(CatalogException.class, () -> ExerciseCatalog.parseIndex("[\"a.json\", \"a.json\"]")).getMessage(),
        "'a.json' twice");
    assertMentions(assertThrows(CatalogException.class, () -> ExerciseCatalog.parseIndex("[\"../secret\"]")).getMessage(),
        "'../secret' is not a file name");
    assertMentions(assertThrows(CatalogException.class, () -> ExerciseCatalog.parseIndex("[]")).getMessage(), "lists no files");
  }

  @Test
  void loadingFromAClasspathNamesAMissingOrBrokenFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path exercises = java.nio.file.Files.createDirectories(dir.resolve("exercises"));
    java.nio.file.Files.writeString(exercises.resolve("index.json"), "[\"good.json\", \"missing.json\"]");
    java.nio.file.Files.writeString(exercises.resolve("good.json"), file(exercise("good-one")));
    try (var loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, null)) {
      assertMentions(assertThrows(CatalogException.class, () -> ExerciseCatalog.loadFrom(loader)).getMessage(),
          "exercises/index.json", "'missing.json'", "not on the classpath");
    }
    JsonObject broken = exercise("broken-one");
    broken.getJsonArray("steps").getJsonObject(2).put("max", -3);
    java.nio.file.Files.writeString(exercises.resolve("missing.json"), file(broken));
    try (var loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, null)) {
      assertMentions(assertThrows(CatalogException.class, () -> ExerciseCatalog.loadFrom(loader)).getMessage(),
          "exercises/missing.json", "broken-one", "step #3", "less than max");
    }
    java.nio.file.Files.writeString(exercises.resolve("missing.json"), file(exercise("second-one")));
    try (var loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, null)) {
      assertEquals(List.of("good-one", "second-one"), ExerciseCatalog.loadFrom(loader).all().stream().map(Exercise::id).toList());
    }
  }

  @Test
  void anEmptyCatalogIsRefused() {
    LinkedHashMap<String, String> files = new LinkedHashMap<>();
    files.put("empty.json", "[]");
    assertMentions(assertThrows(CatalogException.class, () -> ExerciseCatalog.fromFiles(files)).getMessage(), "no exercises");
  }
}
