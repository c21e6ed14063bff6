package dev.bridgework.auth;

import com.mongodb.MongoException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Counts attempts per key in fixed windows, stored in MongoDB so every cluster node sees the same
 * count. Increment, then decide, in one database operation: {@link #attempt} is a single
 * {@code findOneAndUpdate} with {@code $inc} and upsert that answers the new count, and the attempt
 * may go on only when that count is within the limit. Sixty concurrent attempts therefore let at
 * most {@code limit} of them through; a check-then-count design let all sixty reach the password
 * check (issue #13).
 *
 * <p>The window is part of the document's {@code _id} ({@code <window number>:<SHA-256 of the key>},
 * the number zero-padded), so a new window is simply a new document: the reset is as atomic as the
 * count, and old windows are swept by {@code _id} range (the embedded database serves {@code _id}
 * lookups only; it has no TTL). With {@code mongo.uri} set, a TTL index on {@code expiresAt} removes
 * them as well. The owner of an account is never locked out longer than the rest of one window.
 * Keys are stored hashed, so the collection holds no email or client addresses.
 */
public final class Throttle {
  public static final String COLLECTION = "throttles";
  private final MongoClient mongo;
  private final Clock clock;
  private final int limit;
  private final Duration window;

  public Throttle(MongoClient mongo, Clock clock, int limit, Duration window) {
    this.mongo = mongo;
    this.clock = clock;
    this.limit = limit;
    this.window = window;
  }

  public int limit() {
    return limit;
  }

  /**
   * Counts one attempt for the key and answers 0 when it may go on, else the seconds until the
   * window ends (the attempt was refused; it stays counted).
   */
  public Future<Long> attempt(String rawKey) {
    long now = clock.millis();
    long index = now / window.toMillis();
    String id = bucketId(index, hashed(rawKey));
    long end = (index + 1) * window.toMillis();
    return increment(id, end, 1).recover(e -> {
      // Two first attempts at once: real MongoDB may refuse one concurrent upsert with 11000; the
      // document exists now, so the retry increments it.
      if (e instanceof MongoException m && m.getCode() == 11000) return increment(id, end, 1);
      return Future.failedFuture(e);
    }).map(count -> count <= limit ? 0L : Math.max(1L, (end - now + 999) / 1000));
  }

  /** Gives one counted attempt back (it succeeded, or it was refused elsewhere and never checked). */
  public Future<Void> refund(String rawKey) {
    long index = clock.millis() / window.toMillis();
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", bucketId(index, hashed(rawKey)))
            .put("count", new JsonObject().put("$gt", 0)),
        new JsonObject().put("$inc", new JsonObject().put("count", -1))).mapEmpty();
  }

  /** Forgets the key's count in the current window (a success by the key's owner). */
  public Future<Void> reset(String rawKey) {
    long index = clock.millis() / window.toMillis();
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", bucketId(index, hashed(rawKey)))).mapEmpty();
  }

  private Future<Long> increment(String id, long end, int by) {
    return mongo.findOneAndUpdateWithOptions(COLLECTION, new JsonObject().put("_id", id),
            new JsonObject().put("$inc", new JsonObject().put("count", by))
                .put("$setOnInsert", new JsonObject().put("expiresAt", new JsonObject().put("$date", Instant.ofEpochMilli(end).toString()))),
            new FindOptions(), new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .map(doc -> doc == null ? (long) by : doc.getLong("count", (long) by));
  }

  /** Removes the documents of windows that have ended (they sort before the current window's {@code _id}s). */
  public Future<Long> sweep() {
    String current = String.format("%012d:", clock.millis() / window.toMillis());
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("_id", new JsonObject().put("$lt", current)))
        .map(r -> r == null ? 0L : r.getRemovedCount());
  }

  /** With {@code mongo.uri} set, real MongoDB also expires ended windows itself (a TTL index). */
  public Future<Void> createIndexes(boolean embedded) {
    if (embedded) return Future.succeededFuture();
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("expiresAt", 1),
        new io.vertx.ext.mongo.IndexOptions().name("expiresAt_ttl").expireAfter(0L, java.util.concurrent.TimeUnit.SECONDS));
  }

  private static String bucketId(long index, String hashedKey) {
    return String.format("%012d:%s", index, hashedKey);
  }

  private static String hashed(String rawKey) {
    return SessionStore.keyOf(rawKey);
  }
}
