package dev.bridgework.realtime;

import dev.bridgework.storage.PendingEvents;
import dev.bridgework.storage.PendingEvents.Mark;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Completes the events that changes owe (docs/REALTIME.md "Exactly one event per change"). A
 * feature writes its change with a {@link Mark} on the document ({@link PendingEvents}), then asks
 * for {@link #settle}: the event is appended through {@link EventLog#appendOnce} keyed by the
 * mark's op, the mark is cleared, the op forgotten by the stream, the change unlisted. Every step
 * may be repeated, by the request's retry (which settles the document before changing it again),
 * by a concurrent request, or by the {@link #sweep}; the event is stored once.
 *
 * <p>Each collection that carries marks registers a {@link Source}, which turns the stored
 * document into the event's data: so the event says what is stored, whenever it is completed.
 */
public final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  /**
   * How old a listed change must be before the sweep takes it up. A request still writing its
   * document is left alone for this long (the sweep would otherwise find no mark and drop the
   * entry); completing it twice is harmless, dropping it early is not.
   */
  public static final Duration GRACE = Duration.ofSeconds(30);

  /** Turns a stored document into its event; the hooks let deletions erase what they must, idempotently. */
  public interface Source {
    /** The event's data for {@code doc} as stored now; {@code doc} is null when it is gone (deleted, withdrawn). */
    Future<EventLog.Rendered> render(String docId, JsonObject doc, Mark mark);

    /**
     * The tags of every event of this document, when they do not depend on what is stored (null
     * otherwise): then they are recorded while the event is rendered, not after.
     */
    default List<String> tagsOf(String docId) {
      return null;
    }

    /** False when a marked change must not be announced after all (a review start that lost its race). */
    default Future<Boolean> wanted(JsonObject doc, Mark mark) {
      return Future.succeededFuture(true);
    }

    /** Runs before a deletion's event is appended (possibly again). */
    default Future<Void> beforeDeleted(String docId, Mark mark) {
      return Future.succeededFuture();
    }

    /** Runs after a deletion's event was appended (possibly again). */
    default Future<Void> afterDeleted(String docId, Mark mark) {
      return Future.succeededFuture();
    }
  }

  private final MongoClient mongo;
  private final MongoClient deferred;
  private final EventLog events;
  private final PendingEvents pending;
  private final Clock clock;
  private final Map<String, Source> sources = new ConcurrentHashMap<>();
  /** Clean-ups after an answer still under way ({@link #completeFresh}). */
  private final Set<Future<Void>> cleanUps = ConcurrentHashMap.newKeySet();

  Outbox(MongoClient mongo, MongoClient deferred, EventLog events, Clock clock) {
    this.mongo = mongo;
    this.deferred = deferred;
    this.events = events;
    this.clock = clock;
    this.pending = new PendingEvents(mongo, deferred, clock);
  }

  public PendingEvents pending() {
    return pending;
  }

  public void register(String collection, Source source) {
    sources.put(collection, source);
  }

  private Source source(String collection) {
    Source source = sources.get(collection);
    if (source == null) throw new IllegalStateException("no event source for " + collection);
    return source;
  }

  private static Stream streamOf(Mark mark) {
    return new Stream(mark.type(), mark.key());
  }

  /** Completes every event the document still owes, oldest first. */
  public Future<Void> settle(String collection, String docId) {
    return mongo.findOne(collection, new JsonObject().put("_id", docId), null).compose(doc -> {
      Future<Void> chain = Future.succeededFuture();
      for (Mark mark : PendingEvents.marksOf(doc)) chain = chain.compose(v -> complete(collection, docId, mark));
      return chain;
    });
  }

  /** Completes one marked change (it may have completed already: then only the leftovers are cleaned up). */
  public Future<Void> complete(String collection, String docId, Mark mark) {
    Source source = source(collection);
    JsonObject byId = new JsonObject().put("_id", docId);
    Stream stream = streamOf(mark);
    return events.appendOnce(stream, mark.kind(), seq -> rendered(source, collection, docId, mark, stream, seq),
            mark.op(),
            () -> mongo.findOne(collection, byId, null).compose(doc -> {
              if (doc == null || PendingEvents.marksOf(doc).stream().noneMatch(m -> m.op().equals(mark.op()))) {
                return Future.succeededFuture(false);
              }
              return source.wanted(doc, mark);
            }),
            // Cleared only after the event is stored (side by side with the append listeners), and unlisted with it: an
            // entry whose mark is cleared is done. The stream forgets the op only after that (EventLog#claimSeq).
            event -> Future.all(
                mongo.updateCollection(collection, byId, new JsonObject().put("$unset", new JsonObject().put(mark.path(), ""))),
                pending.unlist(mark.op())).mapEmpty())
        .compose(v -> events.settled(stream, mark.op()));
  }

  /**
   * Completes the change the caller has just written, its writes so far sent deferred
   * ({@link EventLog#deferredWrites}): {@code known} is the event's data and tags from the document
   * as the caller wrote it, {@code counterBeforeMark} the stream's counter as read before the mark
   * was written. The event is stored (durably: with it everything the request wrote before) and
   * published through {@link EventLog#appendFresh}; this answers then. The mark is cleared, the op
   * forgotten and the change unlisted after that, in this order and deferred, off the answer's path:
   * a failure or a crash before the next commit leaves a prefix of them undone, which the retry of a
   * request on the document or the {@link #sweep} completes (the op bound: the number is reused and
   * the event found stored; the mark cleared: the entry is dropped). When the counter moved
   * meanwhile, the change is completed the ordinary way ({@link #complete}), before answering.
   */
  public Future<Void> completeFresh(String collection, String docId, Mark mark, EventLog.Counter counterBeforeMark,
                                    EventLog.Rendered known) {
    Stream stream = streamOf(mark);
    return events.appendFresh(stream, mark.kind(), known, mark.op(), counterBeforeMark).compose(event -> {
      if (event == null) return complete(collection, docId, mark);
      // Counted before the answer, so whoever has the answer can wait for it (cleanUpsDone).
      Promise<Void> done = Promise.promise();
      cleanUps.add(done.future());
      done.future().onComplete(ar -> cleanUps.remove(done.future()));
      // On the next turn of the event loop: the caller's answer, written on this one, goes out first.
      io.vertx.core.Context context = Vertx.currentContext();
      if (context != null) context.runOnContext(v -> cleanUp(collection, docId, mark, stream).onComplete(done));
      else cleanUp(collection, docId, mark, stream).onComplete(done);
      return Future.succeededFuture();
    });
  }

  /** What a fresh append leaves for after the answer: mark cleared, op forgotten, entry unlisted, in this order, deferred. */
  private Future<Void> cleanUp(String collection, String docId, Mark mark, Stream stream) {
    return deferred.updateCollection(collection, new JsonObject().put("_id", docId), new JsonObject().put("$unset", new JsonObject().put(mark.path(), "")))
        .compose(v -> events.settled(deferred, stream, mark.op()))
        .compose(v -> pending.unlistDeferred(mark.op()))
        .onFailure(e -> LOG.warn("Clean-up after the {} event of a {} document left to the sweep: {}", mark.kind(), collection,
            e.getClass().getSimpleName()))
        // A failed clean-up is the sweep's to finish; it is over as far as waiting for it goes.
        .otherwiseEmpty();
  }

  /**
   * Completes once every clean-up begun after an answer so far ({@link #completeFresh}) is over: a
   * test that compares the stored state before and after a refused request waits for it first, so
   * the create it made just before does not change that state in between.
   */
  public Future<Void> cleanUpsDone() {
    return Future.join(new ArrayList<>(cleanUps)).mapEmpty();
  }

  /** The event's data from the document as stored now; tags known in advance are recorded meanwhile. */
  private Future<EventLog.Rendered> rendered(Source source, String collection, String docId, Mark mark, Stream stream, long seq) {
    Future<EventLog.Rendered> rendering = mongo.findOne(collection, new JsonObject().put("_id", docId), null)
        .compose(doc -> source.render(docId, doc, mark));
    List<String> known = source.tagsOf(docId);
    if (known == null) return rendering;
    return Future.all(rendering, events.tag(stream, seq, known)).map(v -> {
      EventLog.Rendered r = rendering.result();
      return new EventLog.Rendered(r.data(), r.tags().stream().filter(t -> !known.contains(t)).toList());
    });
  }

  /**
   * Lists a deletion before the document goes; answers the mark to complete with
   * {@link #completeDeletion} once it is gone, or null when the document went before it was
   * listed. A deletion of the same document still owed its event is completed first; one still
   * under way (its document there) is joined: its mark is answered.
   */
  public Future<Mark> deleting(String collection, String docId, String type, String key, String kind) {
    Mark wanted = pending.mark(type, key, kind);
    return settleDeletion(collection, docId)
        .compose(v -> pending.registerDeletion(collection, docId, wanted))
        // Listed by this call (its own op): nobody has decided it yet, so it is decided without reading it back.
        .compose(mark -> mark == null ? Future.succeededFuture((Mark) null) : live(collection, docId, mark, mark.op().equals(wanted.op()))
            .compose(live -> live ? Future.succeededFuture(mark)
                : pending.unlistDeletion(collection, docId, mark.op()).map((Mark) null)));
  }

  /**
   * Whether the listed deletion may remove and announce the document ({@link PendingEvents#decideDeletion}):
   * false when the document was gone before it was listed, removed by a deletion that announced it
   * already. Callers answer as for a document that is not there, and announce nothing.
   */
  private Future<Boolean> live(String collection, String docId, Mark mark) {
    return live(collection, docId, mark, false);
  }

  /** {@code listedHere}: the caller has just listed the entry itself ({@link PendingEvents#decideListedDeletion}). */
  private Future<Boolean> live(String collection, String docId, Mark mark, boolean listedHere) {
    java.util.function.Supplier<Future<Boolean>> there =
        () -> mongo.findOne(collection, new JsonObject().put("_id", docId), new JsonObject().put("_id", 1)).map(doc -> doc != null);
    return (listedHere ? pending.decideListedDeletion(collection, docId, mark.op(), there)
        : pending.decideDeletion(collection, docId, mark.op(), there))
        .map(PendingEvents.LIVE::equals);
  }

  /**
   * Completes a pending deletion of the document whose document is gone (its event is owed); true
   * when there was one. An entry whose document is still there is left alone: another request
   * may be about to remove it under that entry (a deletion joins it, {@link #deleting}), and one
   * that never removed it is dropped by the sweep.
   */
  public Future<Boolean> settleDeletion(String collection, String docId) {
    return pending.deletion(collection, docId).compose(entry -> entry == null ? Future.succeededFuture(false)
        : mongo.findOne(collection, new JsonObject().put("_id", docId), new JsonObject().put("_id", 1))
            .compose(doc -> doc != null ? Future.succeededFuture(false)
                : completeDeletion(collection, docId, PendingEvents.markOf(entry)).map(true)));
  }

  /**
   * The deletion's event, once: its entry is its mark. It counts only when the document is gone;
   * an entry whose document is still there is a deletion that never happened, and is dropped.
   */
  public Future<Void> completeDeletion(String collection, String docId, Mark mark) {
    Source source = source(collection);
    String entryId = PendingEvents.deletionId(collection, docId);
    Stream stream = streamOf(mark);
    return pending.deletion(collection, docId).compose(entry -> {
      if (entry == null || !mark.op().equals(entry.getString("op"))) return Future.succeededFuture(true);
      String state = entry.getString("state");
      return state != null ? Future.succeededFuture(!PendingEvents.VOID.equals(state)) : live(collection, docId, mark);
    }).compose(live -> {
      // Listed after the document had gone (see deleting): an earlier deletion announced it; drop the entry, announce nothing.
      if (!live) return pending.unlistDeletion(collection, docId, mark.op());
      return completeListedDeletion(collection, docId, mark, source, entryId, stream);
    });
  }

  /**
   * {@link #completeDeletion} for the caller that has just removed the document under its own
   * {@link PendingEvents#LIVE} entry ({@link #deleting} answered it the mark): the entry and the
   * document are not read back. Each step may still have been done by another caller sharing the
   * entry meanwhile; every one of them is safe to repeat.
   */
  public Future<Void> completeRemoved(String collection, String docId, Mark mark) {
    return announceDeletion(collection, docId, mark, source(collection), PendingEvents.deletionId(collection, docId), streamOf(mark));
  }

  private Future<Void> completeListedDeletion(String collection, String docId, Mark mark, Source source, String entryId, Stream stream) {
    return mongo.findOne(collection, new JsonObject().put("_id", docId), new JsonObject().put("_id", 1)).compose(doc -> {
      if (doc != null) {
        // Still there: the delete did not happen (a number taken for it is still filled, with its id).
        return events.appendOnce(stream, mark.kind(), seq -> source.render(docId, null, mark), mark.op(),
                () -> Future.succeededFuture(false))
            .compose(e -> events.settled(stream, mark.op())).compose(v -> pending.unlist(entryId));
      }
      return announceDeletion(collection, docId, mark, source, entryId, stream);
    });
  }

  /** The document is gone under a live entry: what it carried erased, the deletion announced once, the entry dropped. */
  private Future<Void> announceDeletion(String collection, String docId, Mark mark, Source source, String entryId, Stream stream) {
    return source.beforeDeleted(docId, mark)
        .compose(v -> events.appendOnce(stream, mark.kind(), seq -> source.render(docId, null, mark), mark.op(),
            () -> pending.deletion(collection, docId).map(entry -> entry != null
                && mark.op().equals(entry.getString("op")) && !entry.getBoolean("done", false)
                && !PendingEvents.VOID.equals(entry.getString("state")))))
        // Deferred up to the entry's removal, which is durable and so makes them durable, in this order.
        .compose(event -> pending.deletionAnnounced(entryId))
        .compose(v -> events.settled(deferred, stream, mark.op()))
        .compose(v -> source.afterDeleted(docId, mark))
        .compose(v -> pending.unlist(entryId));
  }

  /**
   * Completes every listed change older than {@code olderThan}: at start-up and at intervals
   * (ARCHITECTURE.md "No change without its event"). Answers how many entries it took up.
   */
  public Future<Integer> sweep(Duration olderThan) {
    long before = clock.millis() - olderThan.toMillis();
    return pending.all().compose(entries -> {
      List<JsonObject> due = entries.stream()
          .filter(e -> e.getLong("at", 0L) <= before).toList();
      Future<Void> chain = Future.succeededFuture();
      for (JsonObject entry : due) {
        chain = chain.compose(v -> sweepOne(entry).recover(e -> {
          LOG.warn("Pending event {} not completed yet: {}", entry.getString("_id"), e.toString());
          return Future.succeededFuture();
        }));
      }
      return chain.map(due.size());
    });
  }

  private Future<Void> sweepOne(JsonObject entry) {
    String collection = entry.getString("coll");
    String docId = entry.getString("doc");
    Mark mark = PendingEvents.markOf(entry);
    if (!sources.containsKey(collection)) return Future.succeededFuture();
    if (entry.getBoolean("deletion", false)) return completeDeletion(collection, docId, mark);
    return complete(collection, docId, mark);
  }

  /** Sweeps now and then every {@code every}; answers the timer id (cancel it on shutdown). */
  public long sweepEvery(Vertx vertx, Duration every) {
    return vertx.setPeriodic(every.toMillis(), id -> sweep(GRACE).onFailure(e -> LOG.warn("Event sweep failed: {}", e.toString())));
  }
}
