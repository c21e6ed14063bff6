package dev.bridgework.couple;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.List;

/**
 * The pairing collections. Every decision that must hold under concurrency is a single-document
 * atomic operation, since neither MongoDB without a replica set nor the embedded server offers
 * transactions:
 * <ul>
 *   <li>{@code memberships}, {@code _id = userId}: the unique {@code _id} is what keeps a person in
 *       at most one couple, whatever races between creates and joins;</li>
 *   <li>{@code invites}, {@code _id = SHA-256(code)}: claimed with one {@code findOneAndUpdate}
 *       guarded by "unused and unexpired", so of two people using one code exactly one wins;</li>
 *   <li>{@code couples}: the second member is added only while the member list has size 1.</li>
 * </ul>
 */
public final class CoupleRepository {
  static final String COUPLES = "couples";
  static final String MEMBERSHIPS = "memberships";
  static final String INVITES = "invites";

  private final MongoClient mongo;

  public CoupleRepository(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<Void> createIndexes(boolean embedded) {
    Future<Void> ttl = embedded ? Future.succeededFuture() : mongo.createIndexWithOptions(INVITES, new JsonObject().put("expiresOn", 1),
        new IndexOptions().name("expiresOn_ttl").expireAfter(0L, java.util.concurrent.TimeUnit.SECONDS));
    // Dissolution looks these up by couple (real MongoDB uses the indexes; the embedded server scans).
    return Future.all(ttl,
        mongo.createIndexWithOptions(MEMBERSHIPS, new JsonObject().put("coupleId", 1), new IndexOptions().name("coupleId")),
        mongo.createIndexWithOptions(INVITES, new JsonObject().put("coupleId", 1), new IndexOptions().name("coupleId"))
    ).mapEmpty();
  }

  private static JsonObject id(String id) {
    return new JsonObject().put("_id", id);
  }

  // --- couples ---

  Future<Void> insertCouple(Couple couple) {
    return mongo.insert(COUPLES, couple.toDocument()).mapEmpty();
  }

  public Future<Couple> findCouple(String coupleId) {
    return mongo.findOne(COUPLES, id(coupleId), null).map(doc -> doc == null ? null : Couple.fromDocument(doc));
  }

  Future<Void> removeCouple(String coupleId) {
    return mongo.removeDocument(COUPLES, id(coupleId)).mapEmpty();
  }

  /** Adds the second member while there is exactly one; null when the couple is gone, full or dissolving. */
  /** Adds the second member, with the {@code couple.joined} event's mark in the same atomic update. */
  Future<Couple> addMember(String coupleId, Couple.Member member, dev.bridgework.storage.PendingEvents.Mark mark) {
    JsonObject query = id(coupleId).put("members", new JsonObject().put("$size", 1)).put("dissolvingAt", null);
    JsonObject update = new JsonObject()
        .put("$push", new JsonObject().put("members", member.toJson()))
        .put("$set", new JsonObject().put("inviteId", null).mergeIn(mark.set()));
    return mongo.findOneAndUpdateWithOptions(COUPLES, query, update, new FindOptions(),
            new UpdateOptions().setReturningNewDocument(true))
        .map(doc -> doc == null ? null : Couple.fromDocument(doc));
  }

  /** Points the couple at a new invite while it has one member; answers the couple as it was before, or null. */
  Future<Couple> swapInvite(String coupleId, String inviteId) {
    JsonObject query = id(coupleId).put("members", new JsonObject().put("$size", 1)).put("dissolvingAt", null);
    return mongo.findOneAndUpdateWithOptions(COUPLES, query,
            new JsonObject().put("$set", new JsonObject().put("inviteId", inviteId)),
            new FindOptions(), new UpdateOptions().setReturningNewDocument(false))
        .map(doc -> doc == null ? null : Couple.fromDocument(doc));
  }

  /**
   * Marks the couple as dissolving, unless another dissolution started after {@code staleBefore}
   * (one that began earlier is taken over: its node may have died half-way). Null when not claimed.
   */
  Future<Couple> startDissolving(String coupleId, long now, long staleBefore) {
    JsonObject query = id(coupleId).put("$or", new JsonArray()
        .add(new JsonObject().put("dissolvingAt", null))
        .add(new JsonObject().put("dissolvingAt", new JsonObject().put("$lt", staleBefore))));
    return mongo.findOneAndUpdateWithOptions(COUPLES, query,
            new JsonObject().put("$set", new JsonObject().put("dissolvingAt", now)),
            new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
        .map(doc -> doc == null ? null : Couple.fromDocument(doc));
  }

  // --- memberships ---

  /** Fails with the duplicate-key error (11000) when the user already belongs to a couple. */
  Future<Void> insertMembership(String userId, String coupleId, long now) {
    return mongo.insert(MEMBERSHIPS, id(userId).put("coupleId", coupleId).put("since", now)).mapEmpty();
  }

  Future<JsonObject> findMembership(String userId) {
    return mongo.findOne(MEMBERSHIPS, id(userId), null);
  }

  /** The id of the user's couple, or null. */
  public Future<String> coupleIdOf(String userId) {
    return findMembership(userId).map(doc -> doc == null ? null : doc.getString("coupleId"));
  }

  /** Removes the membership only if it still points at this couple (never someone's newer pairing). */
  Future<Void> removeMembership(String userId, String coupleId) {
    return mongo.removeDocument(MEMBERSHIPS, id(userId).put("coupleId", coupleId)).mapEmpty();
  }

  Future<Void> removeMembershipsOf(String coupleId, List<String> userIds) {
    JsonObject query = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(userIds))).put("coupleId", coupleId);
    return mongo.removeDocuments(MEMBERSHIPS, query).mapEmpty();
  }

  // --- invites ---

  Future<Void> insertInvite(String hash, String coupleId, String createdBy, long expiresAt, String expiresAtText) {
    return mongo.insert(INVITES, id(hash).put("coupleId", coupleId).put("createdBy", createdBy)
        .put("expiresAt", expiresAt).put("expiresAtText", expiresAtText).put("usedBy", null)
        .put("expiresOn", new JsonObject().put("$date", java.time.Instant.ofEpochMilli(expiresAt).toString()))).mapEmpty();
  }

  /**
   * Removes invites that expired, used or not (a join removes the invite it used at once; one a
   * crash left behind goes when it expires). One query over a small collection (one invite per joint
   * space waiting for its second person); with {@code mongo.uri} set a TTL index on
   * {@code expiresOn} removes them too.
   */
  public Future<Long> sweepInvites(long now) {
    JsonObject query = new JsonObject().put("expiresAt", new JsonObject().put("$lte", now));
    return mongo.removeDocuments(INVITES, query).map(r -> r == null ? 0L : r.getRemovedCount());
  }

  /** Atomically marks an unused, unexpired invite as used by this user; null when there is none. */
  Future<JsonObject> claimInvite(String hash, String userId, long now) {
    JsonObject query = id(hash).put("usedBy", null).put("expiresAt", new JsonObject().put("$gt", now));
    return mongo.findOneAndUpdateWithOptions(INVITES, query,
        new JsonObject().put("$set", new JsonObject().put("usedBy", userId)),
        new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  /** Gives a claimed invite back when the join failed for a reason that is not the code's fault. */
  Future<Void> releaseInvite(String hash, String userId) {
    return mongo.updateCollection(INVITES, id(hash).put("usedBy", userId),
        new JsonObject().put("$set", new JsonObject().put("usedBy", null))).mapEmpty();
  }

  Future<Void> removeInvite(String hash) {
    return hash == null ? Future.succeededFuture() : mongo.removeDocument(INVITES, id(hash)).mapEmpty();
  }

  /** Every invite of a couple (a rare operation: dissolution). */
  Future<Void> removeInvitesOf(String coupleId) {
    return mongo.removeDocuments(INVITES, new JsonObject().put("coupleId", coupleId)).mapEmpty();
  }
}
