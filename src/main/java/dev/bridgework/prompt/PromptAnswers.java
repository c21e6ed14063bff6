package dev.bridgework.prompt;

import dev.bridgework.storage.DataKey;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.JsonBody;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * What a held answer may be, and how it is held: checked against the prompt's questions, then
 * padded to one fixed size and sealed with the couple's key for exactly its place
 * ({@code prompts/<id>/answers.<userId>}), so neither its text nor its length shows, and it opens
 * nowhere else.
 */
final class PromptAnswers {
  /**
   * Every held answer is sealed at exactly this many bytes of plaintext, so its size says nothing:
   * 20,000 UTF-16 characters are at most 60,000 bytes of UTF-8 (control characters other than tab
   * and line breaks are refused, so JSON escapes at most double a character), plus the question ids.
   */
  static final int PADDED_BYTES = 64 * 1024;
  /** All answers of one person to one prompt, together, in UTF-16 characters (the padding is sized for this). */
  static final int MAX_ANSWER_CHARS = 20_000;

  private PromptAnswers() {
  }

  /** The answers, checked against the prompt's questions: at least one, each 1–20,000 characters, 20,000 in all. */
  static JsonObject valid(CatalogPrompt prompt, JsonObject answers) {
    if (answers == null || answers.isEmpty()) throw ApiException.invalid("answers", "Write an answer to at least one question.");
    JsonObject clean = new JsonObject();
    int total = 0;
    for (String qid : answers.fieldNames()) {
      if (prompt.question(qid) == null) throw ApiException.invalid("answers." + qid, "This prompt has no question '" + qid + "'.");
      if (!(answers.getValue(qid) instanceof String text)) throw ApiException.invalid("answers." + qid, "An answer is text.");
      JsonBody.checkText("answers." + qid, text, 0, MAX_ANSWER_CHARS);
      if (text.isBlank()) continue;
      total += text.length();
      clean.put(qid, text);
    }
    if (clean.isEmpty()) throw ApiException.invalid("answers", "Write an answer to at least one question.");
    if (total > MAX_ANSWER_CHARS) {
      throw ApiException.invalid("answers", "Answers to one prompt hold at most " + MAX_ANSWER_CHARS + " characters in all.");
    }
    return clean;
  }

  /** {@code {"answers":{…}}} followed by spaces up to exactly {@link #PADDED_BYTES} bytes of UTF-8. */
  static String padded(JsonObject answers) {
    String json = new JsonObject().put("answers", answers).encode();
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > PADDED_BYTES) throw ApiException.invalid("answers", "These answers are too long to hold.");
    return json + " ".repeat(PADDED_BYTES - bytes);
  }

  static String field(String userId) {
    return "answers." + userId;
  }

  static String seal(DataKey key, String promptId, String userId, JsonObject answers) {
    return key.seal(PromptRepository.PROMPTS, promptId, field(userId), padded(answers));
  }

  /** Opens a held answer (one sealed before answers were bound to their place opens too). */
  static JsonObject open(DataKey key, String promptId, String userId, String sealed) {
    return new JsonObject(key.open(PromptRepository.PROMPTS, promptId, field(userId), sealed).strip()).getJsonObject("answers");
  }
}
