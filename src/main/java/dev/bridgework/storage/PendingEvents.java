package dev.bridgework.storage;

import dev.bridgework.web.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.util.List;

/**
 * The storage half of "no change without its event" (ARCHITECTURE.md, docs/REALTIME.md "Exactly
 * one event per change"). A change that must be announced carries a marker,
 * {@code pendingEvents.<op>: {type, key, kind, at}}, written in the same single-document atomic
 * update as the change itself, so the database never holds the change without a note that its
 * event is owed. The event log then appends it idempotently (keyed by {@code op}) and the marker
 * is cleared.
 *
 * <p>The embedded database cannot find "documents with a marker" without reading every document,
 * so each change is also listed in {@code pending_events} (keyed by {@code _id}, a small
 * collection: one entry per change in flight) <em>before</em> its document is written; the sweep
 * reads only that. An entry whose document holds no marker is a change that completed, or never
 * happened (the write failed), and is dropped.
 *
 * <p>A deletion leaves no document to carry a marker: its entry is the marker. It is keyed by
 * {@code del:<collection>:<id>}, so a retried delete finds it, and holds its own {@code op}.
 */
public final class PendingEvents {
  public static final String FIELD = "pendingEvents";
  public static final String COLLECTION = "pending_events";

  private final MongoClient mongo;
  private final MongoClient deferred;
  private final Clock clock;

  /**
   * A change's owed event: which stream, which kind, and the op that keys its append; {@code ref}
   * names the part of the document the change was about, when one document holds many (a held
   * item's reminder in a person's record), or is null.
   */
  public record Mark(String op, String type, String key, String kind, long at, String ref) {
    public Mark(String op, String type, String key, String kind, long at) {
      this(op, type, key, kind, at, null);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("type", type).put("key", key).put("kind", kind).put("at", at);
      return ref == null ? json : json.put("ref", ref);
    }

    /** The dotted path of this marker on its document. */
    public String path() {
      return FIELD + "." + op;
    }

    /** {@code {"pendingEvents.<op>": {...}}}, to merge into a {@code $set} (or an inserted document, see {@link #onInsert}). */
    public JsonObject set() {
      return new JsonObject().put(path(), toJson());
    }

    public static Mark fromJson(String op, JsonObject json) {
      return new Mark(op, json.getString("type"), json.getString("key"), json.getString("kind"), json.getLong("at", 0L),
          json.getString("ref"));
    }
  }

  public PendingEvents(MongoClient mongo, Clock clock) {
    this(mongo, mongo, clock);
  }

  /** {@code deferred}: the client for writes a later durable write of the same request makes durable. */
  public PendingEvents(MongoClient mongo, MongoClient deferred, Clock clock) {
    this.mongo = mongo;
    this.deferred = deferred;
    this.clock = clock;
  }

  /** A new marker for a change of {@code kind} on the stream {@code (type, key)}. */
  public Mark mark(String type, String key, String kind) {
    return mark(type, key, kind, null);
  }

  /** A new marker for a change of {@code kind} to the part {@code ref} of its document. */
  public Mark mark(String type, String key, String kind, String ref) {
    return new Mark(Ids.random(), type, key, kind, clock.millis(), ref);
  }

  /** A new document carrying {@code mark}. */
  public static JsonObject onInsert(JsonObject doc, Mark mark) {
    return doc.put(FIELD, new JsonObject().put(mark.op(), mark.toJson()));
  }

  /** The markers a stored document carries, oldest first. */
  public static List<Mark> marksOf(JsonObject doc) {
    JsonObject all = doc == null ? null : doc.getJsonObject(FIELD);
    if (all == null || all.isEmpty()) return List.of();
    return all.fieldNames().stream().map(op -> Mark.fromJson(op, all.getJsonObject(op)))
        .sorted(java.util.Comparator.comparingLong(Mark::at).thenComparing(Mark::op)).toList();
  }

  /** Lists a change before its document is written (so the sweep can find it). */
  public Future<Void> register(String collection, String docId, Mark mark) {
    return register(mongo, collection, docId, mark);
  }

  /**
   * As above, deferred: durable once a later durable write of the same request is acknowledged (the
   * caller writes the document, then its event, after this answers).
   */
  public Future<Void> registerDeferred(String collection, String docId, Mark mark) {
    return register(deferred, collection, docId, mark);
  }

  private static Future<Void> register(MongoClient via, String collection, String docId, Mark mark) {
    return via.insert(COLLECTION, new JsonObject().put("_id", mark.op()).put("op", mark.op())
        .put("coll", collection).put("doc", docId).put("at", mark.at()).put("mark", mark.toJson())).mapEmpty();
  }

  /**
   * Lists a deletion before the document goes. Answers the mark in force: a deletion of the same
   * document still pending from an earlier attempt is reused, so it is announced once. Sent
   * deferred, like every write of a deletion before its event ({@code Outbox#completeDeletion}) or
   * the entry's removal when there is nothing to announce: either is durable, and makes this so.
   */
  public Future<Mark> registerDeletion(String collection, String docId, Mark mark) {
    JsonObject entry = new JsonObject().put("_id", deletionId(collection, docId)).put("op", mark.op())
        .put("coll", collection).put("doc", docId).put("at", mark.at()).put("mark", mark.toJson()).put("deletion", true);
    return deferred.insert(COLLECTION, entry).map(mark).recover(e -> !isDuplicate(e) ? Future.failedFuture(e)
        : deletion(collection, docId).map(existing -> existing == null ? null : markOf(existing)));
  }

  /** A listed deletion whose document was there after it was listed: it is this deletion's to remove and announce. */
  public static final String LIVE = "live";
  /** A listed deletion whose document was already gone: an earlier deletion removed and announced it. */
  public static final String VOID = "void";

  /**
   * Whether the listed deletion {@code op} of a document is real, decided once and kept on its entry
   * ({@code state}). A document is removed only under a {@link #LIVE} entry; so an entry listed
   * after the document went (a withdrawal that read the share just before another one removed it
   * and finished) finds it gone and is {@link #VOID}, and every deleter, retry and sweep sharing
   * the entry reaches the same answer. Answers null when the entry is gone or is another op's.
   * The decision is sent deferred: the deletion's next durable write (its event, or the entry's
   * removal) makes it durable, and a crash before that loses it together with everything after it.
   */
  public Future<String> decideDeletion(String collection, String docId, String op, java.util.function.Supplier<Future<Boolean>> documentThere) {
    return deletion(collection, docId).compose(entry -> {
      if (entry == null || !op.equals(entry.getString("op"))) return Future.succeededFuture((String) null);
      if (entry.getString("state") != null) return Future.succeededFuture(entry.getString("state"));
      return decideListedDeletion(collection, docId, op, documentThere);
    });
  }

  /**
   * {@link #decideDeletion} for the caller that has just listed {@code op}'s entry itself: it was
   * undecided then, so it is not read first (decided meanwhile by a caller sharing it, the
   * conditional update finds out and reads that decision).
   */
  public Future<String> decideListedDeletion(String collection, String docId, String op,
                                             java.util.function.Supplier<Future<Boolean>> documentThere) {
    return documentThere.get().compose(there -> {
      String decided = there ? LIVE : VOID;
      JsonObject undecided = new JsonObject().put("_id", deletionId(collection, docId)).put("op", op)
          .put("state", new JsonObject().put("$exists", false));
      return deferred.findOneAndUpdate(COLLECTION, undecided, new JsonObject().put("$set", new JsonObject().put("state", decided)))
          .compose(before -> before != null ? Future.succeededFuture(decided)
              // Decided meanwhile by another caller sharing the entry (or it is gone): that answer holds.
              : deletion(collection, docId).map(e -> e == null || !op.equals(e.getString("op")) ? null : e.getString("state")));
    });
  }

  /** Drops a deletion's entry if it is still {@code op}'s (never another deletion listed since). */
  public Future<Void> unlistDeletion(String collection, String docId, String op) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", deletionId(collection, docId)).put("op", op)).mapEmpty();
  }

  public static String deletionId(String collection, String docId) {
    return "del:" + collection + ":" + docId;
  }

  /** The pending deletion of a document, or null. */
  public Future<JsonObject> deletion(String collection, String docId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", deletionId(collection, docId)), null);
  }

  public static Mark markOf(JsonObject entry) {
    return Mark.fromJson(entry.getString("op"), entry.getJsonObject("mark"));
  }

  /** Every listed change (a handful: only those in flight or cut off by a failure). */
  public Future<List<JsonObject>> all() {
    return mongo.find(COLLECTION, new JsonObject());
  }

  /**
   * Marks a deletion's event as appended (its entry stops being "pending" for the event log);
   * deferred: the entry's removal, the deletion's last step, makes it durable.
   */
  public Future<Void> deletionAnnounced(String entryId) {
    return deferred.updateCollection(COLLECTION, new JsonObject().put("_id", entryId),
        new JsonObject().put("$set", new JsonObject().put("done", true))).mapEmpty();
  }

  public Future<Void> unlist(String entryId) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", entryId)).mapEmpty();
  }

  /** As above, deferred: a crash before the next commit leaves the entry listed, and the sweep drops it again. */
  public Future<Void> unlistDeferred(String entryId) {
    return deferred.removeDocument(COLLECTION, new JsonObject().put("_id", entryId)).mapEmpty();
  }

  static boolean isDuplicate(Throwable e) {
    return e instanceof com.mongodb.MongoException m && m.getCode() == 11000;
  }
}
