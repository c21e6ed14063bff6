package dev.bridgework.review;

import com.mongodb.MongoException;
import dev.bridgework.storage.DataKey;
import dev.bridgework.storage.Directory;
import dev.bridgework.storage.PendingEvents;
import dev.bridgework.storage.PendingEvents.Mark;
import dev.bridgework.storage.Vault;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.Comparator;
import java.util.List;

/**
 * Reviews and the per-couple "open review" slot.
 *
 * <p>{@code reviews} holds one document per review, its notes sealed with the couple's data key.
 * {@code review_slots} holds at most one document per couple, {@code _id = coupleId}, naming the
 * open review: claiming it is an insert, so the unique {@code _id} decides atomically which of two
 * simultaneous "start" requests wins (both database servers enforce it; neither needs a
 * transaction). Every change to a review is conditional on its {@code rev}, so concurrent edits by
 * the two partners are retried, never lost. {@code review_lists} is the couples' {@link Directory}
 * of their reviews, so listing them never reads every couple's reviews on the embedded server.
 */
public final class ReviewRepository {
  static final String REVIEWS = "reviews";
  static final String SLOTS = "review_slots";

  private final MongoClient mongo;
  private final MongoClient deferred;
  private final Vault vault;
  private final Directory directory;

  public ReviewRepository(MongoClient mongo, Vault vault) {
    this(mongo, mongo, vault);
  }

  /** {@code deferred}: the client for writes a later durable write of the same request makes durable ({@code Database#deferredWrites}). */
  public ReviewRepository(MongoClient mongo, MongoClient deferred, Vault vault) {
    this.mongo = mongo;
    this.deferred = deferred;
    this.vault = vault;
    this.directory = new Directory(mongo, "review_lists");
  }

  public Future<Void> createIndexes() {
    // Real MongoDB uses it for erasing a couple's reviews; the embedded server scans then (ARCHITECTURE.md).
    return mongo.createIndexWithOptions(REVIEWS, new JsonObject().put("coupleId", 1).put("createdAt", -1),
        new IndexOptions().name("couple_created"))
        .compose(v -> directory.build(REVIEWS, "coupleId"));
  }

  // ------------------------------------------------------------------ the open-review slot

  /** Claims the couple's slot for {@code reviewId}; false when another review holds it. */
  Future<Boolean> claimSlot(String coupleId, String reviewId) {
    return mongo.insert(SLOTS, new JsonObject().put("_id", coupleId).put("reviewId", reviewId))
        .map(id -> true)
        .recover(e -> isDuplicate(e) ? Future.succeededFuture(false) : Future.failedFuture(e));
  }

  /** The review id in the couple's slot, or null. */
  Future<String> slotOf(String coupleId) {
    return mongo.findOne(SLOTS, new JsonObject().put("_id", coupleId), null)
        .map(doc -> doc == null ? null : doc.getString("reviewId"));
  }

  /** Moves the slot from a stale review (closed, or never stored) to a new one; false if it moved meanwhile. */
  Future<Boolean> takeOverSlot(String coupleId, String staleReviewId, String reviewId) {
    return mongo.findOneAndUpdate(SLOTS, new JsonObject().put("_id", coupleId).put("reviewId", staleReviewId),
            new JsonObject().put("$set", new JsonObject().put("reviewId", reviewId)))
        .map(doc -> doc != null);
  }

  Future<Void> releaseSlot(String coupleId, String reviewId) {
    return mongo.removeDocuments(SLOTS, new JsonObject().put("_id", coupleId).put("reviewId", reviewId)).mapEmpty();
  }

  // ------------------------------------------------------------------ reviews

  /** Stores a new review carrying its event's mark ({@link PendingEvents}). */
  Future<Void> insert(Review review, Mark mark) {
    return key(review.coupleId())
        .compose(key -> directory.add(review.coupleId(), review.id())
            .compose(v -> mongo.insert(REVIEWS, PendingEvents.onInsert(review.toDocument(key), mark))))
        .mapEmpty();
  }

  /** The review with this id, or null. */
  Future<Review> find(String reviewId) {
    return findDocument(reviewId).compose(doc -> doc == null ? Future.succeededFuture(null) : open(doc));
  }

  /** The review's stored document (with the marks of events it still owes), or null. */
  Future<JsonObject> findDocument(String reviewId) {
    return mongo.findOne(REVIEWS, new JsonObject().put("_id", reviewId), null);
  }

  /** The couple's reviews, newest first (createdAt, then id). */
  Future<List<Review>> findByCouple(String coupleId) {
    return directory.documents(REVIEWS, "coupleId", coupleId, null)
        .compose(docs -> docs.isEmpty() ? Future.succeededFuture(List.<Review>of()) : key(coupleId).map(key ->
            docs.stream().map(doc -> Review.fromDocument(doc, key))
                .sorted(Comparator.comparing(Review::createdAt).thenComparing(Review::id).reversed())
                .toList()));
  }

  /**
   * Stores {@code changed} if the stored review still has {@code changed.rev()}; the stored copy
   * gets {@code rev + 1}. Answers the stored review, or null when someone else changed it first.
   */
  Future<Review> replace(Review changed, Mark mark) {
    return replace(mongo, changed, mark);
  }

  /** {@link #replace}, deferred: durable once the change's event is stored. */
  Future<Review> replaceDeferred(Review changed, Mark mark) {
    return replace(deferred, changed, mark);
  }

  private Future<Review> replace(MongoClient via, Review changed, Mark mark) {
    Review next = new Review(changed.id(), changed.coupleId(), changed.status(), changed.agenda(), changed.ready(),
        changed.startedBy(), changed.createdAt(), changed.closedAt(), changed.rev() + 1);
    return key(changed.coupleId()).compose(key -> {
      JsonObject doc = next.toDocument(key);
      doc.remove("_id");
      if (mark != null) doc.mergeIn(mark.set()); // the change and its owed event, in one atomic update
      return via.updateCollectionWithOptions(REVIEWS,
          new JsonObject().put("_id", changed.id()).put("rev", changed.rev()),
          new JsonObject().put("$set", doc), new UpdateOptions());
    }).map(result -> result != null && result.getDocMatched() == 1 ? next : null);
  }

  Future<Void> removeDocument(String reviewId) {
    return mongo.removeDocument(REVIEWS, new JsonObject().put("_id", reviewId)).mapEmpty();
  }

  /** Every review of the couple and its slot (the couple dissolved); by couple, so nothing is missed. */
  Future<Void> removeByCouple(String coupleId) {
    return mongo.removeDocuments(REVIEWS, new JsonObject().put("coupleId", coupleId))
        .compose(r -> mongo.removeDocument(SLOTS, new JsonObject().put("_id", coupleId)))
        .compose(r -> directory.drop(coupleId));
  }

  Future<Review> open(JsonObject doc) {
    return key(doc.getString("coupleId")).map(key -> Review.fromDocument(doc, key));
  }

  private Future<DataKey> key(String coupleId) {
    return vault.coupleKey(coupleId);
  }

  private static boolean isDuplicate(Throwable e) {
    return e instanceof MongoException m && m.getCode() == 11000;
  }
}
