package dev.bridgework.prompt;

import dev.bridgework.exercise.CatalogException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prompt catalog: the shipped files are valid and cover the practices; each kind of broken file is refused by name. */
@Timeout(30)
class PromptCatalogTest {

  private static JsonObject question(String id) {
    return new JsonObject().put("id", id).put("text", "What did you feel?").put("hint", "Take your time.");
  }

  private static JsonObject single(String id) {
    return new JsonObject().put("id", id).put("practice", "mirror").put("kind", "single").put("title", "A title")
        .put("summary", "A summary").put("questions", new JsonArray().add(question("one")));
  }

  private static String broken(Consumer<JsonObject> change) {
    JsonObject prompt = single("a-prompt");
    change.accept(prompt);
    CatalogException e = assertThrows(CatalogException.class,
        () -> PromptCatalog.parseFile("broken.json", new JsonArray().add(prompt).encode()));
    assertTrue(e.getMessage().startsWith("prompts/broken.json: prompt #1"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void theShippedCatalogLoadsAndCoversTheFourPracticesAndTheHardMomentSequence() {
    PromptCatalog catalog = PromptCatalog.loadFromClasspath();
    Set<String> practices = catalog.all().stream().map(CatalogPrompt::practice).collect(Collectors.toSet());
    assertEquals(Set.of("mirror", "parts", "data", "trust"), practices);
    CatalogPrompt hard = catalog.find("after-a-hard-moment").orElseThrow();
    assertEquals("guided", hard.kind());
    assertEquals(List.of("felt", "needed", "part", "next-step"), hard.questions().stream().map(CatalogPrompt.Question::id).toList());
    for (CatalogPrompt p : catalog.all()) {
      for (CatalogPrompt.Question q : p.questions()) assertTrue(!q.hint().isBlank(), p.id() + "/" + q.id() + " has a hint");
    }
  }

  @Test
  void eachKindOfMistakeIsRefusedNamingFilePromptAndProblem() {
    assertTrue(broken(p -> p.put("colour", "blue")).contains("unknown field 'colour'"));
    assertTrue(broken(p -> p.put("id", "Not An Id")).contains("must be lower-case"));
    assertTrue(broken(p -> p.put("practice", "free")).contains("practice 'free' is not one of data, mirror, parts, trust"));
    assertTrue(broken(p -> p.put("kind", "quiz")).contains("kind 'quiz'"));
    assertTrue(broken(p -> p.remove("title")).contains("title must be a non-empty string"));
    assertTrue(broken(p -> p.getJsonArray("questions").add(question("two"))).contains("exactly 1 question"));
    assertTrue(broken(p -> p.put("kind", "guided")).contains("3 to 6 questions"));
    assertTrue(broken(p -> p.put("kind", "guided").put("questions", new JsonArray().add(question("a")).add(question("a"))
        .add(question("b")))).contains("question id 'a' is used twice"));
    assertTrue(broken(p -> p.getJsonArray("questions").getJsonObject(0).put("text", "x".repeat(501))).contains("longer than 500"));
    assertTrue(broken(p -> p.getJsonArray("questions").getJsonObject(0).put("hint", 3)).contains("hint must be a string"));
  }

  @Test
  void idsAreUniqueAcrossFilesAndJsonMustParse() {
    LinkedHashMap<String, String> files = new LinkedHashMap<>();
    files.put("a.json", new JsonArray().add(single("same")).encode());
    files.put("b.json", new JsonArray().add(single("same")).encode());
    CatalogException e = assertThrows(CatalogException.class, () -> PromptCatalog.fromFiles(files));
    assertEquals("prompts/b.json: prompt id 'same' is already used in prompts/a.json", e.getMessage());
    CatalogException json = assertThrows(CatalogException.class, () -> PromptCatalog.parseFile("x.json", "[{"));
    assertTrue(json.getMessage().startsWith("prompts/x.json: is not valid JSON"), json.getMessage());
  }
}
