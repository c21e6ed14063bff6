package dev.bridgework.notify;

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
 * The durable queue of emails to send ({@code notify_outbox}) and its time index
 * ({@code notify_due}).
 *
 * <p>An outbox entry has a deterministic {@code _id} ({@code share:<shareId>:<recipient>},
 * {@code digest:<recipient>}, {@code reminder:<id>}, ...), so announcing the same thing twice
 * coalesces into one email, and a withdrawal can cancel it by id without a scan. Entries are
 * deleted once sent, so the outbox holds only what is still pending.
 *
 * <p>The embedded database ignores secondary indexes, so "what is due now" must not scan the
 * outbox. Every entry is also listed in a minute bucket of {@code notify_due}
 * ({@code _id = "m:<epoch minute>"}, {@code ids: [...]}); a cursor document remembers the oldest
 * bucket that may still hold work. The sender fetches the buckets from the cursor up to now by exact
 * ids, so a scan costs one read per minute since the last one, whatever the number of people.
 *
 * <p>Sending is claimed with an atomic {@code findOneAndUpdate} that sets a lease
 * ({@code leaseUntil}, {@code leaseOwner}) only when none is held: one node sends each entry; a node
 * that dies mid-send leaves a lease that expires, and the entry is sent then.
 */
final class Outbox {
  static final String OUTBOX = "notify_outbox";
  static final String DUE = "notify_due";
  static final String CURSOR = "cursor";

  private final MongoClient mongo;

  Outbox(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    // Used by real MongoDB only (the embedded server ignores it); the buckets keep the embedded case cheap.
    return mongo.createIndexWithOptions(OUTBOX, new JsonObject().put("dueAt", 1), new IndexOptions().name("due"));
  }

  static long minute(long epochMillis) {
    return Math.floorDiv(epochMillis, 60_000L);
  }

  static String bucketId(long minute) {
    return "m:" + minute;
  }

  /**
   * Creates the entry unless one with its id is pending (then only {@code push} is applied to it,
   * e.g. another item for a digest), and lists it in its due bucket.
   */
  Future<Void> enqueue(String id, JsonObject fields, long dueAt, JsonObject push) {
    JsonObject update = new JsonObject().put("$setOnInsert", fields.copy().put("dueAt", dueAt).put("attempts", 0));
    if (push != null) update.put("$push", push);
    return mongo.findOneAndUpdateWithOptions(OUTBOX, new JsonObject().put("_id", id), update, new FindOptions(),
            new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .compose(doc -> index(id, doc.getLong("dueAt")));
  }

  /** Replaces an entry's due time (a rescheduled reminder), or creates it. */
  Future<Void> schedule(String id, JsonObject fields, long dueAt) {
    JsonObject set = fields.copy().put("dueAt", dueAt).put("attempts", 0);
    return mongo.findOneAndUpdateWithOptions(OUTBOX, new JsonObject().put("_id", id),
            new JsonObject().put("$set", set).put("$unset", new JsonObject().put("leaseUntil", "").put("leaseOwner", "")),
            new FindOptions(), new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .compose(doc -> index(id, dueAt));
  }

  private Future<Void> index(String id, long dueAt) {
    long m = minute(dueAt);
    return mongo.updateCollectionWithOptions(DUE, new JsonObject().put("_id", bucketId(m)),
            new JsonObject().put("$addToSet", new JsonObject().put("ids", id)), new UpdateOptions().setUpsert(true))
        .compose(r -> mongo.updateCollectionWithOptions(DUE, new JsonObject().put("_id", CURSOR),
            new JsonObject().put("$min", new JsonObject().put("minute", m)), new UpdateOptions().setUpsert(true)))
        .mapEmpty();
  }

  Future<Void> cancel(String id) {
    return mongo.removeDocument(OUTBOX, new JsonObject().put("_id", id)).mapEmpty();
  }

  /** Cancels every one of these entries, in one command. */
  Future<Void> cancel(List<String> ids) {
    return mongo.removeDocuments(OUTBOX, new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(ids)))).mapEmpty();
  }

  /**
   * Account deletion: every pending entry of the person ({@code userId}) goes, and every due bucket
   * forgets the entry ids that name them (ids such as {@code digest:<userId>} stay listed in a bucket
   * after a cancel until the sender reaches it). A scan, but only of what is pending, and rare.
   */
  Future<Void> eraseUser(String userId) {
    return mongo.removeDocuments(OUTBOX, new JsonObject().put("userId", userId))
        .compose(r -> mongo.find(DUE, new JsonObject().put("ids", new JsonObject().put("$exists", true))))
        .compose(buckets -> {
          Future<Void> chain = Future.succeededFuture();
          for (JsonObject bucket : buckets) {
            List<String> mine = bucket.getJsonArray("ids", new JsonArray()).stream().map(String::valueOf)
                .filter(id -> id.contains(userId)).toList();
            if (!mine.isEmpty()) chain = chain.compose(v -> drain(bucket.getString("_id"), mine));
          }
          return chain;
        });
  }

  Future<Void> pull(String id, JsonObject condition) {
    return mongo.updateCollection(OUTBOX, new JsonObject().put("_id", id),
        new JsonObject().put("$pull", new JsonObject().put("items", condition))).mapEmpty();
  }

  Future<JsonObject> find(String id) {
    return mongo.findOne(OUTBOX, new JsonObject().put("_id", id), null);
  }

  /** The cursor minute (oldest bucket that may hold work), or null when nothing was ever queued. */
  Future<Long> cursor() {
    return mongo.findOne(DUE, new JsonObject().put("_id", CURSOR), null).map(d -> d == null ? null : d.getLong("minute"));
  }

  /** Moves the cursor forward from {@code seen}, unless an enqueue moved it back meanwhile. */
  Future<Void> advanceCursor(long seen, long to) {
    if (to <= seen) return Future.succeededFuture();
    return mongo.updateCollection(DUE, new JsonObject().put("_id", CURSOR).put("minute", seen),
        new JsonObject().put("$set", new JsonObject().put("minute", to))).mapEmpty();
  }

  /** The buckets of minutes {@code from..to}, by exact ids, in time order. */
  Future<List<JsonObject>> buckets(long from, long to) {
    JsonArray ids = new JsonArray();
    for (long m = from; m <= to; m++) ids.add(bucketId(m));
    return mongo.find(DUE, new JsonObject().put("_id", new JsonObject().put("$in", ids))).map(docs -> {
      List<JsonObject> sorted = new ArrayList<>(docs);
      sorted.sort((a, b) -> Long.compare(Long.parseLong(a.getString("_id").substring(2)), Long.parseLong(b.getString("_id").substring(2))));
      return sorted;
    });
  }

  /** Takes ids out of a bucket, and drops the bucket once it is empty. */
  Future<Void> drain(String bucketId, List<String> ids) {
    if (ids.isEmpty()) return Future.succeededFuture();
    return mongo.findOneAndUpdateWithOptions(DUE, new JsonObject().put("_id", bucketId),
            new JsonObject().put("$pullAll", new JsonObject().put("ids", new JsonArray(new ArrayList<>(ids)))),
            new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
        .compose(doc -> doc != null && doc.getJsonArray("ids", new JsonArray()).isEmpty()
            ? mongo.removeDocuments(DUE, new JsonObject().put("_id", bucketId).put("ids", new JsonObject().put("$size", 0))).mapEmpty()
            : Future.succeededFuture());
  }

  /**
   * Claims a due entry for this node: succeeds only for one caller while no unexpired lease is
   * held. Answers the claimed entry, or null.
   */
  Future<JsonObject> claim(String id, Instant now, long leaseMillis, String owner) {
    long t = now.toEpochMilli();
    JsonObject query = new JsonObject().put("_id", id).put("dueAt", new JsonObject().put("$lte", t))
        .put("$or", new JsonArray().add(new JsonObject().put("leaseUntil", new JsonObject().put("$exists", false)))
            .add(new JsonObject().put("leaseUntil", new JsonObject().put("$lte", t))));
    return mongo.findOneAndUpdateWithOptions(OUTBOX, query,
        new JsonObject().put("$set", new JsonObject().put("leaseUntil", t + leaseMillis).put("leaseOwner", owner)),
        new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  /** Sent or dropped: removes the entry, only if this node still holds its lease. */
  Future<Void> done(String id, String owner) {
    return mongo.removeDocument(OUTBOX, new JsonObject().put("_id", id).put("leaseOwner", owner)).mapEmpty();
  }

  /** A failed send: try again at {@code retryAt}, releasing the lease. */
  Future<Void> retry(String id, String owner, long retryAt) {
    return mongo.updateCollection(OUTBOX, new JsonObject().put("_id", id).put("leaseOwner", owner),
            new JsonObject().put("$set", new JsonObject().put("dueAt", retryAt)).put("$inc", new JsonObject().put("attempts", 1))
                .put("$unset", new JsonObject().put("leaseUntil", "").put("leaseOwner", "")))
        .compose(r -> index(id, retryAt));
  }
}
