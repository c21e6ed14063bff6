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

  public Future<Boolean> delete(String id) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", id)).map(r -> r != null && r.getRemovedCount() > 0);
  }
}
