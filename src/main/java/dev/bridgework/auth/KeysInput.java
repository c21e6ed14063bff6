package dev.bridgework.auth;

import dev.bridgework.web.ApiException;
import dev.bridgework.web.Envelope;
import dev.bridgework.web.JsonBody;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * The key material a client sends at registration, a key change or a recovery (API.md "End-to-end
 * encryption of private work"): {@code authKey} and {@code recoveryAuth} (32 bytes each, base64url),
 * {@code kdf} ({@code PBKDF2-SHA256}, at least the configured iterations, a 16-byte salt) and
 * {@code vault} ({@code wrapped} and {@code recovery} envelopes). The server checks shapes only.
 */
final class KeysInput {
  static final String ALG = "PBKDF2-SHA256";
  /** Far beyond any real setting; keeps a client from making every sign-in of its own take hours. */
  static final int MAX_ITERATIONS = 100_000_000;
  private static final Set<String> KDF_FIELDS = Set.of("alg", "iterations", "salt");
  private static final Set<String> VAULT_FIELDS = Set.of("wrapped", "recovery");

  private KeysInput() {
  }

  static AuthService.NewKeys read(JsonBody body, int minIterations, String recoveryField) {
    String authKey = Envelope.key32("authKey", body.raw().getValue("authKey"));
    JsonObject kdf = kdf(body.object("kdf", true), minIterations);
    JsonObject vault = vault(body.object("vault", true));
    String recoveryAuth = Envelope.key32(recoveryField, body.raw().getValue(recoveryField));
    return new AuthService.NewKeys(authKey, kdf, vault, recoveryAuth);
  }

  static JsonObject kdf(JsonObject kdf, int minIterations) {
    for (String name : kdf.fieldNames()) {
      if (!KDF_FIELDS.contains(name)) throw ApiException.invalid("kdf." + name, "Unknown field '" + name + "' in 'kdf'.");
    }
    if (!ALG.equals(kdf.getValue("alg"))) throw ApiException.invalid("kdf.alg", "'kdf.alg' must be " + ALG + ".");
    int iterations = JsonBody.checkInteger("kdf.iterations", kdf.getValue("iterations"), minIterations, MAX_ITERATIONS);
    byte[] salt = Envelope.base64url("kdf.salt", kdf.getValue("salt"), 64);
    if (salt.length != 16) throw ApiException.invalid("kdf.salt", "'kdf.salt' must be 16 bytes, base64url.");
    return new JsonObject().put("alg", ALG).put("iterations", iterations).put("salt", kdf.getString("salt"));
  }

  static JsonObject vault(JsonObject vault) {
    for (String name : vault.fieldNames()) {
      if (!VAULT_FIELDS.contains(name)) throw ApiException.invalid("vault." + name, "Unknown field '" + name + "' in 'vault'.");
    }
    return new JsonObject()
        .put("wrapped", Envelope.of("vault.wrapped", vault.getValue("wrapped")).json())
        .put("recovery", Envelope.of("vault.recovery", vault.getValue("recovery")).json());
  }

  /** {@code authKey}, or for a legacy account {@code password}: exactly one of the two. */
  static AuthService.Credential credential(JsonBody body, String keyField) {
    boolean hasKey = body.has(keyField);
    boolean hasPassword = body.has("password");
    if (hasKey == hasPassword) {
      throw ApiException.invalid(keyField, "Send '" + keyField + "' (or, for an account made before encryption, 'password').");
    }
    if (hasKey) return new AuthService.Credential(Envelope.key32(keyField, body.raw().getValue(keyField)), null);
    return new AuthService.Credential(null, body.string("password", true, 1, 1024));
  }
}
