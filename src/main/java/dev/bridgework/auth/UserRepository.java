package dev.bridgework.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.Locale;

/** The {@code users} collection; a unique index on the lower-cased email decides "taken". */
public final class UserRepository {
  static final String COLLECTION = "users";
  private final MongoClient mongo;

  public UserRepository(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("emailKey", 1),
        new IndexOptions().unique(true).name("emailKey_unique"));
  }

  static String emailKey(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  /** Fails with Mongo's duplicate-key error (11000) when the email is taken. */
  public Future<User> insert(User user) {
    return mongo.insert(COLLECTION, user.toDocument()).map(user);
  }

  public Future<User> findByEmail(String email) {
    return mongo.findOne(COLLECTION, new JsonObject().put("emailKey", emailKey(email)), null)
        .map(doc -> doc == null ? null : User.fromDocument(doc));
  }

  public Future<User> findById(String id) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null)
        .map(doc -> doc == null ? null : User.fromDocument(doc));
  }

  /**
   * New keys (password change, recovery, legacy upgrade); a legacy password hash goes, and a legacy
   * account is marked as holding work its client must seal now.
   */
  public Future<User> setKeys(String id, Keys keys, boolean wasLegacy) {
    JsonObject set = new JsonObject().put("authHash", keys.authHash()).put("kdf", keys.kdf()).put("vault", keys.vault())
        .put("recoveryHash", keys.recoveryHash());
    if (wasLegacy) set.put("unsealed", true);
    return mongo.findOneAndUpdateWithOptions(COLLECTION, new JsonObject().put("_id", id),
            new JsonObject().put("$set", set).put("$unset", new JsonObject().put("passwordHash", "")),
            new io.vertx.ext.mongo.FindOptions(), new io.vertx.ext.mongo.UpdateOptions().setReturningNewDocument(true))
        .map(doc -> doc == null ? null : User.fromDocument(doc));
  }

  /** What a key change stores: hashes of the client's keys, its kdf parameters and its wrapped vault key. */
  public record Keys(String authHash, JsonObject kdf, JsonObject vault, String recoveryHash) {}

  public Future<Void> setUnsealed(String id, boolean unsealed) {
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", id),
        new JsonObject().put("$set", new JsonObject().put("unsealed", unsealed))).mapEmpty();
  }

  /** The notice for a person whose partner left; null clears it. */
  public Future<Void> setEnding(String id, JsonObject ending) {
    JsonObject update = ending == null
        ? new JsonObject().put("$unset", new JsonObject().put("ending", ""))
        : new JsonObject().put("$set", new JsonObject().put("ending", ending));
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", id), update).mapEmpty();
  }

  public Future<Boolean> delete(String id) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", id)).map(r -> r != null && r.getRemovedCount() > 0);
  }
}
