package dev.bridgework.auth;

import io.vertx.core.json.JsonObject;

/** An account. {@code toJson} is the contract's public {@code user}; the hash never leaves. */
public record User(String id, String email, String displayName, String createdAt, String passwordHash) {

  static User fromDocument(JsonObject doc) {
    return new User(doc.getString("_id"), doc.getString("email"), doc.getString("displayName"),
        doc.getString("createdAt"), doc.getString("passwordHash"));
  }

  JsonObject toDocument() {
    return new JsonObject().put("_id", id).put("email", email).put("emailKey", UserRepository.emailKey(email))
        .put("displayName", displayName).put("createdAt", createdAt).put("passwordHash", passwordHash);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("email", email).put("displayName", displayName).put("createdAt", createdAt);
  }
}
