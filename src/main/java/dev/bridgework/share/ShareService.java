package dev.bridgework.share;

import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.couple.JointSpaceListener;
import dev.bridgework.exercise.ExerciseCatalog;
import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.Outbox;
import dev.bridgework.storage.PendingEvents;
import dev.bridgework.storage.PendingEvents.Mark;
import dev.bridgework.realtime.Stream;
import dev.bridgework.storage.DataKey;
import dev.bridgework.storage.Vault;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Shares, responses and the counseling flag (PRODUCT.md steps 4 and 5). Every successful change is
 * then appended to the couple's event stream with the whole share as data, so the partner's open
 * screen just replaces what it shows.
 *
 * <p>It is also a {@link JointSpaceListener} of the couple feature: when the couple dissolves, it
 * erases the couple's shares.
 */
public final class ShareService implements JointSpaceListener {
  /** Compare-and-set attempts before a write that keeps colliding gives up (two people, a few devices). */
  private static final int ATTEMPTS = 5;
  /** Bounds the share document (MongoDB's 16 MB limit) whatever two people write. */
  static final int MAX_RESPONSES = 100;
  static final Comparator<Share> NEWEST_FIRST =
      Comparator.comparing(Share::createdAt).thenComparing(Share::id).reversed();

  private final ShareRepository repo;
  private final CoupleRepository couples;
  private final Vault vault;
  private final EventLog events;
  private final Clock clock;
  private final List<JointSpaceListener> listeners;
  private final ExcerptSources sources;
  private final Outbox outbox;

  public record Saved(Share share, boolean created) {}

  public ShareService(MongoClient mongo, CoupleRepository couples, Vault vault, EventLog events, Clock clock,
                      ExerciseCatalog catalog, List<JointSpaceListener> listeners) {
    this.repo = new ShareRepository(mongo, events.deferredWrites());
    this.sources = new ExcerptSources(repo, catalog);
    this.couples = couples;
    this.vault = vault;
    this.events = events;
    this.clock = clock;
    this.listeners = List.copyOf(listeners);
    this.outbox = events.outbox();
    outbox.register(ShareRepository.SHARES, new Outbox.Source() {
      @Override
      public Future<EventLog.Rendered> render(String docId, JsonObject doc, Mark mark) {
        // A share gone by the time its event is completed is announced by id only: its words are withdrawn.
        if (doc == null) return Future.succeededFuture(EventLog.Rendered.of(new JsonObject().put("id", docId)));
        return vault.coupleKey(doc.getString("coupleId"))
            .map(key -> new EventLog.Rendered(Share.fromDocument(doc, key).toJson(), List.of(tag(docId))));
      }

      @Override
      public List<String> tagsOf(String docId) {
        return List.of(tag(docId));
      }

      @Override
      public Future<Void> beforeDeleted(String docId, Mark mark) {
        return scrub(mark.key(), docId);
      }

      @Override
      public Future<Void> afterDeleted(String docId, Mark mark) {
        return repo.unlistDeferred(mark.key(), docId).compose(v -> inTurn(listeners, l -> l.shareWithdrawn(mark.key(), docId)))
            // Its events are scrubbed (by both features): the tag has nothing left to find.
            .compose(v -> events.dropTagDeferred(Stream.couple(mark.key()), tag(docId)));
      }
    });
  }

  /** The tag of the events that carry a share's words ({@link EventLog#rewriteTagged}). */
  static String tag(String shareId) {
    return "share:" + shareId;
  }

  /**
   * The share as stored, after completing any event an earlier attempt left owed (the retry of a
   * request whose event failed completes it here, before deciding anything).
   */
  private Future<JsonObject> settledDoc(String shareId) {
    return repo.find(shareId).compose(doc -> PendingEvents.marksOf(doc).isEmpty() ? Future.succeededFuture(doc)
        : outbox.settle(ShareRepository.SHARES, shareId).compose(v -> repo.find(shareId)));
  }

  /** Registers a change's mark, runs the marked write, and unlists the mark again when the write's guard did not hold. */
  private Future<JsonObject> marked(String shareId, Mark mark, java.util.function.Function<Mark, Future<JsonObject>> write) {
    return outbox.pending().register(ShareRepository.SHARES, shareId, mark).compose(v -> write.apply(mark))
        .compose(updated -> updated != null ? Future.succeededFuture(updated)
            : outbox.pending().unlist(mark.op()).map((JsonObject) null));
  }

  private Mark mark(String coupleId, String kind) {
    return outbox.pending().mark(Stream.COUPLE, coupleId, kind);
  }

  public Future<Void> createIndexes() {
    return repo.createIndexes();
  }

  // --- reading ---

  /** The couple's shares, decrypted, newest first. */
  public Future<List<Share>> sharesOf(String coupleId) {
    return vault.coupleKey(coupleId).compose(key -> repo.findAllOf(coupleId)
        .map(docs -> docs.stream().map(doc -> Share.fromDocument(doc, key)).sorted(NEWEST_FIRST).toList()));
  }

  /** One share of the couple, decrypted, or null when the couple has no share with that id. */
  public Future<Share> find(String coupleId, String shareId) {
    return repo.find(shareId).compose(doc -> {
      if (doc == null || !coupleId.equals(doc.getString("coupleId"))) return Future.succeededFuture(null);
      return vault.coupleKey(coupleId).map(key -> Share.fromDocument(doc, key));
    });
  }

  /** As {@link #find}, but 404 when there is nothing the couple may see. */
  private Future<Share> visible(String coupleId, String shareId) {
    return settledDoc(shareId).compose(doc -> {
      if (doc == null || !coupleId.equals(doc.getString("coupleId"))) return Future.failedFuture(ApiException.notFound());
      return vault.coupleKey(coupleId).map(key -> Share.fromDocument(doc, key));
    });
  }

  // --- the author's share ---

  /**
   * {@code PUT /api/shares/{id}}: creates or edits the caller's share. Without a version it is most
   * likely new, so it is inserted straight away; a duplicate id means it exists, and it is then
   * decided as an edit (or an unchanged repeat, or someone else's id) the ordinary way.
   */
  public Future<Saved> save(Couple couple, String userId, String shareId, ShareDraft draft) {
    if (draft.version() != null) return save(couple, userId, shareId, draft, ATTEMPTS);
    return create(couple, userId, shareId, draft)
        .recover(e -> isDuplicate(e) ? save(couple, userId, shareId, draft, ATTEMPTS) : Future.failedFuture(e));
  }

  private Future<Saved> save(Couple couple, String userId, String shareId, ShareDraft draft, int attempts) {
    return settledDoc(shareId).compose(doc -> {
      if (doc == null && draft.version() != null) {
        // A version means the client saw this share stored once: it was withdrawn since (or it was
        // never the caller's to see). An edit, however retried, must not bring withdrawn words back.
        return Future.failedFuture(ApiException.notFound());
      }
      if (doc == null) {
        return create(couple, userId, shareId, draft).recover(e -> attempts > 1 && isDuplicate(e)
            ? save(couple, userId, shareId, draft, attempts - 1) // created meanwhile: it is an edit now (or not ours)
            : Future.failedFuture(e));
      }
      if (!couple.id().equals(doc.getString("coupleId"))) {
        // Someone else's id. Our list may have picked it up in a lost create race: drop it again.
        return repo.unlist(couple.id(), shareId).compose(v -> Future.failedFuture(ApiException.notFound()));
      }
      if (Share.PAIR.equals(doc.getString("kind"))) {
        // Two people's answers: neither edits the other's words; either may withdraw the pair.
        return Future.failedFuture(ApiException.forbidden("Answers revealed together are not edited; you can withdraw them."));
      }
      return vault.coupleKey(couple.id()).compose(key -> edit(couple, userId, draft, Share.fromDocument(doc, key), key, attempts));
    });
  }

  /**
   * Stores a new share and its {@code share.created} event (docs/PERFORMANCE.md "The share path's
   * database work"): the change is listed for the sweep, the id in the couple's list and the stream's
   * counter read, side by side; then the share is inserted with its mark, and the event completed
   * from the counter read before the mark existed and the share as inserted ({@link Outbox#completeFresh}).
   * The writes before the event are deferred: the event's durable insert makes them durable, before
   * the event is published or the answer sent. Fails with the duplicate-key error when the id exists.
   */
  private Future<Saved> create(Couple couple, String userId, String shareId, ShareDraft draft) {
    return sources.exerciseOf(draft, userId, null).compose(exerciseId -> vault.coupleKey(couple.id()).compose(key -> {
      String now = Times.format(clock.instant());
      Share share = new Share(shareId, couple.id(), userId, draft.reflectionId(), exerciseId, draft.title(), draft.excerpts(),
          draft.note(), draft.intent(), false, List.of(), now, now, 1);
      Mark mark = mark(couple.id(), "share.created");
      Future<EventLog.Counter> counter = events.counter(Stream.couple(couple.id()));
      JsonObject doc = PendingEvents.onInsert(share.toDocument(key), mark);
      // The event's data as rendering the stored share would make it: the insert stored exactly this document.
      EventLog.Rendered known = new EventLog.Rendered(Share.fromDocument(doc, key).toJson(), List.of(tag(shareId)));
      return Future.all(outbox.pending().registerDeferred(ShareRepository.SHARES, shareId, mark), repo.listDeferred(couple.id(), shareId),
              counter)
          .compose(v -> repo.insertDeferred(doc))
          .recover(e -> outbox.pending().unlist(mark.op()).transform(x -> Future.failedFuture(e)))
          .compose(v -> outbox.completeFresh(ShareRepository.SHARES, shareId, mark, counter.result(), known))
          .map(v -> new Saved(share, true));
    }));
  }

  private Future<Saved> edit(Couple couple, String userId, ShareDraft draft, Share current, DataKey key, int attempts) {
    if (!current.authorId().equals(userId)) return Future.failedFuture(ApiException.notAuthor());
    if (draft.sameContentAs(current)) return Future.succeededFuture(new Saved(current, false));
    if (draft.version() == null || draft.version() != current.version()) {
      return Future.failedFuture(ApiException.versionConflict(current.toJson()));
    }
    return sources.exerciseOf(draft, userId, current).compose(exerciseId -> {
      JsonObject content = Share.contentDocument(current.id(), draft.reflectionId(), exerciseId, draft.title(), draft.excerpts(),
          draft.note(), draft.intent(), key).put("updatedAt", Times.format(clock.instant()));
      return marked(current.id(), mark(couple.id(), "share.updated"),
          mark -> repo.updateContent(current.id(), current.version(), content, mark));
    }).compose(updated -> {
      if (updated == null) {
        // Changed or withdrawn since we read it: read again, which answers 409 with the new current.
        return attempts > 1 ? save(couple, userId, current.id(), draft, attempts - 1)
            : Future.failedFuture(ApiException.versionConflict(current.toJson()));
      }
      Share share = Share.fromDocument(updated, key);
      return outbox.settle(ShareRepository.SHARES, share.id())
          .compose(event -> scrubIfWithdrawn(couple.id(), share.id()))
          .map(v -> new Saved(share, false));
    });
  }

  /**
   * {@code DELETE /api/shares/{id}}: withdrawal erases the words, not just hides them. The document
   * goes (responses with it), every stored event that carried it is reduced to its id, and the
   * features that kept something of it (review agendas) are told before the answer.
   */
  public Future<Void> withdraw(Couple couple, String userId, String shareId) {
    return visible(couple.id(), shareId).recover(e -> {
      // Gone already: a withdrawal whose event an earlier attempt left owed is completed, and answered.
      if (!(e instanceof ApiException api && api.status() == 404)) return Future.failedFuture(e);
      return outbox.settleDeletion(ShareRepository.SHARES, shareId)
          .compose(completed -> completed ? Future.succeededFuture((Share) null) : Future.failedFuture(e));
    }).compose(share -> {
      if (share == null) return Future.succeededFuture();
      // A pair holds both partners' answers: either of them may take it back (both answers go).
      if (!share.authorId().equals(userId) && !share.isPair()) return Future.failedFuture(ApiException.notAuthor());
      return erase(couple.id(), share);
    });
  }

  /**
   * The withdrawal's entry is listed first (it is the mark of a change that leaves no document),
   * then the document goes; the rest (the events that carried it reduced to its id, the
   * {@code share.withdrawn} event, the agendas told) is completed by {@link Outbox#completeDeletion},
   * again by a retry or the sweep if anything fails on the way.
   */
  private Future<Void> erase(String coupleId, Share share) {
    String shareId = share.id();
    return outbox.deleting(ShareRepository.SHARES, shareId, Stream.COUPLE, coupleId, "share.withdrawn")
        // No mark: it went while we were on our way, withdrawn (and announced) by another request.
        .compose(mark -> mark == null ? Future.failedFuture(ApiException.notFound()) : repo.remove(shareId, coupleId, share.authorId()).compose(removed -> {
          // Removed here, under the entry this request decided live: completed without reading either back.
          if (removed) return outbox.completeRemoved(ShareRepository.SHARES, shareId, mark);
          // Not removed: withdrawn by another request meanwhile (sharing this entry); it is completed either way.
          return outbox.completeDeletion(ShareRepository.SHARES, shareId, mark).compose(v -> Future.failedFuture(ApiException.notFound()));
        }));
  }

  /**
   * Reduces every stored event that carries the share to just its id: only the events tagged with
   * it, however long the couple's history (docs/PERFORMANCE.md "Withdrawal").
   */
  private Future<Void> scrub(String coupleId, String shareId) {
    return events.rewriteTagged(Stream.couple(coupleId), tag(shareId),
        (kind, data) -> carries(kind, data, shareId) ? new JsonObject().put("id", shareId) : null);
  }

  /**
   * Closes the race between a change and a withdrawal: a change whose event was stored after the
   * withdrawal's scrub read the history finds its share gone here and scrubs its own event. (One
   * stored before the share was deleted is caught by the withdrawal's scrub.)
   */
  private Future<Void> scrubIfWithdrawn(String coupleId, String shareId) {
    return repo.find(shareId).compose(doc -> doc != null ? Future.succeededFuture() : scrub(coupleId, shareId)
        .compose(v -> events.dropTag(Stream.couple(coupleId), tag(shareId))));
  }

  /** Events whose data is this share (share.* and response.* carry the whole share). */
  private static boolean carries(String kind, JsonObject data, String shareId) {
    return (kind.startsWith("share.") || kind.startsWith("response.")) && shareId.equals(data.getString("id"));
  }

  /**
   * The prompt feature's reveal: stores the paired share owing its {@code share.created}, like
   * {@link #create}. Safe to repeat: the id decides, so a reveal finished twice (a retry, a repair
   * after a crash) stores it once, and the repeat completes an event the first left owed.
   * Answers whether this call stored it.
   */
  public Future<Boolean> reveal(Share pair) {
    String coupleId = pair.coupleId();
    String shareId = pair.id();
    Mark mark = mark(coupleId, "share.created");
    return vault.coupleKey(coupleId).compose(key -> outbox.pending().register(ShareRepository.SHARES, shareId, mark)
        .compose(v -> repo.list(coupleId, shareId))
        .compose(v -> repo.insert(PendingEvents.onInsert(pair.toDocument(key), mark)))
        .compose(v -> outbox.complete(ShareRepository.SHARES, shareId, mark))
        .map(true)
        .recover(e -> !isDuplicate(e) ? Future.failedFuture(e) : outbox.pending().unlist(mark.op())
            .compose(v -> outbox.settle(ShareRepository.SHARES, shareId)).map(false)));
  }

  // --- the partner's side: responses and the flag ---

  /** {@code PUT /api/shares/{id}/responses/{rid}}. */
  public Future<Saved> respond(Couple couple, String userId, String shareId, String responseId, ResponseDraft draft) {
    return respond(couple, userId, shareId, responseId, draft, ATTEMPTS);
  }

  private Future<Saved> respond(Couple couple, String userId, String shareId, String responseId, ResponseDraft draft, int attempts) {
    return visible(couple.id(), shareId).compose(share -> {
      // In a pair each partner acknowledges the other's answer, so both may.
      if (draft.isAck() && share.authorId().equals(userId) && !share.isPair()) {
        return Future.failedFuture(ApiException.forbidden("Acknowledgements are for your partner's shares; you can add a comment."));
      }
      Share.Response existing = share.response(responseId);
      if (existing != null && !existing.authorId().equals(userId)) {
        return Future.failedFuture(ApiException.forbidden("Only its author can change a response."));
      }
      if (existing != null && existing.sameContent(draft.kind(), draft.ack(), draft.text())) {
        return Future.succeededFuture(new Saved(share, false));
      }
      if (existing == null && share.responses().size() >= MAX_RESPONSES) {
        return Future.failedFuture(ApiException.invalid("responses", "This share has " + MAX_RESPONSES + " responses, the most it can hold."));
      }
      return vault.coupleKey(couple.id()).compose(key -> {
        Future<JsonObject> write = marked(shareId, mark(couple.id(), "response.created"), mark -> existing == null
            ? repo.pushResponse(shareId, couple.id(), new Share.Response(responseId, userId, draft.kind(), draft.ack(), draft.text(),
                Times.format(clock.instant())).toDocument(shareId, key), MAX_RESPONSES, mark)
            : repo.setResponse(shareId, couple.id(), responseId, userId, draft.kind(), draft.ack(),
                key.seal(Share.COLLECTION, shareId, Share.Response.textField(responseId), draft.text()), mark));
        // A response is an update of the share for the partner's screen: updates are announced as
        // response.created too, with the whole share, so a client simply replaces what it shows.
        return written(couple, write, key, "response.created", existing == null,
            () -> respond(couple, userId, shareId, responseId, draft, attempts - 1), attempts);
      });
    });
  }

  /** {@code DELETE /api/shares/{id}/responses/{rid}}. */
  public Future<Void> deleteResponse(Couple couple, String userId, String shareId, String responseId) {
    return deleteResponse(couple, userId, shareId, responseId, ATTEMPTS);
  }

  private Future<Void> deleteResponse(Couple couple, String userId, String shareId, String responseId, int attempts) {
    return visible(couple.id(), shareId).compose(share -> {
      Share.Response existing = share.response(responseId);
      if (existing == null) return Future.failedFuture(ApiException.notFound());
      if (!existing.authorId().equals(userId)) return Future.failedFuture(ApiException.forbidden("Only its author can remove a response."));
      return vault.coupleKey(couple.id()).compose(key -> written(couple, marked(shareId, mark(couple.id(), "response.deleted"),
          mark -> repo.pullResponse(shareId, couple.id(), responseId, userId, mark)),
          key, "response.deleted", false, () -> deleteResponse(couple, userId, shareId, responseId, attempts - 1).map((Saved) null), attempts))
          .mapEmpty();
    });
  }

  /** {@code PUT /api/shares/{id}/counseling}: either partner flags or unflags. */
  public Future<Share> flag(Couple couple, String shareId, boolean flag) {
    return flag(couple, shareId, flag, ATTEMPTS);
  }

  private Future<Share> flag(Couple couple, String shareId, boolean flag, int attempts) {
    return visible(couple.id(), shareId).compose(share -> {
      if (share.counseling() == flag) return Future.succeededFuture(share);
      return vault.coupleKey(couple.id()).compose(key -> written(couple, marked(shareId, mark(couple.id(), "share.flagged"),
          mark -> repo.setCounseling(shareId, couple.id(), flag, mark)), key,
          "share.flagged", false, () -> flag(couple, shareId, flag, attempts - 1).map(s -> new Saved(s, false)), attempts))
          .map(Saved::share);
    });
  }

  /**
   * A joint review was closed (docs/REVIEW.md "Closing"): each share in {@code discussed} is marked
   * discussed at {@code at} and its counseling flag cleared; each in {@code carriedOver} keeps (or
   * gets) the flag for the next review. Every share that changed goes out as {@code share.flagged}
   * with the whole share; a share withdrawn meanwhile is skipped.
   */
  public Future<Void> reviewClosed(String coupleId, List<String> discussed, List<String> carriedOver, String at) {
    return inTurn(discussed, id -> afterClose(id, marked(id, mark(coupleId, "share.flagged"),
            mark -> repo.markDiscussed(id, coupleId, at, mark))))
        .compose(v -> inTurn(carriedOver, id -> afterClose(id, marked(id, mark(coupleId, "share.flagged"),
            mark -> repo.setCounseling(id, coupleId, true, mark)))));
  }

  /** The event of a change made (through the exactly-once path, as a flag is); nothing when nothing changed. */
  private Future<Void> afterClose(String shareId, Future<JsonObject> write) {
    return write.compose(updated -> updated == null ? Future.succeededFuture()
        : outbox.settle(ShareRepository.SHARES, shareId).mapEmpty());
  }

  /**
   * Finishes a change made with one guarded atomic update (so concurrent responses and flags from
   * both partners never overwrite each other). When the guard did not hold (the same response was
   * changed or removed meanwhile, or the share withdrawn), the operation runs again on the fresh
   * share, which then answers accordingly (200 unchanged, 403, 404).
   */
  private Future<Saved> written(Couple couple, Future<JsonObject> write, DataKey key, String eventKind, boolean created,
                                Supplier<Future<Saved>> again, int attempts) {
    return write.compose(updated -> {
      if (updated == null) {
        return attempts > 1 ? again.get()
            : Future.failedFuture(ApiException.conflict("version_conflict", "This share changed meanwhile; please try again."));
      }
      Share saved = Share.fromDocument(updated, key);
      return outbox.settle(ShareRepository.SHARES, saved.id())
          .compose(event -> scrubIfWithdrawn(couple.id(), saved.id()))
          .map(v -> new Saved(saved, created));
    });
  }

  // --- the couple's end, and the account's ---

  @Override
  public Future<Void> shareWithdrawn(String coupleId, String shareId) {
    return Future.succeededFuture(); // the share feature withdraws; nothing else of ours to drop
  }

  /** The couple dissolved: every share, with its responses, goes. */
  @Override
  public Future<Void> coupleDissolved(String coupleId) {
    // The tags list event ids only (the stream itself is erased by the couple feature).
    return repo.listed(coupleId)
        .compose(ids -> Future.all(ids.stream().map(id -> events.dropTag(Stream.couple(coupleId), tag((String) id))).toList()))
        .compose(v -> repo.removeAllOf(coupleId));
  }

  /**
   * For the account export: the user's own shares (with their own responses only) and the
   * responses they wrote on their partner's shares, decrypted.
   */
  public Future<JsonObject> exportOf(String userId) {
    return couples.coupleIdOf(userId).compose(coupleId -> coupleId == null
        ? Future.succeededFuture(List.<Share>of()) : sharesOf(coupleId)).map(all -> {
      JsonArray shares = new JsonArray();
      JsonArray responses = new JsonArray();
      for (Share share : all) {
        List<Share.Response> mine = share.responses().stream().filter(r -> r.authorId().equals(userId)).toList();
        if (share.isPair() && share.hasWordsOf(userId)) {
          // A pair: the person's own answer (the partner's is theirs to export).
          JsonArray own = new JsonArray();
          mine.forEach(r -> own.add(r.toJson()));
          JsonArray ownWords = new JsonArray();
          share.excerpts().stream().filter(e -> userId.equals(e.authorId()))
              .forEach(e -> ownWords.add(new JsonObject().put("stepId", e.stepId()).put("text", e.text()).put("authorId", userId)));
          shares.add(share.toJson().put("excerpts", ownWords).put("responses", own));
        } else if (share.authorId().equals(userId)) {
          JsonArray own = new JsonArray();
          mine.forEach(r -> own.add(r.toJson()));
          shares.add(share.toJson().put("responses", own));
        } else {
          mine.forEach(r -> responses.add(r.toJson().put("shareId", share.id())));
        }
      }
      return new JsonObject().put("shares", shares).put("responses", responses);
    });
  }

  /** For account deletion: withdraws every share the user authored (the couple is dissolved next). */
  public Future<Void> eraseAll(String userId) {
    return couples.coupleIdOf(userId).compose(coupleId -> {
      if (coupleId == null) return Future.succeededFuture();
      return sharesOf(coupleId).compose(all -> inTurn(
          all.stream().filter(s -> s.hasWordsOf(userId)).toList(),
          share -> erase(coupleId, share).recover(e -> e instanceof ApiException api && api.status() == 404
              ? Future.succeededFuture() : Future.failedFuture(e))));
    });
  }

  private static boolean isDuplicate(Throwable e) {
    return e instanceof com.mongodb.MongoException m && m.getCode() == 11000;
  }

  private static <T> Future<Void> inTurn(List<T> items, Function<T, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) chain = chain.compose(v -> step.apply(item));
    return chain;
  }
}
