package dev.bridgework.review;

import dev.bridgework.storage.DataKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A joint review: the couple's agenda for one counseling appointment (API.md "Joint review").
 *
 * <p>In memory the notes are plain text; {@link #toDocument} seals each note with the couple's key
 * and {@link #fromDocument} opens them, so only sealed text reaches the database. Notes and
 * ready flags are stored as arrays of {@code {userId, ...}} rather than objects keyed by user id,
 * so no id ever becomes a field name. {@code rev} counts stored changes: every write is
 * conditional on it (optimistic concurrency on one document, which both database servers do
 * atomically), so two partners editing at once never overwrite each other.
 */
public record Review(String id, String coupleId, String status, List<AgendaItem> agenda, Map<String, Boolean> ready,
                     String startedBy, String createdAt, String closedAt, long rev) {
  public static final String OPEN = "open";
  public static final String CLOSED = "closed";

  /** One agenda item: a share of the couple and each partner's own note on it (userId → text). */
  public record AgendaItem(String shareId, Map<String, String> notes) {
    public AgendaItem {
      notes = Map.copyOf(notes);
    }

    /** Notes in a stable order (by user id), for JSON and documents that compare equal. */
    Map<String, String> sortedNotes() {
      Map<String, String> sorted = new LinkedHashMap<>();
      notes.keySet().stream().sorted().forEach(k -> sorted.put(k, notes.get(k)));
      return sorted;
    }
  }

  public Review {
    agenda = List.copyOf(agenda);
    ready = Map.copyOf(ready);
  }

  public boolean isOpen() {
    return OPEN.equals(status);
  }

  public boolean hasItem(String shareId) {
    return agenda.stream().anyMatch(item -> item.shareId().equals(shareId));
  }

  /** The contract's {@code review}. */
  public JsonObject toJson() {
    JsonArray items = new JsonArray();
    for (AgendaItem item : agenda) {
      JsonObject notes = new JsonObject();
      item.sortedNotes().forEach(notes::put);
      items.add(new JsonObject().put("shareId", item.shareId()).put("notes", notes));
    }
    JsonObject readyJson = new JsonObject();
    ready.keySet().stream().sorted().forEach(k -> readyJson.put(k, ready.get(k)));
    return new JsonObject().put("id", id).put("status", status).put("agenda", items).put("ready", readyJson)
        .put("startedBy", startedBy).put("createdAt", createdAt).put("closedAt", closedAt);
  }

  /** The stored form: every note sealed by {@code seal}. */
  /** The collection reviews are stored in, and the field a note is sealed for ({@code agenda.<shareId>.notes.<userId>}). */
  static final String COLLECTION = "reviews";

  static String noteField(String shareId, String userId) {
    return "agenda." + shareId + ".notes." + userId;
  }

  /** The stored form: every note sealed with the couple's key for its own place (review, share, author). */
  JsonObject toDocument(DataKey key) {
    return toDocument((shareId, userId, text) -> key.seal(COLLECTION, id, noteField(shareId, userId), text));
  }

  static Review fromDocument(JsonObject doc, DataKey key) {
    String id = doc.getString("_id");
    return fromDocument(doc, (shareId, userId, text) -> key.open(COLLECTION, id, noteField(shareId, userId), text));
  }

  /** Seals or opens one note, knowing where it belongs. */
  interface NoteCipher {
    String apply(String shareId, String userId, String text);
  }

  private JsonObject toDocument(NoteCipher seal) {
    JsonArray items = new JsonArray();
    for (AgendaItem item : agenda) {
      JsonArray notes = new JsonArray();
      item.sortedNotes().forEach((userId, text) -> notes.add(new JsonObject().put("userId", userId).put("text", seal.apply(item.shareId(), userId, text))));
      items.add(new JsonObject().put("shareId", item.shareId()).put("notes", notes));
    }
    JsonArray readyList = new JsonArray();
    ready.keySet().stream().sorted().forEach(k -> readyList.add(new JsonObject().put("userId", k).put("ready", ready.get(k))));
    return new JsonObject().put("_id", id).put("coupleId", coupleId).put("status", status).put("agenda", items)
        .put("ready", readyList).put("startedBy", startedBy).put("createdAt", createdAt).put("closedAt", closedAt)
        .put("rev", rev);
  }

  private static Review fromDocument(JsonObject doc, NoteCipher open) {
    List<AgendaItem> agenda = new ArrayList<>();
    for (Object o : doc.getJsonArray("agenda", new JsonArray())) {
      JsonObject item = (JsonObject) o;
      Map<String, String> notes = new LinkedHashMap<>();
      for (Object n : item.getJsonArray("notes", new JsonArray())) {
        JsonObject note = (JsonObject) n;
        notes.put(note.getString("userId"), open.apply(item.getString("shareId"), note.getString("userId"), note.getString("text")));
      }
      agenda.add(new AgendaItem(item.getString("shareId"), notes));
    }
    Map<String, Boolean> ready = new LinkedHashMap<>();
    for (Object o : doc.getJsonArray("ready", new JsonArray())) {
      JsonObject r = (JsonObject) o;
      ready.put(r.getString("userId"), r.getBoolean("ready", false));
    }
    return new Review(doc.getString("_id"), doc.getString("coupleId"), doc.getString("status"), agenda, ready,
        doc.getString("startedBy"), doc.getString("createdAt"), doc.getString("closedAt"), doc.getLong("rev", 0L));
  }

  Review withAgenda(List<AgendaItem> newAgenda) {
    return new Review(id, coupleId, status, newAgenda, ready, startedBy, createdAt, closedAt, rev);
  }

  Review withReady(Map<String, Boolean> newReady) {
    return new Review(id, coupleId, status, agenda, newReady, startedBy, createdAt, closedAt, rev);
  }

  Review closed(String at) {
    return new Review(id, coupleId, CLOSED, agenda, ready, startedBy, createdAt, at, rev);
  }

  /** The same review with every trace of one share gone (its agenda item and the notes on it). */
  Review without(String shareId) {
    return withAgenda(agenda.stream().filter(item -> !item.shareId().equals(shareId)).toList());
  }

  /** True when the visible content (everything but {@code rev}) is the same. */
  boolean sameContent(Review other) {
    return toJson().equals(other.toJson());
  }
}
