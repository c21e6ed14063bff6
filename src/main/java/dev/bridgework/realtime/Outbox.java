package dev.bridgework.realtime;

import dev.bridgework.storage.PendingEvents;
import dev.bridgework.storage.PendingEvents.Mark;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
  private final EventLog events;
  private final PendingEvents pending;
  private final Clock clock;
  private final Map<String, Source> sources = new ConcurrentHashMap<>();

  Outbox(MongoClient mongo, EventLog events, Clock clock) {
    this.mongo = mongo;
    this.events = events;
    this.clock = clock;
    this.pending = new PendingEvents(mongo, clock);
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
    return events.appendOnce(stream, mark.kind(),
            seq -> mongo.findOne(collection, byId, null).compose(doc -> source.render(docId, doc, mark)),
            mark.op(),
            () -> mongo.findOne(collection, byId, null).compose(doc -> {
              if (doc == null || PendingEvents.marksOf(doc).stream().noneMatch(m -> m.op().equals(mark.op()))) {
                return Future.succeededFuture(false);
              }
              return source.wanted(doc, mark);
            }))
        // Cleared only after the event is stored; the stream forgets the op only after that (EventLog#claimSeq).
        .compose(event -> mongo.updateCollection(collection, byId, new JsonObject().put("$unset", new JsonObject().put(mark.path(), ""))))
        .compose(v -> events.settled(stream, mark.op()))
        .compose(v -> pending.unlist(mark.op()));
  }

  /**
   * Lists a deletion before the document goes; answers the mark to complete with
   * {@link #completeDeletion} once it is gone. A deletion of the same document still pending is
   * completed first.
   */
  public Future<Mark> deleting(String collection, String docId, String type, String key, String kind) {
    return settleDeletion(collection, docId)
        .compose(v -> pending.registerDeletion(collection, docId, pending.mark(type, key, kind)));
  }

  /** Completes a pending deletion of the document, if there is one; true when there was. */
  public Future<Boolean> settleDeletion(String collection, String docId) {
    return pending.deletion(collection, docId).compose(entry -> entry == null ? Future.succeededFuture(false)
        : completeDeletion(collection, docId, PendingEvents.markOf(entry)).map(true));
  }

  /**
   * The deletion's event, once: its entry is its mark. It counts only when the document is gone;
   * an entry whose document is still there is a deletion that never happened, and is dropped.
   */
  public Future<Void> completeDeletion(String collection, String docId, Mark mark) {
    Source source = source(collection);
    String entryId = PendingEvents.deletionId(collection, docId);
    Stream stream = streamOf(mark);
    return mongo.findOne(collection, new JsonObject().put("_id", docId), new JsonObject().put("_id", 1)).compose(doc -> {
      if (doc != null) {
        // Still there: the delete did not happen (a number taken for it is still filled, with its id).
        return events.appendOnce(stream, mark.kind(), seq -> source.render(docId, null, mark), mark.op(),
                () -> Future.succeededFuture(false))
            .compose(e -> events.settled(stream, mark.op())).compose(v -> pending.unlist(entryId));
      }
      return source.beforeDeleted(docId, mark)
          .compose(v -> events.appendOnce(stream, mark.kind(), seq -> source.render(docId, null, mark), mark.op(),
              () -> pending.deletion(collection, docId).map(entry -> entry != null
                  && mark.op().equals(entry.getString("op")) && !entry.getBoolean("done", false))))
          .compose(event -> pending.deletionAnnounced(entryId))
          .compose(v -> events.settled(stream, mark.op()))
          .compose(v -> source.afterDeleted(docId, mark))
          .compose(v -> pending.unlist(entryId));
    });
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
