package dev.bridgework.auth;

import io.vertx.core.json.JsonObject;

/**
 * An account. {@code toJson} is the contract's public {@code user}; hashes never leave.
 *
 * <p>Since end-to-end encryption the server keeps Argon2id hashes of the client's {@code authKey}
 * and {@code recoveryAuth}, the client's {@code kdf} parameters and its {@code vault} (the vault key
 * wrapped twice, by the password and by the recovery code), none of which opens anything without the
 * password or the code. A legacy account (made before) has only {@code passwordHash} until it upgrades.
 *
 * @param unsealed whether the server holds items for this person that their client must seal
 * @param ending   the notice for a person whose partner left or deleted their account, or null
 */
public record User(String id, String email, String displayName, String createdAt, String passwordHash,
                   String authHash, JsonObject kdf, JsonObject vault, String recoveryHash, boolean unsealed,
                   JsonObject ending) {

  public boolean isLegacy() {
    return authHash == null;
  }

  static User fromDocument(JsonObject doc) {
    return new User(doc.getString("_id"), doc.getString("email"), doc.getString("displayName"),
        doc.getString("createdAt"), doc.getString("passwordHash"), doc.getString("authHash"),
        doc.getJsonObject("kdf"), doc.getJsonObject("vault"), doc.getString("recoveryHash"),
        doc.getBoolean("unsealed", false), doc.getJsonObject("ending"));
  }

  JsonObject toDocument() {
    return new JsonObject().put("_id", id).put("email", email).put("emailKey", UserRepository.emailKey(email))
        .put("displayName", displayName).put("createdAt", createdAt).put("authHash", authHash).put("kdf", kdf)
        .put("vault", vault).put("recoveryHash", recoveryHash).put("unsealed", unsealed);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("email", email).put("displayName", displayName).put("createdAt", createdAt);
  }
}
