package dev.bridgework.counselor;

import dev.bridgework.storage.PendingEvents;
import dev.bridgework.storage.Vault;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code counselor_grants}: one document per grant, {@code _id} = grant id, the token's hash under a
 * unique index (so the counselor's lookup hits an index on both database servers). Status changes
 * are single-document compare-and-set on the status they start from, so a consent and a revocation
 * at the same moment cannot both win. Also the wrong-token audit ({@code counselor_audit}: a count
 * per hour, nothing else).
 */
final class GrantRepository {
  static final String COLLECTION = "counselor_grants";
  static final String AUDIT = "counselor_audit";

  private final MongoClient mongo;
  private final Vault vault;

  GrantRepository(MongoClient mongo, Vault vault) {
    this.mongo = mongo;
    this.vault = vault;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("tokenHash", 1),
            new IndexOptions().unique(true).name("token_hash_unique"))
        .compose(v -> mongo.createIndex(COLLECTION, new JsonObject().put("coupleId", 1)));
  }

  /** Stores a new grant carrying the mark of its event ({@link PendingEvents}); answers it as stored. */
  Future<Grant> insert(Grant grant, PendingEvents.Mark mark) {
    return vault.coupleKey(grant.coupleId())
        .compose(key -> mongo.insert(COLLECTION, PendingEvents.onInsert(
            grant.toDocument(label -> key.seal(COLLECTION, grant.id(), "label", label)), mark))).map(grant);
  }

  Future<Grant> find(String id) {
    return one(new JsonObject().put("_id", id));
  }

  Future<Grant> findByTokenHash(String hash) {
    return one(new JsonObject().put("tokenHash", hash));
  }

  Future<List<Grant>> findByCouple(String coupleId) {
    return many(new JsonObject().put("coupleId", coupleId));
  }

  /** Pending or active grants whose time is up. */
  Future<List<Grant>> findDue(Instant now) {
    return many(new JsonObject()
        .put("status", new JsonObject().put("$in", new JsonArray().add(Grant.PENDING).add(Grant.ACTIVE)))
        .put("expiresAt", new JsonObject().put("$lte", now.toEpochMilli())));
  }

  /**
   * Moves the grant from {@code fromStatus} to {@code next}'s status and times; answers the stored
   * grant, or null when it was no longer in {@code fromStatus} (someone else changed it first).
   */
  Future<Grant> transition(Grant next, String fromStatus, PendingEvents.Mark mark) {
    JsonObject set = new JsonObject().put("status", next.status()).put("consentedBy", next.consentedBy())
        .put("activatedAt", next.activatedAt()).put("endedBy", next.endedBy()).put("endedAt", next.endedAt())
        .mergeIn(mark.set());
    return update(new JsonObject().put("_id", next.id()).put("status", fromStatus), new JsonObject().put("$set", set), next.coupleId());
  }

  /** Appends an opening (keeping the newest {@link Grant#MAX_OPENS}); answers the stored grant, or null. */
  Future<Grant> addOpen(Grant grant, Grant.Open open, PendingEvents.Mark mark) {
    JsonObject push = new JsonObject().put("opens", new JsonObject()
        .put("$each", new JsonArray().add(open.toJson())).put("$slice", -Grant.MAX_OPENS));
    return update(new JsonObject().put("_id", grant.id()).put("status", Grant.ACTIVE),
        new JsonObject().put("$push", push).put("$set", mark.set()), grant.coupleId());
  }

  Future<Void> removeByCouple(String coupleId) {
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("coupleId", coupleId)).mapEmpty();
  }

  /** Counts a wrong-token attempt in its hour ({@code _id} "2025-01-31T14"); no token, no address. */
  Future<Long> countWrongToken(String hour) {
    return mongo.findOneAndUpdateWithOptions(AUDIT, new JsonObject().put("_id", hour),
            new JsonObject().put("$inc", new JsonObject().put("count", 1L)), new FindOptions(),
            new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .map(doc -> doc == null ? 1L : doc.getLong("count", 1L));
  }

  private Future<Grant> update(JsonObject query, JsonObject update, String coupleId) {
    return mongo.findOneAndUpdateWithOptions(COLLECTION, query, update, new FindOptions(),
            new UpdateOptions().setReturningNewDocument(true))
        .compose(doc -> doc == null ? Future.succeededFuture(null) : open(doc));
  }

  private Future<Grant> one(JsonObject query) {
    return mongo.findOne(COLLECTION, query, null).compose(doc -> doc == null ? Future.succeededFuture(null) : open(doc));
  }

  private Future<List<Grant>> many(JsonObject query) {
    return mongo.find(COLLECTION, query).compose(docs -> {
      List<Future<Grant>> opened = new ArrayList<>();
      docs.forEach(doc -> opened.add(open(doc)));
      return Future.all(opened).map(v -> opened.stream().map(Future::result).toList());
    });
  }

  /** A stored grant document as a {@link Grant} (its label opened with the couple's key). */
  Future<Grant> open(JsonObject doc) {
    return vault.coupleKey(doc.getString("coupleId")).map(key -> Grant.fromDocument(doc, sealed -> key.open(COLLECTION, doc.getString("_id"), "label", sealed)));
  }
}
