package dev.bridgework.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What the account routes need from the other features, wired in {@code app}: the caller's couple
 * for {@code GET /api/me}, everything they own for the export, and erasing it all on deletion.
 */
public interface AccountHooks {
  /** The caller's couple as the contract's {@code couple}, or null when not paired. */
  Future<JsonObject> coupleOf(String userId);

  /** Everything the user owns, decrypted, for {@code GET /api/me/export}. */
  Future<JsonObject> exportOf(String userId);

  /** Withdraws the user's shares, dissolves their couple and erases their private work. */
  Future<Void> eraseAll(String userId);
}
