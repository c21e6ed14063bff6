package dev.bridgework.share;

import dev.bridgework.storage.DataKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Something one partner shared into the joint space: a snapshot (its own copy of the words, never a
 * link to the private reflection), with the sharer's intent, the couple's responses and the
 * counseling flag. {@link #toJson()} is the contract's {@code share}.
 *
 * <p>Stored in one document, responses included, so every change is a single-document atomic
 * write. Title, excerpts, note and response text are sealed with the couple's data key.
 * {@code version} counts the author's edits only (optimistic concurrency for {@code PUT}):
 * responses and the flag, which either partner may add at any time, are single guarded atomic
 * updates of their own and never make the author's next edit conflict.
 *
 * <p>{@code discussedAt} (null until then) is set when a joint review that had the share on its
 * agenda is closed without carrying the share over (docs/REVIEW.md "Closing").
 */
public record Share(String id, String coupleId, String authorId, String reflectionId, String exerciseId, String title,
                    List<Excerpt> excerpts, String note, String intent, boolean counseling, List<Response> responses,
                    String createdAt, String updatedAt, long version, String kind, String promptId,
                    String discussedAt) {
  /** The kind of a share whose excerpts are both partners' answers to one prompt (the prompt feature's reveal). */
  public static final String PAIR = "pair";

  /** An ordinary share: one author, their words. */
  public Share(String id, String coupleId, String authorId, String reflectionId, String exerciseId, String title,
               List<Excerpt> excerpts, String note, String intent, boolean counseling, List<Response> responses,
               String createdAt, String updatedAt, long version) {
    this(id, coupleId, authorId, reflectionId, exerciseId, title, excerpts, note, intent, counseling, responses,
        createdAt, updatedAt, version, null, null, null);
  }

  /**
   * A paired share: both partners' answers to one prompt, revealed together. {@code authorId} is the
   * partner who proposed the prompt (so code that expects one author keeps working); each excerpt names
   * the partner who wrote it.
   */
  public static Share pair(String id, String coupleId, String proposedBy, String promptId, String title,
                           List<Excerpt> answers, String at) {
    return new Share(id, coupleId, proposedBy, null, null, title, answers, "", "respond", false, List.of(), at, at, 1,
        PAIR, promptId, null);
  }

  public boolean isPair() {
    return PAIR.equals(kind);
  }

  /** Whether the user wrote any of this share's words (its author, or one of a pair's answerers). */
  public boolean hasWordsOf(String userId) {
    return authorId.equals(userId) || isPair() && excerpts.stream().anyMatch(e -> userId.equals(e.authorId()));
  }

  /** Excerpts carry {@code authorId} only in a pair (each partner's answer). */
  public record Excerpt(String stepId, String text, String authorId) {
    public Excerpt(String stepId, String text) {
      this(stepId, text, null);
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("stepId", stepId).put("text", text);
      if (authorId != null) json.put("authorId", authorId);
      return json;
    }

    static Excerpt fromJson(JsonObject json) {
      return new Excerpt(json.getString("stepId"), json.getString("text"), json.getString("authorId"));
    }
  }

  public record Response(String id, String authorId, String kind, String ack, String text, String createdAt) {
    public static final String ACK = "ack";
    public static final String COMMENT = "comment";

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("authorId", authorId).put("kind", kind).put("ack", ack)
          .put("text", text).put("createdAt", createdAt);
    }

    /** Stored in share {@code shareId}; the text is sealed for that share and this response. */
    JsonObject toDocument(String shareId, DataKey key) {
      return new JsonObject().put("id", id).put("authorId", authorId).put("kind", kind).put("ack", ack)
          .put("text", key.seal(COLLECTION, shareId, textField(id), text)).put("createdAt", createdAt);
    }

    static Response fromDocument(String shareId, JsonObject doc, DataKey key) {
      String id = doc.getString("id");
      return new Response(id, doc.getString("authorId"), doc.getString("kind"), doc.getString("ack"),
          key.open(COLLECTION, shareId, textField(id), doc.getString("text")), doc.getString("createdAt"));
    }

    /** The field a response's text is sealed for: {@code responses.<responseId>.text}. */
    public static String textField(String responseId) {
      return "responses." + responseId + ".text";
    }

    boolean sameContent(String kind, String ack, String text) {
      return this.kind.equals(kind) && java.util.Objects.equals(this.ack, ack) && java.util.Objects.equals(this.text, text);
    }
  }

  public Response response(String responseId) {
    return responses.stream().filter(r -> r.id().equals(responseId)).findFirst().orElse(null);
  }

  public JsonObject toJson() {
    JsonArray ex = new JsonArray();
    excerpts.forEach(e -> ex.add(e.toJson()));
    JsonArray rs = new JsonArray();
    responses.forEach(r -> rs.add(r.toJson()));
    JsonObject json = new JsonObject().put("id", id).put("authorId", authorId).put("reflectionId", reflectionId).put("title", title)
        .put("excerpts", ex).put("note", note).put("intent", intent).put("counseling", counseling).put("responses", rs)
        .put("createdAt", createdAt).put("updatedAt", updatedAt).put("version", version).put("discussedAt", discussedAt);
    if (isPair()) json.put("kind", PAIR).put("promptId", promptId);
    return json;
  }

  static JsonArray excerptsJson(List<Excerpt> excerpts) {
    JsonArray ex = new JsonArray();
    excerpts.forEach(e -> ex.add(e.toJson()));
    return ex;
  }

  static JsonArray responsesDocument(String shareId, List<Response> responses, DataKey key) {
    JsonArray rs = new JsonArray();
    responses.forEach(r -> rs.add(r.toDocument(shareId, key)));
    return rs;
  }

  /** The collection shares are stored in: part of every sealed field's associated data. */
  public static final String COLLECTION = "shares";

  /**
   * The author-editable fields of share {@code shareId} as stored, each sealed for its own field of
   * that share ({@link DataKey#seal(String, String, String, String)}), so a title cannot be moved
   * into another share or into a note.
   */
  static JsonObject contentDocument(String shareId, String reflectionId, String exerciseId, String title,
                                    List<Excerpt> excerpts, String note, String intent, DataKey key) {
    return new JsonObject().put("reflectionId", reflectionId).put("exerciseId", exerciseId)
        .put("title", key.seal(COLLECTION, shareId, "title", title))
        .put("excerpts", key.sealJson(COLLECTION, shareId, "excerpts", new JsonObject().put("items", excerptsJson(excerpts))))
        .put("note", key.seal(COLLECTION, shareId, "note", note)).put("intent", intent);
  }

  JsonObject toDocument(DataKey key) {
    JsonObject doc = contentDocument(id, reflectionId, exerciseId, title, excerpts, note, intent, key)
        .put("_id", id).put("coupleId", coupleId).put("authorId", authorId).put("counseling", counseling)
        .put("responses", responsesDocument(id, responses, key)).put("createdAt", createdAt).put("updatedAt", updatedAt)
        .put("version", version).put("discussedAt", discussedAt);
    if (isPair()) doc.put("kind", PAIR).put("promptId", promptId);
    return doc;
  }

  static Share fromDocument(JsonObject doc, DataKey key) {
    String id = doc.getString("_id");
    List<Excerpt> excerpts = new ArrayList<>();
    JsonObject sealedExcerpts = key.openJson(COLLECTION, id, "excerpts", doc.getString("excerpts"));
    if (sealedExcerpts != null) {
      sealedExcerpts.getJsonArray("items", new JsonArray()).forEach(o -> excerpts.add(Excerpt.fromJson((JsonObject) o)));
    }
    List<Response> responses = new ArrayList<>();
    doc.getJsonArray("responses", new JsonArray()).forEach(o -> responses.add(Response.fromDocument(id, (JsonObject) o, key)));
    return new Share(doc.getString("_id"), doc.getString("coupleId"), doc.getString("authorId"), doc.getString("reflectionId"),
        doc.getString("exerciseId"), key.open(COLLECTION, id, "title", doc.getString("title")), List.copyOf(excerpts),
        key.open(COLLECTION, id, "note", doc.getString("note")),
        doc.getString("intent"), doc.getBoolean("counseling", false), List.copyOf(responses), doc.getString("createdAt"),
        doc.getString("updatedAt"), doc.getLong("version", 1L), doc.getString("kind"), doc.getString("promptId"),
        doc.getString("discussedAt"));
  }
}
