package dev.bridgework.prompt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * A couple prompt from the catalog: one question both partners answer apart, or a guided sequence
 * of questions (such as "after a hard moment") answered the same way. {@link #toJson()} is the
 * contract's catalog {@code prompt} (docs/PROMPTS.md).
 */
public record CatalogPrompt(String id, String practice, String kind, String title, String summary, List<Question> questions) {
  public static final String SINGLE = "single";
  public static final String GUIDED = "guided";
  public static final Set<String> KINDS = Set.of(SINGLE, GUIDED);
  /** The four practices of PRODUCT.md. */
  public static final Set<String> PRACTICES = Set.of("mirror", "parts", "data", "trust");

  public record Question(String id, String text, String hint) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("text", text).put("hint", hint);
    }
  }

  public Question question(String questionId) {
    return questions.stream().filter(q -> q.id().equals(questionId)).findFirst().orElse(null);
  }

  public JsonObject toJson() {
    JsonArray qs = new JsonArray();
    questions.forEach(q -> qs.add(q.toJson()));
    return new JsonObject().put("id", id).put("practice", practice).put("kind", kind).put("title", title)
        .put("summary", summary).put("questions", qs);
  }
}
