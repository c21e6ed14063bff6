package dev.bridgework.app;

import dev.bridgework.auth.AccountHooks;
import dev.bridgework.couple.CoupleService;
import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.Stream;
import dev.bridgework.share.ShareService;
import dev.bridgework.storage.Vault;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Everything a person owns, across features: for {@code GET /api/me}, the export, and account
 * deletion. Deletion order matters: shares are withdrawn (their text erased) and the couple is
 * dissolved while the joint space still exists, then private work is erased and finally the user's
 * data key is destroyed, so even a copy of an old backup cannot be read (crypto-erasure).
 */
final class AccountData implements AccountHooks {
  private final CoupleService couples;
  private final ShareService shares;
  private final EventLog events;
  private final Vault vault;

  AccountData(CoupleService couples, ShareService shares, EventLog events, Vault vault) {
    this.couples = couples;
    this.shares = shares;
    this.events = events;
    this.vault = vault;
  }

  @Override
  public Future<JsonObject> coupleOf(String userId) {
    return couples.coupleOf(userId).map(c -> c == null ? null : c.toJson());
  }

  @Override
  public Future<JsonObject> exportOf(String userId) {
    return Future.all(couples.exportOf(userId), shares.exportOf(userId)).map(all -> {
      JsonObject out = new JsonObject();
      for (int i = 0; i < all.size(); i++) out.mergeIn(all.<JsonObject>resultAt(i));
      return out;
    });
  }

  @Override
  public Future<Void> eraseAll(String userId) {
    return shares.eraseAll(userId)
        .compose(v -> couples.eraseAll(userId))
        .compose(v -> events.erase(Stream.self(userId)))
        .compose(v -> vault.destroyUserKey(userId));
  }
}
