package dev.bridgework.prompt;

import dev.bridgework.couple.Couple;
import io.vertx.core.json.JsonObject;

/**
 * A prompt one partner asked the couple to answer apart: one document ({@code prompts}), changed
 * only by compare-and-set on {@code _id, rev}, so submitting, withdrawing, cancelling and revealing
 * are single-document atomic steps. While it is open the document holds each submitted answer
 * sealed with the couple's key and padded to one fixed size ({@link PromptAnswers#PADDED_BYTES}), so
 * neither the answer nor its length can be read from the database; the contract's JSON
 * ({@link #toJson}) only ever says who has answered.
 */
record AskedPrompt(JsonObject doc) {
  static final String OPEN = "open";
  static final String REVEALED = "revealed";

  String id() {
    return doc.getString("_id");
  }

  String coupleId() {
    return doc.getString("coupleId");
  }

  String catalogId() {
    return doc.getString("promptId");
  }

  String status() {
    return doc.getString("status");
  }

  boolean isOpen() {
    return OPEN.equals(status());
  }

  long rev() {
    return doc.getLong("rev", 0L);
  }

  String shareId() {
    return doc.getString("shareId");
  }

  JsonObject answers() {
    return doc.getJsonObject("answers", new JsonObject());
  }

  boolean hasAnswerOf(String userId) {
    return answers().containsKey(userId);
  }

  /** Revealed, but the reveal's share is not yet stored (the answers are still here). */
  boolean revealUnfinished() {
    return REVEALED.equals(status()) && !answers().isEmpty();
  }

  /**
   * The contract's {@code prompt}: never an answer, its size or anything derived from it, only who
   * has answered; {@code shareId} once revealed.
   */
  JsonObject toJson(Couple couple, CatalogPrompt prompt) {
    JsonObject answered = new JsonObject();
    boolean revealed = REVEALED.equals(status());
    for (String member : couple.memberIds()) answered.put(member, revealed || hasAnswerOf(member));
    return new JsonObject().put("id", id()).put("promptId", catalogId())
        .put("title", prompt == null ? "" : prompt.title())
        .put("kind", prompt == null ? CatalogPrompt.SINGLE : prompt.kind())
        .put("proposedBy", doc.getString("proposedBy")).put("status", status()).put("answered", answered)
        .put("shareId", revealed ? shareId() : null)
        .put("createdAt", doc.getString("createdAt")).put("updatedAt", doc.getString("updatedAt"))
        .put("revealedAt", doc.getString("revealedAt"));
  }
}
