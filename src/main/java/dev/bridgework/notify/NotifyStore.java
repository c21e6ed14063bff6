package dev.bridgework.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

/**
 * What the notification feature keeps, in one document per person and one per couple, so every
 * lookup is by {@code _id} (the embedded server ignores secondary indexes). No text anyone wrote is
 * stored here: ids, sequence numbers, times, choices.
 *
 * <ul>
 *   <li>{@code notify_people/<userId>}: {@code settings}, {@code seen {coupleId, seq}}, {@code checkinSeenAt},
 *       {@code reminders {<id>: {dueAt, channel}}}</li>
 *   <li>{@code notify_couples/<coupleId>}: {@code head} (newest recorded seq), {@code activity [{seq, actor, kind, shareId, reviewId}]} (the last
 *       {@value #ACTIVITY_KEPT}), {@code opened {<shareId>: {<userId>: at}}} (only from people with receipts on),
 *       {@code marks {<reviewId>: {<userId>: fingerprint}}} (who changed a review)</li>
 * </ul>
 */
final class NotifyStore {
  static final String PEOPLE = "notify_people";
  static final String COUPLES = "notify_couples";
  static final String REMINDER_IDS = "notify_reminder_ids";
  static final int ACTIVITY_KEPT = 200;
  static final int MAX_REMINDERS = 200;

  private final MongoClient mongo;
  private final MongoClient deferred;

  /** {@code deferred}: the client for writes a later durable write makes durable ({@code Database#deferredWrites}). */
  NotifyStore(MongoClient mongo, MongoClient deferred) {
    this.mongo = mongo;
    this.deferred = deferred;
  }

  Future<JsonObject> person(String userId) {
    return mongo.findOne(PEOPLE, new JsonObject().put("_id", userId), null).map(d -> d == null ? new JsonObject() : d);
  }

  Future<JsonObject> couple(String coupleId) {
    return mongo.findOne(COUPLES, new JsonObject().put("_id", coupleId), null).map(d -> d == null ? new JsonObject() : d);
  }

  Future<Void> updatePerson(String userId, JsonObject update) {
    return mongo.updateCollectionWithOptions(PEOPLE, new JsonObject().put("_id", userId), update,
        new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  /** Applies an update and answers the document before it. */
  Future<JsonObject> updatePersonBefore(String userId, JsonObject update) {
    return mongo.findOneAndUpdateWithOptions(PEOPLE, new JsonObject().put("_id", userId), update, new FindOptions(),
        new UpdateOptions().setUpsert(true).setReturningNewDocument(false)).map(d -> d == null ? new JsonObject() : d);
  }

  /**
   * Applies an update to the couple's document and answers the document before it, in one command
   * sent deferred: durable with the next durable write (the activity the caller records after it),
   * or the store's next commit when none follows.
   */
  Future<JsonObject> updateCoupleBeforeDeferred(String coupleId, JsonObject update) {
    return deferred.findOneAndUpdateWithOptions(COUPLES, new JsonObject().put("_id", coupleId), update, new FindOptions(),
        new UpdateOptions().setUpsert(true).setReturningNewDocument(false)).map(d -> d == null ? new JsonObject() : d);
  }

  Future<Void> updateCouple(String coupleId, JsonObject update) {
    return mongo.updateCollectionWithOptions(COUPLES, new JsonObject().put("_id", coupleId), update,
        new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  /**
   * Records an item and, in the same update, {@code head}: the newest seq the activity accounts for.
   * Unread answers that head (not the stream's, which moves before the item is recorded), so marking
   * "seen up to head" can never pass over an item the same answer did not list.
   */
  Future<Void> addActivity(String coupleId, JsonObject item) {
    return updateCouple(coupleId, new JsonObject().put("$push", new JsonObject().put("activity",
            new JsonObject().put("$each", new JsonArray().add(item)).put("$slice", -ACTIVITY_KEPT)))
        .put("$max", new JsonObject().put("head", item.getLong("seq"))));
  }

  /** Claims a reminder id for its owner; false when someone else holds it. */
  Future<Boolean> claimReminderId(String id, String userId) {
    return mongo.findOneAndUpdateWithOptions(REMINDER_IDS, new JsonObject().put("_id", id),
            new JsonObject().put("$setOnInsert", new JsonObject().put("userId", userId)), new FindOptions(),
            new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .recover(e -> mongo.findOne(REMINDER_IDS, new JsonObject().put("_id", id), null)) // lost an upsert race
        .map(doc -> doc != null && userId.equals(doc.getString("userId")));
  }

  Future<Void> releaseReminderId(String id, String userId) {
    return mongo.removeDocument(REMINDER_IDS, new JsonObject().put("_id", id).put("userId", userId)).mapEmpty();
  }

  Future<Void> removeCouple(String coupleId) {
    return mongo.removeDocument(COUPLES, new JsonObject().put("_id", coupleId)).mapEmpty();
  }

  /** Every reminder id the person claimed (also ones a failed write left unlisted in their document). */
  Future<Void> releaseReminderIds(String userId) {
    return mongo.removeDocuments(REMINDER_IDS, new JsonObject().put("userId", userId)).mapEmpty();
  }

  Future<Void> removePerson(String userId) {
    return mongo.removeDocument(PEOPLE, new JsonObject().put("_id", userId)).mapEmpty();
  }
}
