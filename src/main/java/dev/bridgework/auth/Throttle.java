package dev.bridgework.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Clock;
import java.time.Duration;

/**
 * Counts failures per key in a fixed window (stored in MongoDB, so every cluster node sees the same
 * count). After {@code limit} failures the key is refused until its window ends: the real owner of
 * an account is never locked out for longer than one window. Keys are stored as SHA-256 hashes, so
 * the collection holds no email addresses or client addresses.
 */
public final class Throttle {
  static final String COLLECTION = "throttles";
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

  /** Seconds the key must wait, or 0 when it may try. */
  public Future<Long> retryAfter(String rawKey) {
    String key = hashed(rawKey);
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", key), null).map(doc -> {
      if (doc == null) return 0L;
      long now = clock.millis();
      long end = doc.getLong("windowStart") + window.toMillis();
      if (now >= end || doc.getInteger("count", 0) < limit) return 0L;
      return Math.max(1L, (end - now + 999) / 1000);
    });
  }

  public Future<Void> recordFailure(String rawKey) {
    String key = hashed(rawKey);
    long now = clock.millis();
    JsonObject expired = new JsonObject().put("_id", key)
        .put("windowStart", new JsonObject().put("$lte", now - window.toMillis()));
    return mongo.updateCollection(COLLECTION, expired,
            new JsonObject().put("$set", new JsonObject().put("windowStart", now).put("count", 0)))
        .compose(r -> increment(key, now))
        .recover(e -> increment(key, now)) // a concurrent first upsert may hit the unique _id once
        .mapEmpty();
  }

  private Future<JsonObject> increment(String key, long now) {
    return mongo.findOneAndUpdateWithOptions(COLLECTION, new JsonObject().put("_id", key),
        new JsonObject().put("$inc", new JsonObject().put("count", 1))
            .put("$setOnInsert", new JsonObject().put("windowStart", now)),
        new FindOptions(), new UpdateOptions().setUpsert(true).setReturningNewDocument(true));
  }

  public Future<Void> reset(String rawKey) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", hashed(rawKey))).mapEmpty();
  }

  private static String hashed(String rawKey) {
    return SessionStore.keyOf(rawKey);
  }
}
