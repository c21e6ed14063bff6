package dev.bridgework.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the account routes need from the other features, wired in {@code app}: the caller's couple
 * for {@code GET /api/me}, everything they own for the export, the items the server still holds
 * readable for them, and erasing it all on deletion.
 */
public interface AccountHooks {
  /** The caller's couple as the contract's {@code couple}, or null when not paired. */
  Future<JsonObject> coupleOf(String userId);

  /** Everything the user owns (private work as sealed envelopes) for {@code GET /api/me/export}. */
  Future<JsonObject> exportOf(String userId);

  /** Items the server holds readable until the owner's client seals them (docs/ENCRYPTION.md). */
  Future<JsonArray> unsealedOf(String userId);

  /**
   * When nothing is left unsealed: cuts the legacy event history to ids and destroys the user's
   * server-side key. Answers how many items are still unsealed (0 when it finished).
   */
  Future<Integer> finishSealing(String userId);

  /** Withdraws the user's shares, dissolves their couple and erases their private work. */
  Future<Void> eraseAll(String userId);
}
