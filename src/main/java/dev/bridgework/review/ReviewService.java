package dev.bridgework.review;

import dev.bridgework.couple.JointSpaceListener;
import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.Outbox;
import dev.bridgework.storage.PendingEvents;
import dev.bridgework.storage.PendingEvents.Mark;
import dev.bridgework.realtime.Stream;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The joint review (PRODUCT.md step 6): one open review per couple, its agenda seeded from the
 * shares flagged for counseling, each partner's own notes, ready flags, closing, and the brief.
 *
 * <p>Every change is written first, then appended to the couple's event stream
 * ({@code review.started}, {@code review.updated}, {@code review.closed}, data = the review), so
 * both partners' devices see it live. A withdrawn share leaves every agenda at once, with its
 * notes, including from the stored event history; a dissolved couple's reviews are erased.
 */
public final class ReviewService implements JointSpaceListener {
  /** How often a change is retried when the partner changed the same review at the same moment. */
  private static final int ATTEMPTS = 10;
  /** An agenda longer than this is not an agenda any more (and keeps requests bounded). */
  static final int MAX_AGENDA = 100;

  public static final String STARTED = "review.started";
  public static final String UPDATED = "review.updated";
  public static final String CLOSED = "review.closed";

  private final ReviewRepository repo;
  private final JointSpace joint;
  private final EventLog events;
  private final BriefRenderer renderer;
  private final PdfWorkers pdf;
  private final Clock clock;
  private final Outbox outbox;

  public ReviewService(ReviewRepository repo, JointSpace joint, EventLog events, BriefRenderer renderer, Vertx vertx,
                       Clock clock) {
    this(repo, joint, events, renderer, new PdfWorkers(vertx, 1, 8), clock);
  }

  public ReviewService(ReviewRepository repo, JointSpace joint, EventLog events, BriefRenderer renderer, PdfWorkers pdf,
                       Clock clock) {
    this.repo = repo;
    this.joint = joint;
    this.events = events;
    this.renderer = renderer;
    this.pdf = pdf;
    this.clock = clock;
    this.outbox = events.outbox();
    outbox.register(ReviewRepository.REVIEWS, new Outbox.Source() {
      @Override
      public Future<EventLog.Rendered> render(String docId, JsonObject doc, Mark mark) {
        if (doc == null) return Future.succeededFuture(EventLog.Rendered.of(new JsonObject().put("id", docId)));
        return repo.open(doc).map(ReviewService::rendered);
      }

      @Override
      public Future<Boolean> wanted(JsonObject doc, Mark mark) {
        // A start that lost the race for the slot (or was cut off before claiming it) is nobody's review.
        if (!STARTED.equals(mark.kind())) return Future.succeededFuture(true);
        return repo.slotOf(doc.getString("coupleId"))
            .map(slot -> doc.getString("_id").equals(slot) || !Review.OPEN.equals(doc.getString("status")));
      }
    });
  }

  private Mark mark(String coupleId, String kind) {
    return outbox.pending().mark(Stream.COUPLE, coupleId, kind);
  }

  /** Replaces the review carrying {@code mark} (listed first, unlisted again when the guard did not hold). */
  private Future<Review> replaceMarked(Review changed, Mark mark) {
    if (mark == null) return repo.replace(changed, null);
    return outbox.pending().register(ReviewRepository.REVIEWS, changed.id(), mark)
        .compose(v -> repo.replace(changed, mark))
        .compose(stored -> stored != null ? Future.succeededFuture(stored)
            : outbox.pending().unlist(mark.op()).map((Review) null));
  }

  /** Completes what an earlier attempt on this review left owed, before deciding anything. */
  private Future<Void> settle(String reviewId) {
    return outbox.settle(ReviewRepository.REVIEWS, reviewId);
  }

  static ApiException notPaired() {
    return ApiException.conflict("not_paired", "You are not in a joint space yet.");
  }

  static ApiException reviewClosed() {
    return ApiException.conflict("review_closed", "This review is closed; start a new one to change the agenda.");
  }

  static ApiException reviewOpen(Review current) {
    return ApiException.conflictWithCurrent("review_open", "A review is already open for your joint space.", current.toJson());
  }

  public Future<JointSpace.Couple> coupleOf(String userId) {
    return joint.coupleOf(userId);
  }

  // ------------------------------------------------------------------ reading

  /** The couple's open review, or null. */
  public Future<Review> current(String coupleId) {
    return repo.slotOf(coupleId).compose(id -> id == null ? Future.succeededFuture(null) : repo.find(id))
        .map(r -> r != null && r.isOpen() && r.coupleId().equals(coupleId) ? r : null);
  }

  /** The couple's reviews, newest first. */
  public Future<List<Review>> list(String coupleId) {
    return repo.slotOf(coupleId).compose(slot -> repo.findByCouple(coupleId)
        .map(reviews -> reviews.stream().filter(r -> visible(r, slot)).toList()));
  }

  /** One review of the couple; 404 for anything else. */
  public Future<Review> get(String coupleId, String reviewId) {
    return repo.find(reviewId).compose(review -> {
      if (review == null || !review.coupleId().equals(coupleId)) return Future.failedFuture(ApiException.notFound());
      if (!review.isOpen()) return Future.succeededFuture(review);
      return repo.slotOf(coupleId).compose(slot -> visible(review, slot)
          ? Future.succeededFuture(review) : Future.failedFuture(ApiException.notFound()));
    });
  }

  /**
   * An open review that does not hold the couple's slot is the loser of a simultaneous start that
   * has not cleaned up yet (or was cut off by a crash): nobody should see it.
   */
  private static boolean visible(Review review, String slot) {
    return !review.isOpen() || review.id().equals(slot);
  }

  // ------------------------------------------------------------------ starting and closing

  /** POST /api/reviews: a new open review, or 409 {@code review_open} with the one already open. */
  public Future<Review> start(JointSpace.Couple couple, String userId) {
    return joint.sharesOf(couple.id()).compose(shares -> {
      List<Review.AgendaItem> agenda = flaggedOldestFirst(shares).stream()
          .map(s -> new Review.AgendaItem(s.getString("id"), Map.of())).toList();
      Map<String, Boolean> ready = new LinkedHashMap<>();
      couple.members().forEach(m -> ready.put(m.id(), false));
      Review review = new Review(Ids.random(), couple.id(), Review.OPEN, agenda, ready, userId,
          Times.format(clock.instant()), null, 0);
      // Stored first, then made the open one: a review the slot names always exists. Its mark
      // counts only once it holds the slot (Source#wanted), so a lost start is never announced.
      Mark mark = mark(couple.id(), STARTED);
      return outbox.pending().register(ReviewRepository.REVIEWS, review.id(), mark)
          .compose(v -> repo.insert(review, mark))
          .compose(v -> claim(review, ATTEMPTS))
          .recover(e -> repo.removeDocument(review.id()).transform(x -> Future.failedFuture(e)))
          .compose(v -> settle(review.id()))
          .map(review);
    });
  }

  private Future<Void> claim(Review review, int attempts) {
    String coupleId = review.coupleId();
    return repo.claimSlot(coupleId, review.id()).compose(claimed -> {
      if (claimed) return Future.succeededFuture();
      return repo.slotOf(coupleId).compose(holder -> {
        if (holder == null) return retry(() -> claim(review, attempts - 1), attempts);
        return repo.find(holder).compose(existing -> {
          if (existing != null && existing.isOpen() && existing.coupleId().equals(coupleId)) {
            return Future.failedFuture(reviewOpen(existing));
          }
          // The slot names a review that was closed (the slot is released right after) or lost.
          return repo.takeOverSlot(coupleId, holder, review.id())
              .compose(moved -> moved ? Future.succeededFuture() : retry(() -> claim(review, attempts - 1), attempts));
        });
      });
    });
  }

  /** POST /api/reviews/{id}/close: the closed review (closing again answers it unchanged). */
  public Future<Review> close(JointSpace.Couple couple, String reviewId) {
    return close(couple, reviewId, List.of());
  }

  /**
   * POST /api/reviews/{id}/close with {@code carryOver}: the closed review. Its agenda items are
   * marked discussed and unflagged, except those carried over, which stay flagged for the next
   * review (docs/REVIEW.md "Closing"). Carried-over ids must be on the agenda (400 otherwise);
   * closing a closed review answers it unchanged and changes no share.
   */
  public Future<Review> close(JointSpace.Couple couple, String reviewId, List<String> carryOver) {
    return close(couple.id(), reviewId, List.copyOf(new java.util.LinkedHashSet<>(carryOver)), ATTEMPTS);
  }

  private Future<Review> close(String coupleId, String reviewId, List<String> carryOver, int attempts) {
    return settle(reviewId).compose(s -> get(coupleId, reviewId)).compose(review -> {
      if (!review.isOpen()) return Future.succeededFuture(review);
      for (String id : carryOver) {
        if (!review.hasItem(id)) {
          return Future.failedFuture(ApiException.invalid("carryOver", "'" + id + "' is not on this review's agenda."));
        }
      }
      return replaceMarked(review.closed(Times.format(clock.instant())), mark(coupleId, CLOSED)).compose(stored -> {
        if (stored == null) return retry(() -> close(coupleId, reviewId, carryOver, attempts - 1), attempts);
        List<String> discussed = stored.agenda().stream().map(Review.AgendaItem::shareId)
            .filter(id -> !carryOver.contains(id)).toList();
        // review.closed first (settled here), then one share.flagged per share that changed.
        return repo.releaseSlot(coupleId, reviewId)
            .compose(v -> settle(reviewId))
            .compose(v -> joint.reviewClosed(coupleId, discussed, carryOver, stored.closedAt()))
            .map(stored);
      });
    });
  }

  // ------------------------------------------------------------------ changing an open review

  /**
   * PUT /api/reviews/{id}/agenda: the agenda becomes exactly {@code shareIds}, in that order;
   * items that stay keep their notes. Every id must be a share of this couple (checked again on
   * each retry, so a share withdrawn meanwhile is not put back).
   */
  public Future<Review> setAgenda(JointSpace.Couple couple, String reviewId, List<String> shareIds) {
    if (shareIds.size() > MAX_AGENDA) {
      return Future.failedFuture(ApiException.invalid("shareIds", "An agenda holds at most " + MAX_AGENDA + " items."));
    }
    return change(couple.id(), reviewId, review -> joint.sharesOf(couple.id()).map(shares -> {
      Set<String> ofCouple = new HashSet<>();
      shares.forEach(s -> ofCouple.add(s.getString("id")));
      for (String id : shareIds) {
        if (!ofCouple.contains(id)) throw ApiException.invalid("shareIds", "'" + id + "' is not a share of your joint space.");
      }
      Map<String, Review.AgendaItem> existing = new HashMap<>();
      review.agenda().forEach(item -> existing.put(item.shareId(), item));
      List<Review.AgendaItem> agenda = shareIds.stream()
          .map(id -> existing.getOrDefault(id, new Review.AgendaItem(id, Map.of()))).toList();
      return review.withAgenda(agenda);
    }));
  }

  /** PUT /api/reviews/{id}/notes/{shareId}: the caller's own note on an agenda item; empty text removes it. */
  public Future<Review> setNote(JointSpace.Couple couple, String userId, String reviewId, String shareId, String text) {
    return change(couple.id(), reviewId, review -> noteChanged(review, userId, shareId, text))
        .compose(review -> scrubIfWithdrawn(couple.id(), shareId).map(review));
  }

  /**
   * Closes the race between a note and the share's withdrawal: a note whose event was stored after
   * the withdrawal scrubbed the history finds the share gone here and scrubs again.
   */
  private Future<Void> scrubIfWithdrawn(String coupleId, String shareId) {
    // One share read, not the couple's all (docs/PERFORMANCE.md).
    return joint.shareOf(coupleId, shareId).compose(share -> share != null
        ? Future.succeededFuture() : shareWithdrawn(coupleId, shareId));
  }

  private static Future<Review> noteChanged(Review review, String userId, String shareId, String text) {
    if (!review.hasItem(shareId)) {
      return Future.failedFuture(ApiException.invalid("shareId", "That share is not on the agenda."));
    }
    List<Review.AgendaItem> agenda = new ArrayList<>();
    for (Review.AgendaItem item : review.agenda()) {
      if (!item.shareId().equals(shareId)) {
        agenda.add(item);
        continue;
      }
      Map<String, String> notes = new HashMap<>(item.notes());
      if (text.isEmpty()) notes.remove(userId);
      else notes.put(userId, text);
      agenda.add(new Review.AgendaItem(shareId, notes));
    }
    return Future.succeededFuture(review.withAgenda(agenda));
  }

  /** PUT /api/reviews/{id}/ready: the caller is ready, or not. */
  public Future<Review> setReady(JointSpace.Couple couple, String userId, String reviewId, boolean ready) {
    return change(couple.id(), reviewId, review -> {
      Map<String, Boolean> flags = new HashMap<>(review.ready());
      flags.put(userId, ready);
      return Future.succeededFuture(review.withReady(flags));
    });
  }

  /**
   * Applies {@code edit} to the stored review and stores the result if the review is unchanged
   * since it was read; otherwise reads again and retries. An edit that changes nothing answers
   * the stored review (a repeated PUT is harmless), also on a closed review; any real change to a
   * closed review is 409 {@code review_closed}.
   */
  private Future<Review> change(String coupleId, String reviewId, Function<Review, Future<Review>> edit) {
    return change(coupleId, reviewId, edit, ATTEMPTS);
  }

  private Future<Review> change(String coupleId, String reviewId, Function<Review, Future<Review>> edit, int attempts) {
    // Read before any mark of this change exists, beside the review itself (Outbox#completeFresh).
    Future<EventLog.Counter> counter = events.counter(Stream.couple(coupleId));
    return settledReview(coupleId, reviewId).compose(review -> edit.apply(review).compose(changed -> {
      if (changed.sameContent(review)) return Future.succeededFuture(review);
      if (!review.isOpen()) return Future.failedFuture(reviewClosed());
      return counter.compose(before -> storeChange(changed, mark(coupleId, UPDATED), before)).compose(stored -> stored == null
          ? retry(() -> change(coupleId, reviewId, edit, attempts - 1), attempts)
          : Future.succeededFuture(stored));
    }));
  }

  /**
   * The review as {@link #get} answers it, after completing any event it still owes: read once,
   * side by side with the couple's slot; only a review that still owes an event is settled and read
   * again.
   */
  private Future<Review> settledReview(String coupleId, String reviewId) {
    Future<String> slot = repo.slotOf(coupleId);
    return repo.findDocument(reviewId).compose(doc -> {
      if (doc != null && !PendingEvents.marksOf(doc).isEmpty()) return settle(reviewId).compose(v -> get(coupleId, reviewId));
      if (doc == null || !coupleId.equals(doc.getString("coupleId"))) return Future.failedFuture(ApiException.notFound());
      return repo.open(doc).compose(review -> slot.compose(s -> visible(review, s)
          ? Future.succeededFuture(review) : Future.failedFuture(ApiException.notFound())));
    });
  }

  /**
   * Stores a change of an open review and its {@code review.updated} event the short way (as a
   * share create does, docs/PERFORMANCE.md "The share path's database work"): listed and written
   * deferred, then the event completed from the counter read before the mark existed and the review
   * as written; the event's durable insert makes the writes before it durable. Answers the stored
   * review, or null when someone else changed it first (nothing of this change is left listed).
   */
  private Future<Review> storeChange(Review changed, Mark mark, EventLog.Counter counterBeforeMark) {
    return outbox.pending().registerDeferred(ReviewRepository.REVIEWS, changed.id(), mark)
        .compose(v -> repo.replaceDeferred(changed, mark))
        .recover(e -> outbox.pending().unlist(mark.op()).transform(x -> Future.failedFuture(e)))
        .compose(stored -> stored == null ? outbox.pending().unlist(mark.op()).map((Review) null)
            : outbox.completeFresh(ReviewRepository.REVIEWS, stored.id(), mark, counterBeforeMark, rendered(stored)).map(stored));
  }

  /** The event's data and tags for a review as stored: what the outbox's source renders from the stored document. */
  private static EventLog.Rendered rendered(Review review) {
    // Notes speak of shares: tagged, so a withdrawal finds exactly these events.
    return new EventLog.Rendered(review.toJson(), review.agenda().stream().map(item -> "share:" + item.shareId()).toList());
  }

  private static <T> Future<T> retry(java.util.function.Supplier<Future<T>> again, int attemptsLeft) {
    if (attemptsLeft <= 1) {
      return Future.failedFuture(ApiException.conflict("conflict", "The review changed at the same moment; please try again."));
    }
    return again.get();
  }

  static List<JsonObject> flaggedOldestFirst(List<JsonObject> shares) {
    return shares.stream().filter(s -> s.getBoolean("counseling", false))
        .sorted(Comparator.comparing((JsonObject s) -> s.getString("createdAt", "")).thenComparing(s -> s.getString("id", "")))
        .toList();
  }

  // ------------------------------------------------------------------ the brief

  /** GET /api/reviews/{id}/brief: the agenda as it stands, in one of {@link BriefFile#FORMATS}. */
  public Future<BriefFile> brief(JointSpace.Couple couple, String reviewId, String format) {
    // Looked up first: someone else's review is 404 whatever format they ask for.
    return get(couple.id(), reviewId)
        .compose(review -> format == null || !BriefFile.FORMATS.contains(format)
            ? Future.failedFuture(ApiException.invalid("format", "'format' must be one of html, md, pdf."))
            : joint.sharesOf(couple.id()).map(shares -> Brief.of(couple, review, shares)))
        .compose(brief -> BriefFile.render(brief, format, renderer, pdf));
  }

  /**
   * The brief of one of the couple's reviews (open or closed) as it stands now, for the counselor's
   * read-only view (docs/COUNSELOR.md); 404 for a review that is not the couple's.
   */
  public Future<Brief> briefOf(JointSpace.Couple couple, String reviewId) {
    return get(couple.id(), reviewId).compose(review -> joint.sharesOf(couple.id()).map(shares -> Brief.of(couple, review, shares)));
  }

  /** The counselor's view of {@link #briefOf}: the same content as the brief's other formats. */
  public Future<JsonObject> briefJson(JointSpace.Couple couple, String reviewId) {
    return briefOf(couple, reviewId).map(renderer::json);
  }

  // ------------------------------------------------------------------ the account export

  /**
   * For {@code GET /api/me/export}: the notes the user wrote in their couple's reviews, and only
   * those (the partner's notes are the partner's), as
   * {@code [{reviewId, status, createdAt, closedAt, notes:[{shareId, text}]}]}.
   */
  public Future<JsonArray> exportOf(String userId) {
    return joint.coupleOf(userId).compose(couple -> couple == null ? Future.succeededFuture(new JsonArray())
        : list(couple.id()).map(reviews -> {
          JsonArray out = new JsonArray();
          for (Review review : reviews) {
            JsonArray notes = new JsonArray();
            for (Review.AgendaItem item : review.agenda()) {
              String text = item.notes().get(userId);
              if (text != null) notes.add(new JsonObject().put("shareId", item.shareId()).put("text", text));
            }
            if (!notes.isEmpty()) {
              out.add(new JsonObject().put("reviewId", review.id()).put("status", review.status())
                  .put("createdAt", review.createdAt()).put("closedAt", review.closedAt()).put("notes", notes));
            }
          }
          return out;
        }));
  }

  // ------------------------------------------------------------------ withdrawal and dissolution

  /**
   * A share was withdrawn: it leaves every agenda of the couple with its notes (the open review's
   * partners see a {@code review.updated}), and its notes are scrubbed from stored review events.
   */
  @Override
  public Future<Void> shareWithdrawn(String coupleId, String shareId) {
    return repo.findByCouple(coupleId)
        .compose(reviews -> {
          Future<Void> chain = Future.succeededFuture();
          for (Review review : reviews) {
            if (review.hasItem(shareId)) chain = chain.compose(v -> dropItem(review.id(), shareId, ATTEMPTS));
          }
          return chain;
        })
        .compose(v -> events.rewriteTagged(Stream.couple(coupleId), "share:" + shareId,
            (kind, data) -> kind.startsWith("review.") ? scrub(data, shareId) : null));
  }

  private Future<Void> dropItem(String reviewId, String shareId, int attempts) {
    return repo.find(reviewId).compose(review -> {
      if (review == null || !review.hasItem(shareId)) return Future.succeededFuture();
      // Only an open review's partners are told; a closed one changes silently.
      Mark mark = review.isOpen() ? mark(review.coupleId(), UPDATED) : null;
      return replaceMarked(review.without(shareId), mark).compose(stored -> {
        if (stored == null) return retry(() -> dropItem(reviewId, shareId, attempts - 1), attempts);
        if (mark == null) return Future.succeededFuture();
        return settle(reviewId);
      });
    });
  }

  /** A stored review event without the withdrawn share's agenda item (and so its notes); null if untouched. */
  static JsonObject scrub(JsonObject data, String shareId) {
    JsonArray agenda = data.getJsonArray("agenda");
    if (agenda == null) return null;
    JsonArray kept = new JsonArray();
    for (Object o : agenda) {
      if (!(o instanceof JsonObject item) || !shareId.equals(item.getString("shareId"))) kept.add(o);
    }
    return kept.size() == agenda.size() ? null : data.copy().put("agenda", kept);
  }

  /** The couple dissolved: all its reviews are erased (its event stream is erased by the couple feature). */
  @Override
  public Future<Void> coupleDissolved(String coupleId) {
    return repo.removeByCouple(coupleId);
  }
}
