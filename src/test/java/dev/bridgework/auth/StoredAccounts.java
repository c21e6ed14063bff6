package dev.bridgework.auth;

import io.vertx.core.json.JsonObject;

/**
 * The account feature's own document builder, for the benchmark's data generator: a user as
 * {@link UserRepository#insert} stores one after {@code POST /api/auth/register} (Argon2id hashes
 * of the client's {@code authKey} and {@code recoveryAuth}, its {@code kdf} and wrapped {@code vault}).
 */
public final class StoredAccounts {
  private StoredAccounts() {}

  public static final String USERS = UserRepository.COLLECTION;

  public static JsonObject user(String id, String email, String displayName, String createdAt, String authHash, JsonObject kdf,
                                JsonObject vault, String recoveryHash) {
    return new User(id, email, displayName, createdAt, null, authHash, kdf, vault, recoveryHash, false, null).toDocument();
  }
}
