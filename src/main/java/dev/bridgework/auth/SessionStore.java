package dev.bridgework.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import dev.bridgework.storage.Directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sessions live in MongoDB so any cluster node can serve any request. The cookie carries 256 random
 * bits; the database keeps only their SHA-256, so a database dump cannot be replayed as cookies.
 * Idle and absolute timeouts are checked in code (the embedded database has no TTL indexes);
 * expired sessions are deleted when they are next seen, and by {@link #sweep} on a schedule.
 *
 * <p>Per-request lookups hit {@code _id} on either database: a user's sessions are listed in a
 * {@link Directory} ({@code session_owners}, {@code _id = userId}), since the embedded server
 * ignores the secondary index on {@code userId} and would scan every session; sessions are also
 * listed by the hour their absolute timeout ends ({@code session_expiry}, {@code _id = hour}), so a
 * sweep reads only the hours that have passed. With {@code mongo.uri} set, a TTL index on
 * {@code expiresAt} removes them as well.
 */
public final class SessionStore {
  static final String COLLECTION = "sessions";
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private final MongoClient mongo;
  private final Clock clock;
  private final Duration idleTimeout;
  private final Duration absoluteTimeout;
  private final SecureRandom random = new SecureRandom();
  private final Directory owners;
  private final Directory expiry;

  public SessionStore(MongoClient mongo, Clock clock, Duration idleTimeout, Duration absoluteTimeout) {
    this.mongo = mongo;
    this.owners = new Directory(mongo, "session_owners");
    this.expiry = new Directory(mongo, "session_expiry");
    this.clock = clock;
    this.idleTimeout = idleTimeout;
    this.absoluteTimeout = absoluteTimeout;
  }

  public Duration absoluteTimeout() {
    return absoluteTimeout;
  }

  /** A new session; answers the cookie token (shown once, never stored). */
  public Future<String> create(String userId) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = URL.encodeToString(bytes);
    Instant now = clock.instant();
    String key = keyOf(token);
    Instant ends = now.plus(absoluteTimeout);
    JsonObject doc = new JsonObject().put("_id", key).put("userId", userId)
        .put("createdAt", now.toEpochMilli()).put("lastSeenAt", now.toEpochMilli())
        .put("expiresAt", new JsonObject().put("$date", ends.toString()));
    // Listed first: a crash leaves at most a listed key without a session, never a session nobody can find.
    return Future.all(owners.add(userId, key), expiry.add(hour(ends.toEpochMilli()), key))
        .compose(v -> mongo.insert(COLLECTION, doc)).map(token);
  }

  /** The hour bucket a time falls in, zero-padded so buckets sort as text. */
  private static String hour(long millis) {
    return String.format("%010d", millis / 3_600_000L);
  }

  /** Secondary indexes for real MongoDB: by user, and a TTL on the absolute end (the embedded server uses the directories). */
  public Future<Void> createIndexes(boolean embedded) {
    if (embedded) return owners.build(COLLECTION, "userId");
    return Future.all(
        mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("userId", 1), new IndexOptions().name("userId")),
        mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("expiresAt", 1),
            new IndexOptions().name("expiresAt_ttl").expireAfter(0L, java.util.concurrent.TimeUnit.SECONDS)))
        .compose(v -> owners.build(COLLECTION, "userId"));
  }

  /**
   * Deletes sessions whose absolute timeout has passed, reading only the expiry buckets of hours
   * that have ended (and any idle-expired session found in them); answers how many were deleted.
   */
  public Future<Integer> sweep() {
    String current = hour(clock.millis());
    return mongo.findWithOptions("session_expiry", new JsonObject().put("_id", new JsonObject().put("$lt", current)),
            new io.vertx.ext.mongo.FindOptions().setLimit(48))
        .compose(buckets -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (JsonObject bucket : buckets) {
            String id = bucket.getString("_id");
            if (id.startsWith("*")) continue;
            JsonArray keys = bucket.getJsonArray("ids", new JsonArray());
            chain = chain.compose(n -> expiry.byIds(COLLECTION, keys, null)
                .compose(docs -> Future.all(docs.stream().map(d -> delete(d.getString("_id"))).toList()).map(n + docs.size()))
                .compose(count -> expiry.drop(id).map(count)));
          }
          return chain;
        });
  }

  /** The live session for a cookie token, or null; refreshes the idle clock at most once a minute. */
  public Future<Session> find(String token) {
    if (token == null || token.length() != 43) return Future.succeededFuture(null);
    String key = keyOf(token);
    return findByKey(key);
  }

  public Future<Session> findByKey(String key) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", key), null).compose(doc -> {
      if (doc == null) return Future.succeededFuture(null);
      Session s = new Session(key, doc.getString("userId"), Instant.ofEpochMilli(doc.getLong("createdAt")),
          Instant.ofEpochMilli(doc.getLong("lastSeenAt")));
      Instant now = clock.instant();
      if (isExpired(s, now)) {
        return delete(key).map(v -> (Session) null);
      }
      if (Duration.between(s.lastSeenAt(), now).compareTo(touchInterval()) >= 0) {
        return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", key),
                new JsonObject().put("$set", new JsonObject().put("lastSeenAt", now.toEpochMilli())))
            .map(r -> new Session(key, s.userId(), s.createdAt(), now));
      }
      return Future.succeededFuture(s);
    });
  }

  /**
   * Which of these session keys are still live, without touching their idle clocks (an open
   * WebSocket is not activity). One query for many keys: the real-time gateway's periodic check.
   */
  public Future<Set<String>> liveKeys(Collection<String> keys) {
    if (keys.isEmpty()) return Future.succeededFuture(Set.of());
    JsonObject query = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(keys))));
    return mongo.find(COLLECTION, query).map(docs -> {
      Instant now = clock.instant();
      Set<String> live = new HashSet<>();
      for (JsonObject doc : docs) {
        Session s = new Session(doc.getString("_id"), doc.getString("userId"), Instant.ofEpochMilli(doc.getLong("createdAt")),
            Instant.ofEpochMilli(doc.getLong("lastSeenAt")));
        if (!isExpired(s, now)) live.add(s.key());
      }
      return live;
    });
  }

  public boolean isExpired(Session s, Instant now) {
    return !now.isBefore(s.lastSeenAt().plus(idleTimeout)) || !now.isBefore(s.createdAt().plus(absoluteTimeout));
  }

  private Duration touchInterval() {
    Duration d = idleTimeout.dividedBy(100);
    return d.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : d;
  }

  public Future<Void> delete(String key) {
    return mongo.findOneAndDelete(COLLECTION, new JsonObject().put("_id", key))
        .compose(doc -> doc == null ? Future.succeededFuture() : owners.remove(doc.getString("userId"), key));
  }

  /** The keys of every session of a user (a password change ends all but one): by the owner directory, then by {@code _id}. */
  public Future<List<String>> keysOf(String userId) {
    return owners.documents(COLLECTION, "userId", userId, new JsonObject().put("_id", 1).put("userId", 1))
        .map(docs -> docs.stream().map(doc -> doc.getString("_id")).toList());
  }

  public Future<Void> deleteAllOf(String userId) {
    return owners.ids(userId).compose(keys -> keys.isEmpty() ? Future.succeededFuture()
            : mongo.removeDocuments(COLLECTION, new JsonObject().put("_id", new JsonObject().put("$in", keys)).put("userId", userId)))
        .compose(v -> owners.drop(userId));
  }

  public static String keyOf(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return URL.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
