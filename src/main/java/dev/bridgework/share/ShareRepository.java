package dev.bridgework.share;

import dev.bridgework.storage.Directory;
import dev.bridgework.storage.PendingEvents;
import dev.bridgework.storage.PendingEvents.Mark;
import io.vertx.core.json.JsonArray;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.List;

/**
 * The {@code shares} collection, plus {@code share_lists}: the couples' {@link Directory} of their
 * share ids, so listing a couple's shares never scans everyone's on the embedded server, which
 * ignores secondary indexes (ARCHITECTURE.md "Performance on the embedded server"). An id is
 * listed before its share is written, so a crash leaves at most an id without a share, which
 * listing skips, never a share that cannot be listed or erased.
 */
final class ShareRepository {
  static final String SHARES = "shares";
  static final String LISTS = "share_lists";
  static final String REFLECTIONS = "reflections";

  private final MongoClient mongo;
  private final Directory lists;
  /** Writes a later durable write of the same request makes durable (a create's, before its event). */
  private final MongoClient deferred;
  private final Directory deferredLists;

  ShareRepository(MongoClient mongo) {
    this(mongo, mongo);
  }

  ShareRepository(MongoClient mongo, MongoClient deferred) {
    this.mongo = mongo;
    this.deferred = deferred;
    this.lists = new Directory(mongo, LISTS);
    this.deferredLists = new Directory(deferred, LISTS);
  }

  Future<Void> createIndexes() {
    // For real MongoDB: by couple, newest first (dissolution and any future paging).
    return mongo.createIndexWithOptions(SHARES, new JsonObject().put("coupleId", 1).put("createdAt", -1),
        new IndexOptions().name("coupleId_createdAt"));
  }

  private static JsonObject id(String id) {
    return new JsonObject().put("_id", id);
  }

  Future<JsonObject> find(String shareId) {
    return mongo.findOne(SHARES, id(shareId), null);
  }

  Future<List<JsonObject>> findAllOf(String coupleId) {
    return lists.documents(SHARES, "coupleId", coupleId, null);
  }

  Future<Void> list(String coupleId, String shareId) {
    return lists.add(coupleId, shareId);
  }

  Future<JsonArray> listed(String coupleId) {
    return lists.ids(coupleId);
  }

  Future<Void> unlist(String coupleId, String shareId) {
    return lists.remove(coupleId, shareId);
  }

  /** {@link #unlist}, deferred: durable with the withdrawal's last step (its entry's removal). */
  Future<Void> unlistDeferred(String coupleId, String shareId) {
    return deferredLists.remove(coupleId, shareId);
  }

  /** Fails with the duplicate-key error (11000) when the id exists. */
  Future<Void> insert(JsonObject doc) {
    return mongo.insert(SHARES, doc).mapEmpty();
  }

  /** {@link #list}, deferred: durable once the create's event is stored. */
  Future<Void> listDeferred(String coupleId, String shareId) {
    return deferredLists.add(coupleId, shareId);
  }

  /** {@link #insert}, deferred: durable once the create's event is stored. */
  Future<Void> insertDeferred(JsonObject doc) {
    return deferred.insert(SHARES, doc).mapEmpty();
  }

  /** The author's edit, applied only if the version is still the one they saw; null otherwise. */
  Future<JsonObject> updateContent(String shareId, long version, JsonObject content, Mark mark) {
    JsonObject update = new JsonObject().put("$set", content.copy().mergeIn(mark.set()))
        .put("$inc", new JsonObject().put("version", 1L));
    return mongo.findOneAndUpdateWithOptions(SHARES, id(shareId).put("version", version), update,
        new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  /** Every change also sets its event's mark, in the same atomic update ({@link PendingEvents}). */
  private Future<JsonObject> update(JsonObject query, JsonObject update, Mark mark) {
    JsonObject set = update.getJsonObject("$set", new JsonObject()).mergeIn(mark.set());
    update.put("$set", set);
    return mongo.findOneAndUpdateWithOptions(SHARES, query, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  /** Appends a response unless its id is taken or the share holds {@code max} already; null otherwise. */
  Future<JsonObject> pushResponse(String shareId, String coupleId, JsonObject response, int max, Mark mark) {
    JsonObject query = id(shareId).put("coupleId", coupleId)
        .put("responses.id", new JsonObject().put("$ne", response.getString("id")))
        .put("responses." + (max - 1), new JsonObject().put("$exists", false));
    return update(query, new JsonObject().put("$push", new JsonObject().put("responses", response)), mark);
  }

  /** Changes the author's own response in place (its createdAt stays); null when there is no such response. */
  Future<JsonObject> setResponse(String shareId, String coupleId, String responseId, String authorId, String kind, String ack,
                                 String sealedText, Mark mark) {
    // "responses.id" gives the positional "$" its element (the embedded server resolves "$" only
    // from such a path); ids are unique within a share, so it is the element $elemMatch checked.
    JsonObject query = ownResponse(shareId, coupleId, responseId, authorId).put("responses.id", responseId);
    return update(query, new JsonObject().put("$set", new JsonObject()
        .put("responses.$.kind", kind).put("responses.$.ack", ack).put("responses.$.text", sealedText)), mark);
  }

  /** Removes the author's own response; null when there is no such response. */
  Future<JsonObject> pullResponse(String shareId, String coupleId, String responseId, String authorId, Mark mark) {
    return update(ownResponse(shareId, coupleId, responseId, authorId),
        new JsonObject().put("$pull", new JsonObject().put("responses", new JsonObject().put("id", responseId))), mark);
  }

  private static JsonObject ownResponse(String shareId, String coupleId, String responseId, String authorId) {
    return id(shareId).put("coupleId", coupleId).put("responses", new JsonObject()
        .put("$elemMatch", new JsonObject().put("id", responseId).put("authorId", authorId)));
  }

  /** Sets the counseling flag; null when it already had that value (or the share is gone). */
  Future<JsonObject> setCounseling(String shareId, String coupleId, boolean flag, Mark mark) {
    return update(id(shareId).put("coupleId", coupleId).put("counseling", new JsonObject().put("$ne", flag)),
        new JsonObject().put("$set", new JsonObject().put("counseling", flag)), mark);
  }

  /** Marks the share discussed and clears its flag; null when nothing changed (or the share is gone). */
  Future<JsonObject> markDiscussed(String shareId, String coupleId, String at, Mark mark) {
    JsonObject query = id(shareId).put("coupleId", coupleId).put("$or", new JsonArray()
        .add(new JsonObject().put("counseling", true))
        .add(new JsonObject().put("discussedAt", new JsonObject().put("$ne", at))));
    return update(query, new JsonObject().put("$set", new JsonObject().put("counseling", false).put("discussedAt", at)), mark);
  }

  Future<Boolean> remove(String shareId, String coupleId, String authorId) {
    // Deferred: the withdrawal's event (or its scrub of the history before it) is durable, and makes this so.
    return deferred.removeDocument(SHARES, id(shareId).put("coupleId", coupleId).put("authorId", authorId))
        .map(r -> r != null && r.getRemovedCount() > 0);
  }

  /**
   * Every share of a couple: the listed ones by id, then a sweep by {@code coupleId} (a scan on the
   * embedded server; dissolution is rare) for any a crash left unlisted.
   */
  Future<Void> removeAllOf(String coupleId) {
    return lists.ids(coupleId).compose(ids -> ids.isEmpty() ? Future.succeededFuture()
            // By id and couple: an id listed in a lost create race may be another couple's share.
            : mongo.removeDocuments(SHARES, new JsonObject().put("_id", new JsonObject().put("$in", ids)).put("coupleId", coupleId)).mapEmpty())
        .compose(v -> mongo.removeDocuments(SHARES, new JsonObject().put("coupleId", coupleId)))
        .compose(v -> lists.drop(coupleId));
  }

  /** The exercise of one of the user's own reflections, or null when it is not theirs (or does not exist). */
  Future<JsonObject> ownReflection(String reflectionId, String userId) {
    // Only the exercise id is read: the reflection's words stay with the reflection feature.
    return mongo.findOne(REFLECTIONS, id(reflectionId).put("ownerId", userId),
        new JsonObject().put("_id", 1).put("exerciseId", 1));
  }
}
