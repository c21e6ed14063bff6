package dev.bridgework.app;

import dev.bridgework.auth.AccountHooks;
import dev.bridgework.checkin.CheckinService;
import dev.bridgework.auth.UserRepository;
import dev.bridgework.couple.CoupleService;
import dev.bridgework.followup.FollowupService;
import dev.bridgework.held.HeldService;
import dev.bridgework.kept.KeptService;
import dev.bridgework.notify.NotificationService;
import dev.bridgework.storage.OwnedCollection;
import dev.bridgework.parts.PartsService;
import dev.bridgework.reflection.ReflectionService;
import dev.bridgework.review.ReviewService;
import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.Stream;
import dev.bridgework.share.ShareService;
import dev.bridgework.storage.Vault;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Everything a person owns, across features: for {@code GET /api/me}, the export, the items the
 * server still holds readable for them (legacy work, kept words) until their client seals them, and
 * account deletion. Deletion order matters: shares are withdrawn (their text erased) and the couple is
 * dissolved while the joint space still exists, then private work is erased and finally the user's
 * data key is destroyed, so even a copy of an old backup cannot be read (crypto-erasure).
 */
final class AccountData implements AccountHooks {
  private final CoupleService couples;
  private final ShareService shares;
  private final ReflectionService reflections;
  private final PartsService parts;
  private final CheckinService checkins;
  private final ReviewService reviews;
  private final KeptService kept;
  private final EventLog events;
  private final Vault vault;
  private final UserRepository users;
  private final HeldService held;
  private final FollowupService followups;
  private final NotificationService notifications;

  AccountData(CoupleService couples, ShareService shares, ReflectionService reflections, PartsService parts,
              CheckinService checkins, KeptService kept, ReviewService reviews, EventLog events, Vault vault,
              UserRepository users, HeldService held, FollowupService followups, NotificationService notifications) {
    this.notifications = notifications;
    this.held = held;
    this.followups = followups;
    this.kept = kept;
    this.users = users;
    this.couples = couples;
    this.shares = shares;
    this.reflections = reflections;
    this.parts = parts;
    this.checkins = checkins;
    this.reviews = reviews;
    this.events = events;
    this.vault = vault;
  }

  @Override
  public Future<JsonObject> coupleOf(String userId) {
    return couples.coupleOf(userId).map(c -> c == null ? null : c.toJson());
  }

  @Override
  public Future<JsonObject> exportOf(String userId) {
    return Future.all(List.of(couples.exportOf(userId), shares.exportOf(userId),
        reflections.exportOf(userId), parts.exportOf(userId), checkins.exportOf(userId), reviews.exportOf(userId),
        kept.exportOf(userId), held.exportOf(userId), followups.exportOf(userId))).map(all -> {
      JsonObject out = new JsonObject();
      out.mergeIn(all.<JsonObject>resultAt(0)).mergeIn(all.<JsonObject>resultAt(1));
      out.put("reflections", all.<JsonArray>resultAt(2)).put("parts", all.<JsonArray>resultAt(3))
          .put("checkins", all.<JsonArray>resultAt(4)).put("reviewNotes", all.<JsonArray>resultAt(5))
          .put("kept", all.<JsonArray>resultAt(6)).put("held", all.<JsonArray>resultAt(7))
          .put("followups", all.<JsonArray>resultAt(8));
      return out;
    });
  }

  private List<OwnedCollection> privateCollections() {
    return List.of(reflections.collection(), parts.collection(), checkins.collection(), kept.collection(),
        followups.collection());
  }

  @Override
  public Future<JsonArray> unsealedOf(String userId) {
    List<Future<List<JsonObject>>> all = privateCollections().stream().map(c -> c.unsealed(userId)).toList();
    return Future.all(all).map(v -> {
      JsonArray items = new JsonArray();
      all.forEach(f -> f.result().forEach(items::add));
      return items;
    });
  }

  /**
   * Destroys the user's server-side key once nothing is left for it to open: the legacy events it
   * sealed are cut to ids first, so the self stream stays gapless. Held items (kept words) have keys
   * of their own, destroyed as each is sealed.
   */
  @Override
  public Future<Integer> finishSealing(String userId) {
    List<Future<Integer>> counts = privateCollections().stream().map(c -> c.unsealedCount(userId)).toList();
    return Future.all(counts).compose(v -> {
      int remaining = counts.stream().mapToInt(Future::result).sum();
      if (remaining > 0) return Future.succeededFuture(remaining);
      return events.cutLegacySelfHistory(userId)
          .compose(x -> vault.destroyUserKey(userId))
          .compose(x -> users.setUnsealed(userId, false))
          .map(0);
    });
  }

  @Override
  public Future<Void> eraseAll(String userId) {
    return shares.eraseAll(userId)
        .compose(v -> couples.eraseAll(userId))
        .compose(v -> reflections.eraseAll(userId))
        .compose(v -> parts.eraseAll(userId))
        .compose(v -> checkins.eraseAll(userId))
        .compose(v -> kept.eraseAll(userId))
        .compose(v -> held.eraseAll(userId))
        .compose(v -> followups.eraseAll(userId))
        // After the couple is dissolved (its notification activity and receipts go with it).
        .compose(v -> notifications.eraseAll(userId))
        .compose(v -> events.erase(Stream.self(userId)))
        .compose(v -> vault.destroyUserKey(userId));
  }
}
