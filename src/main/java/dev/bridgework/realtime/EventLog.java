package dev.bridgework.realtime;

import dev.bridgework.storage.DataKey;
import dev.bridgework.storage.Vault;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The source of truth for real-time sync (ARCHITECTURE.md "Components"). After a data write
 * succeeded, {@link #append} takes the stream's next number atomically ({@code $inc} on the
 * stream's counter), stores the event under {@code _id = <stream>:<seq>} (unique, and fetched by
 * exact ids so replay stays fast on the embedded server, which ignores secondary indexes), then
 * publishes it on the event bus. A taken number is always filled: the insert is retried.
 *
 * <p>Payloads of the {@code couple} stream carry shared text, so they are stored sealed with the
 * couple's data key; only the bus carries plaintext. Payloads of the {@code self} stream are the
 * owner's private items as their client sealed them (API.md "End-to-end encryption"), stored as
 * they are: the server has nothing to add to an envelope it cannot open. Self events written before
 * end-to-end encryption were sealed with the user's server-side key; {@link #cutLegacySelfHistory}
 * cuts them down to ids before that key is destroyed.
 */
public final class EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
  static final String EVENTS = "events";
  static final String STREAMS = "streams";
  static final String TAGS = "event_tags";
  private static final int CLAIM_ATTEMPTS = 50;
  private static final int BATCH = 250;
  private static final int INSERT_ATTEMPTS = 5;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final MongoClient deferred;
  private final Clock clock;
  private final Vault vault;
  private final Outbox outbox;
  private final RealtimeMeters meters;

  public EventLog(Vertx vertx, MongoClient mongo, Clock clock, Vault vault) {
    this(vertx, mongo, clock, vault, RealtimeMeters.none());
  }

  public EventLog(Vertx vertx, MongoClient mongo, Clock clock, Vault vault, RealtimeMeters meters) {
    this(vertx, mongo, mongo, clock, vault, meters);
  }

  /**
   * {@code deferred}: the client for writes that a later durable write of the same request makes
   * durable ({@code Database#deferredWrites}); {@code mongo} itself where there is no such client.
   */
  public EventLog(Vertx vertx, MongoClient mongo, MongoClient deferred, Clock clock, Vault vault, RealtimeMeters meters) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.deferred = deferred;
    this.clock = clock;
    this.vault = vault;
    this.meters = meters;
    this.outbox = new Outbox(mongo, deferred, this, clock);
  }

  /** Writes sent with this client are durable only once a later durable write is acknowledged. */
  public MongoClient deferredWrites() {
    return deferred;
  }

  /** Where changes that owe an event are completed (docs/REALTIME.md "Exactly one event per change"). */
  public Outbox outbox() {
    return outbox;
  }

  /** The key that opens the stream's stored payloads; for a self stream only its legacy ones, and null when gone. */
  private Future<DataKey> keyOf(Stream stream) {
    return isSelf(stream) ? vault.existingUserKey(stream.key()) : vault.coupleKey(stream.key());
  }

  private static boolean isSelf(Stream stream) {
    return Stream.SELF.equals(stream.type());
  }

  /**
   * Told of every stored event before it is published (notifications, issue #16): by the time a
   * client hears of an event, what the listener recorded about it is there. A listener's failure is
   * logged and never fails the append: the data change and its event already happened.
   */
  public interface AppendListener {
    Future<Void> appended(Stream stream, JsonObject event);
  }

  private final List<AppendListener> appendListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public void onAppend(AppendListener listener) {
    appendListeners.add(listener);
  }

  private Future<Void> tellListeners(Stream stream, JsonObject event) {
    Future<Void> chain = Future.succeededFuture();
    for (AppendListener listener : appendListeners) {
      chain = chain.compose(v -> Future.<Void>succeededFuture().compose(x -> listener.appended(stream, event)).recover(e -> {
        LOG.warn("An append listener failed on {} {}: {}", stream.id(), event.getString("kind"), e.toString());
        return Future.succeededFuture();
      }));
    }
    return chain;
  }

  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(EVENTS,
        new JsonObject().put("stream", 1).put("key", 1).put("seq", 1),
        new IndexOptions().unique(true).name("stream_key_seq_unique"));
  }

  /**
   * Appends and publishes an event no change marks (nothing to complete later, so nothing to bind
   * to an op): the number is taken with a plain {@code $inc}, which never contends. Answers the
   * event as sent to clients.
   */
  public Future<JsonObject> append(Stream stream, String kind, JsonObject data) {
    Future<DataKey> sealing = isSelf(stream) ? Future.succeededFuture(null) : keyOf(stream);
    return sealing.compose(key -> nextSeq(stream).compose(seq -> {
      JsonObject event = new JsonObject().put("type", "event").put("stream", stream.type()).put("seq", seq)
          .put("kind", kind).put("data", data).put("at", Times.format(clock.instant()));
      JsonObject doc = new JsonObject().put("_id", stream.eventId(seq)).put("stream", stream.type())
          .put("key", stream.key()).put("seq", seq).put("kind", kind).put("at", event.getString("at"));
      if (key == null) doc.put("data", data);
      else doc.put("sealed", seal(key, doc.getString("_id"), data));
      return insert(doc, INSERT_ATTEMPTS).compose(inserted -> tellListeners(stream, event).map(inserted)).map(inserted -> {
        meters.appended(stream.type(), kind);
        vertx.eventBus().publish(stream.address(), event);
        return event;
      });
    }));
  }

  private Future<Long> nextSeq(Stream stream) {
    JsonObject byId = new JsonObject().put("_id", stream.id());
    JsonObject inc = new JsonObject().put("$inc", new JsonObject().put("seq", 1L));
    UpdateOptions upsert = new UpdateOptions().setUpsert(true).setReturningNewDocument(true);
    return mongo.findOneAndUpdateWithOptions(STREAMS, byId, inc, new FindOptions(), upsert)
        // Two first events of a stream at once: the losing upsert retries.
        .recover(e -> mongo.findOneAndUpdateWithOptions(STREAMS, byId, inc, new FindOptions(), upsert))
        .map(doc -> doc.getLong("seq"));
  }

  /** What an event says and which tags (e.g. {@code share:<id>}) it must be findable by for later erasure. */
  public record Rendered(JsonObject data, List<String> tags) {
    public static Rendered of(JsonObject data) {
      return new Rendered(data, List.of());
    }
  }

  /**
   * Appends the event of the change {@code op} exactly once, however often it is called, concurrently
   * or after a crash anywhere in between (docs/REALTIME.md "Exactly one event per change"):
   * <ol>
   *   <li>the stream's next number is taken and bound to {@code op} in one compare-and-set on the
   *       stream's counter document ({@code ops.<op>: seq}); a call that finds {@code op} there
   *       reuses that number, so a retried append never takes a second one;</li>
   *   <li>{@code render} makes the data from the document as stored now (also when a number was
   *       taken for a change since overwritten or deleted: a taken number is always filled);</li>
   *   <li>the event's tags are recorded before the event is stored, so erasure never misses it;</li>
   *   <li>the event is stored under {@code <stream>:<seq>} (a duplicate means another caller stored
   *       it already), then published.</li>
   * </ol>
   * {@code stillPending} is asked before a number is taken: false means the change's marker is
   * gone (completed elsewhere, or the change never landed) and nothing is appended; the answer is
   * then null. The caller clears the marker after this succeeds, and only then calls {@link #settled}.
   */
  public Future<JsonObject> appendOnce(Stream stream, String kind, java.util.function.Function<Long, Future<Rendered>> render,
                                       String op, java.util.function.Supplier<Future<Boolean>> stillPending) {
    return appendOnce(stream, kind, render, op, stillPending, event -> Future.succeededFuture());
  }

  /**
   * As above, with {@code whenStored}: it runs as soon as the event is stored (or found stored, or
   * not wanted), side by side with the append listeners; the answer waits for both. The outbox
   * clears the change's mark there. (The request that has just written a change takes the shorter
   * way of {@link #appendFresh}.)
   */
  public Future<JsonObject> appendOnce(Stream stream, String kind, java.util.function.Function<Long, Future<Rendered>> render,
                                       String op, java.util.function.Supplier<Future<Boolean>> stillPending,
                                       java.util.function.Function<JsonObject, Future<Void>> whenStored) {
    Future<DataKey> sealing = isSelf(stream) ? Future.succeededFuture(null) : keyOf(stream);
    Future<Long> claimed = sealing.compose(key -> claimSeq(stream, op, stillPending, CLAIM_ATTEMPTS));
    return claimed.compose(seq -> {
      DataKey key = sealing.result();
      if (seq < 0) return whenStored.apply(null).map((JsonObject) null);
      return render.apply(seq).compose(rendered -> tag(stream, seq, rendered.tags()).compose(v -> {
        JsonObject data = rendered.data();
        JsonObject event = new JsonObject().put("type", "event").put("stream", stream.type()).put("seq", seq)
            .put("kind", kind).put("data", data).put("at", Times.format(clock.instant()));
        JsonObject doc = new JsonObject().put("_id", stream.eventId(seq)).put("stream", stream.type())
            .put("key", stream.key()).put("seq", seq).put("kind", kind).put("at", event.getString("at")).put("op", op);
        if (key == null) doc.put("data", data);
        else doc.put("sealed", seal(key, doc.getString("_id"), data));
        // Only the caller that stored it tells the listeners and publishes: a second completer must not send it twice.
        return insert(doc, INSERT_ATTEMPTS).compose(inserted -> {
          Future<Void> told = !inserted ? Future.succeededFuture() : tellListeners(stream, event).map(x -> {
            meters.appended(stream.type(), kind);
            vertx.eventBus().publish(stream.address(), event);
            return null;
          });
          return Future.all(told, whenStored.apply(event)).map(event);
        });
      }));
    });
  }

  /**
   * The append of the request that has just written the change, when it knows the event's data and
   * tags (the document as it wrote it) and read the stream's counter before writing the mark
   * (docs/PERFORMANCE.md "The share path's database work"). One compare-and-set on that counter
   * binds the op to the next number, sent deferred like the writes before it; if it holds, this
   * call took the number, and the event is stored (the durable write that makes every deferred one
   * before it durable) side by side with its tags (deferred: the caller clears the mark only after
   * this answers, so the tags are in the store before any state without the mark) and the append
   * listeners; the event is published once stored. Answers null, having written nothing, when the
   * compare-and-set does not hold (the counter moved meanwhile): the caller then completes the change
   * the ordinary way ({@link #appendOnce}). The caller clears the mark after this answers, then
   * calls {@link #settled}.
   */
  public Future<JsonObject> appendFresh(Stream stream, String kind, Rendered known, String op, Counter counterBeforeMark) {
    Future<DataKey> sealing = isSelf(stream) ? Future.succeededFuture(null) : keyOf(stream);
    return sealing.compose(key -> claimOnce(stream, op, counterBeforeMark.doc()).compose(seq -> {
      if (seq < 0) return Future.succeededFuture((JsonObject) null);
      JsonObject event = new JsonObject().put("type", "event").put("stream", stream.type()).put("seq", seq)
          .put("kind", kind).put("data", known.data()).put("at", Times.format(clock.instant()));
      JsonObject doc = new JsonObject().put("_id", stream.eventId(seq)).put("stream", stream.type())
          .put("key", stream.key()).put("seq", seq).put("kind", kind).put("at", event.getString("at")).put("op", op);
      if (key == null) doc.put("data", known.data());
      else doc.put("sealed", seal(key, doc.getString("_id"), known.data()));
      Future<Boolean> stored = insert(doc, INSERT_ATTEMPTS);
      Future<Void> tagged = tag(deferred, stream, seq, known.tags());
      // Told beside the insert rather than after it: they record by seq into sets, so the rare second telling (another
      // completer stored the event first and told them too) changes nothing a reader sees.
      Future<Void> told = tellListeners(stream, event);
      return Future.join(stored, tagged, told).transform(done -> {
        if (stored.succeeded() && stored.result()) {
          meters.appended(stream.type(), kind);
          vertx.eventBus().publish(stream.address(), event);
        }
        // A failed tag fails the request although the event may be out: the mark stays, and the retry or the sweep tags it.
        return done.succeeded() ? Future.succeededFuture(event) : Future.failedFuture(done.cause());
      });
    }));
  }

  /** One compare-and-set on the counter as read: the number it bound, or -1 when the counter moved meanwhile. */
  private Future<Long> claimOnce(Stream stream, String op, JsonObject counter) {
    JsonObject byId = new JsonObject().put("_id", stream.id());
    if (counter == null) {
      JsonObject first = byId.copy().put("seq", 1L).put("gen", 0L).put("ops", new JsonObject().put(op, 1L));
      return deferred.insert(STREAMS, first).map(1L).recover(e -> isDuplicate(e) ? Future.succeededFuture(-1L) : Future.failedFuture(e));
    }
    // Guarded by the head alone, not the gen: every number taken moves the head, so a head unchanged since the counter
    // was read, before the mark existed, means nobody has taken one for this op (nobody could see it pending before),
    // while ops forgotten meanwhile (an earlier request's clean-up, which bumps the gen) do not make it fail.
    long head = counter.getLong("seq", 0L);
    JsonObject query = byId.copy().put("seq", head).put("ops." + op, new JsonObject().put("$exists", false));
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("seq", head + 1).put("ops." + op, head + 1));
    return deferred.findOneAndUpdateWithOptions(STREAMS, query, update, new FindOptions(), new UpdateOptions())
        .map(before -> before != null ? head + 1 : -1L);
  }

  /** A stream's counter document as read at one moment; {@code doc} is null when the stream had none. */
  public record Counter(JsonObject doc) {}

  /** The stream's counter as stored now, for {@link #appendFresh}'s {@code counterBeforeMark}. */
  public Future<Counter> counter(Stream stream) {
    return mongo.findOne(STREAMS, new JsonObject().put("_id", stream.id()), null).map(Counter::new);
  }

  /** Forgets the op's number once its marker is cleared (a later call of the op then finds no marker). */
  public Future<Void> settled(Stream stream, String op) {
    return settled(mongo, stream, op);
  }

  /** As above, with the given client (the outbox forgets a fresh append's op deferred, after the answer). */
  Future<Void> settled(MongoClient via, Stream stream, String op) {
    return via.updateCollection(STREAMS, new JsonObject().put("_id", stream.id()),
        new JsonObject().put("$unset", new JsonObject().put("ops." + op, "")).put("$inc", new JsonObject().put("gen", 1L)))
        .mapEmpty();
  }

  /**
   * The number bound to {@code op}, taking the next one if there is none: -1 when the op is no
   * longer pending. The compare-and-set holds the head, the {@code gen} (bumped whenever an op is
   * forgotten) and the absence of the op; so a caller that saw the marker, then the counter without
   * the op, cannot take a number for an op that another caller completed and forgot meanwhile:
   * forgetting happens only after the marker is cleared, and bumps {@code gen}.
   */
  private Future<Long> claimSeq(Stream stream, String op, java.util.function.Supplier<Future<Boolean>> stillPending, int attempts) {
    return mongo.findOne(STREAMS, new JsonObject().put("_id", stream.id()), null)
        .compose(counter -> claimFrom(stream, op, counter, stillPending, attempts));
  }

  /** The claim on a counter read already. */
  private Future<Long> claimFrom(Stream stream, String op, JsonObject counter, java.util.function.Supplier<Future<Boolean>> stillPending,
                                 int attempts) {
    JsonObject byId = new JsonObject().put("_id", stream.id());
    JsonObject ops = counter == null ? null : counter.getJsonObject("ops");
    if (ops != null && ops.getValue(op) != null) return Future.succeededFuture(ops.getLong(op));
    return stillPending.get().compose(pending -> {
      if (!pending) return Future.succeededFuture(-1L);
      // The claim is sent deferred: the event's insert after it is durable and makes it so; a crash before that loses
      // both (and whatever a completer took from the claim meanwhile was its own durable write, which keeps it).
      if (counter == null) {
        JsonObject first = byId.copy().put("seq", 1L).put("gen", 0L).put("ops", new JsonObject().put(op, 1L));
        return deferred.insert(STREAMS, first).map(1L)
            .recover(e -> retryClaim(stream, op, stillPending, attempts, e));
      }
      long head = counter.getLong("seq", 0L);
      JsonObject query = byId.copy().put("seq", head).put("ops." + op, new JsonObject().put("$exists", false));
      Object gen = counter.getValue("gen");
      query.put("gen", gen == null ? new JsonObject().put("$exists", false) : gen);
      JsonObject update = new JsonObject().put("$set", new JsonObject().put("seq", head + 1).put("ops." + op, head + 1));
      return deferred.findOneAndUpdateWithOptions(STREAMS, query, update, new FindOptions(), new UpdateOptions())
          .compose(before -> before != null ? Future.succeededFuture(head + 1)
              : retryClaim(stream, op, stillPending, attempts, null));
    });
  }

  private Future<Long> retryClaim(Stream stream, String op, java.util.function.Supplier<Future<Boolean>> stillPending,
                                  int attempts, Throwable cause) {
    if (attempts <= 1) {
      return Future.failedFuture(cause != null ? cause : new IllegalStateException("stream " + stream.id() + " stayed contended"));
    }
    // Others are appending to the same stream (two partners, a few devices): back off a little, at random.
    long delay = attempts > CLAIM_ATTEMPTS - 3 ? 0 : 1 + (long) (Math.random() * 5);
    if (delay == 0) return claimSeq(stream, op, stillPending, attempts - 1);
    return vertx.timer(delay).compose(t -> claimSeq(stream, op, stillPending, attempts - 1));
  }

  /** Stores an event; true when this call stored it, false when it was stored already. */
  private Future<Boolean> insert(JsonObject doc, int attemptsLeft) {
    return mongo.insert(EVENTS, doc).map(true).recover(e -> {
      if (isDuplicate(e)) return Future.succeededFuture(false); // its number is bound to this op: another caller stored it
      if (attemptsLeft <= 1) {
        LOG.error("Event {} could not be stored yet; the pending change completes it later", doc.getString("_id"));
        return Future.failedFuture(e);
      }
      return insert(doc, attemptsLeft - 1);
    });
  }

  private static boolean isDuplicate(Throwable e) {
    return e instanceof com.mongodb.MongoException m && m.getCode() == 11000;
  }

  // ---- tags: which events carry what, so erasing one thing touches only its events ----

  private static JsonObject tagId(Stream stream, String tag) {
    return new JsonObject().put("_id", stream.id() + "|" + tag);
  }

  /**
   * Records that event {@code seq} carries {@code tags}; before the event is stored (the outbox may
   * do it while rendering). Deferred: only ever before the event's insert, which is durable and so
   * makes them durable (or they are redone).
   */
  Future<Void> tag(Stream stream, long seq, List<String> tags) {
    return tag(deferred, stream, seq, tags);
  }

  private Future<Void> tag(MongoClient via, Stream stream, long seq, List<String> tags) {
    List<Future<?>> writes = new ArrayList<>();
    for (String tag : tags) {
      writes.add(via.updateCollectionWithOptions(TAGS, tagId(stream, tag),
          new JsonObject().put("$addToSet", new JsonObject().put("events", stream.eventId(seq))), new UpdateOptions().setUpsert(true))
          // Two first events of one tag at once: the losing upsert retries as an update.
          .recover(e -> via.updateCollection(TAGS, tagId(stream, tag),
              new JsonObject().put("$addToSet", new JsonObject().put("events", stream.eventId(seq))))));
    }
    return Future.all(writes).mapEmpty();
  }

  /**
   * Rewrites the stored events tagged {@code tag} (and only those): {@code transform} gets each
   * event's kind and data and returns replacement data, or null to leave it. The cost is the
   * number of tagged events, not the stream's history.
   */
  public Future<Void> rewriteTagged(Stream stream, String tag, BiFunction<String, JsonObject, JsonObject> transform) {
    return mongo.findOne(TAGS, tagId(stream, tag), null).compose(tags -> {
      JsonArray ids = tags == null ? new JsonArray() : tags.getJsonArray("events", new JsonArray());
      if (ids.isEmpty()) return Future.succeededFuture();
      return keyOf(stream).compose(key -> mongo.find(EVENTS, new JsonObject().put("_id", new JsonObject().put("$in", ids)))
          .compose(docs -> {
            List<Future<?>> writes = new ArrayList<>();
            for (JsonObject doc : docs) {
              JsonObject data = payload(doc, key);
              JsonObject replaced = transform.apply(doc.getString("kind"), data.copy());
              if (replaced == null || replaced.equals(data)) continue;
              JsonObject set = key == null ? new JsonObject().put("data", replaced) : new JsonObject().put("sealed", seal(key, doc.getString("_id"), replaced));
              writes.add(mongo.updateCollection(EVENTS, new JsonObject().put("_id", doc.getString("_id")), new JsonObject().put("$set", set)));
            }
            return Future.all(writes).mapEmpty();
          }));
    });
  }

  /** Forgets a tag (its events are erased or no longer carry it). */
  public Future<Void> dropTag(Stream stream, String tag) {
    return mongo.removeDocument(TAGS, tagId(stream, tag)).mapEmpty();
  }

  /** {@link #dropTag}, deferred: for a step a durable write of the same request follows (a withdrawal's last). */
  public Future<Void> dropTagDeferred(Stream stream, String tag) {
    return deferred.removeDocument(TAGS, tagId(stream, tag)).mapEmpty();
  }

  /** The newest seq of the stream, 0 when it has none. */
  public Future<Long> head(Stream stream) {
    return mongo.findOne(STREAMS, new JsonObject().put("_id", stream.id()), null)
        .map(doc -> doc == null ? 0L : doc.getLong("seq", 0L));
  }

  /** The heads of many streams in one query, keyed by {@link Stream#id()}; absent streams are 0. */
  public Future<Map<String, Long>> heads(Collection<Stream> streams) {
    if (streams.isEmpty()) return Future.succeededFuture(Map.of());
    JsonArray ids = new JsonArray();
    for (Stream s : streams) ids.add(s.id());
    return mongo.find(STREAMS, new JsonObject().put("_id", new JsonObject().put("$in", ids))).map(docs -> {
      Map<String, Long> heads = new HashMap<>();
      for (Stream s : streams) heads.put(s.id(), 0L);
      for (JsonObject doc : docs) heads.put(doc.getString("_id"), doc.getLong("seq", 0L));
      return heads;
    });
  }

  /**
   * The stored events with {@code from <= seq <= to}, in order, as sent to clients. A seq that is
   * taken but not yet stored is simply absent; the caller decides what a hole means.
   */
  public Future<List<JsonObject>> read(Stream stream, long from, long to) {
    if (from > to) return Future.succeededFuture(List.of());
    return keyOf(stream).compose(key -> read(stream, key, from, to));
  }

  private Future<List<JsonObject>> read(Stream stream, DataKey key, long from, long to) {
    return rawRead(stream, from, to).map(docs -> {
      List<JsonObject> events = new ArrayList<>();
      for (JsonObject doc : docs) events.add(toEvent(doc, key));
      events.sort(Comparator.comparingLong(e -> e.getLong("seq")));
      return events;
    });
  }

  private static JsonObject toEvent(JsonObject doc, DataKey key) {
    return new JsonObject().put("type", "event").put("stream", doc.getString("stream")).put("seq", doc.getLong("seq"))
        .put("kind", doc.getString("kind")).put("data", payload(doc, key)).put("at", doc.getString("at"));
  }

  private static JsonObject payload(JsonObject doc, DataKey key) {
    if (doc.getValue("data") instanceof JsonObject data) return data;
    String sealed = doc.getString("sealed");
    // A legacy self event whose key is gone has been cut to its id already; nothing else can be shown.
    return sealed == null || key == null ? new JsonObject() : open(key, doc.getString("_id"), sealed);
  }

  /**
   * A payload sealed for its own event: the associated data binds the events collection, the
   * event's id ({@code <stream>:<seq>}, never reused within a stream) and the field, so one event's
   * payload copied over another's does not open. Events written before this ({@code e1:}) still open.
   */
  private static String seal(DataKey key, String eventId, JsonObject data) {
    return key.sealJson(EVENTS, eventId, "sealed", data);
  }

  private static JsonObject open(DataKey key, String eventId, String sealed) {
    return key.openJson(EVENTS, eventId, "sealed", sealed);
  }

  /**
   * Rewrites the self events written before end-to-end encryption (sealed with the user's
   * server-side key, carrying private text) down to the id of what they announced, stored as plain
   * data, so that the key can be destroyed and the stream stays gapless. A client replaying them
   * sees {@code {id}} and reloads that item.
   */
  public Future<Void> cutLegacySelfHistory(String userId) {
    Stream stream = Stream.self(userId);
    return vault.existingUserKey(userId).compose(key -> key == null ? Future.succeededFuture() : head(stream)
        .compose(head -> head == 0 ? Future.succeededFuture(List.<JsonObject>of()) : rawRead(stream, 1, head))
        .compose(docs -> {
          List<Future<?>> writes = new ArrayList<>();
          for (JsonObject doc : docs) {
            if (doc.getString("sealed") == null) continue;
            JsonObject opened = open(key, doc.getString("_id"), doc.getString("sealed"));
            JsonObject cut = opened.containsKey("id") ? new JsonObject().put("id", opened.getValue("id")) : new JsonObject();
            writes.add(mongo.updateCollection(EVENTS, new JsonObject().put("_id", doc.getString("_id")),
                new JsonObject().put("$set", new JsonObject().put("data", cut)).put("$unset", new JsonObject().put("sealed", ""))));
          }
          return Future.all(writes).mapEmpty();
        }));
  }

  private Future<List<JsonObject>> rawRead(Stream stream, long from, long to) {
    List<Future<List<JsonObject>>> batches = new ArrayList<>();
    for (long start = from; start <= to; start += BATCH) {
      long end = Math.min(to, start + BATCH - 1);
      JsonArray ids = new JsonArray();
      for (long s = start; s <= end; s++) ids.add(stream.eventId(s));
      batches.add(mongo.find(EVENTS, new JsonObject().put("_id", new JsonObject().put("$in", ids))));
    }
    return Future.all(batches).map(all -> {
      List<JsonObject> docs = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) docs.addAll(batches.get(i).result());
      return docs;
    });
  }

  /**
   * Rewrites stored events of a stream in place: {@code transform} gets each event's kind and data
   * and returns replacement data, or null to leave the event as it is. Used to erase a withdrawn
   * share's text from history.
   */
  public Future<Void> rewrite(Stream stream, BiFunction<String, JsonObject, JsonObject> transform) {
    return keyOf(stream).compose(key -> head(stream)
        .compose(head -> head == 0 ? Future.succeededFuture(List.<JsonObject>of()) : read(stream, key, 1, head))
        .compose(events -> {
          List<Future<?>> writes = new ArrayList<>();
          for (JsonObject event : events) {
            JsonObject data = event.getJsonObject("data");
            JsonObject replaced = transform.apply(event.getString("kind"), data.copy());
            if (replaced != null && !replaced.equals(data)) {
              String eventId = stream.eventId(event.getLong("seq"));
              writes.add(mongo.updateCollection(EVENTS, new JsonObject().put("_id", eventId),
                  new JsonObject().put("$set", new JsonObject().put("sealed", seal(key, eventId, replaced)))));
            }
          }
          return Future.all(writes).mapEmpty();
        }));
  }

  /** Erases a stream: every stored event and its counter (a new pairing starts a new stream at 1). */
  public Future<Void> erase(Stream stream) {
    return head(stream).compose(head -> {
      List<Future<?>> deletes = new ArrayList<>();
      for (long start = 1; start <= head; start += BATCH) {
        JsonArray ids = new JsonArray();
        for (long s = start; s <= Math.min(head, start + BATCH - 1); s++) ids.add(stream.eventId(s));
        deletes.add(mongo.removeDocuments(EVENTS, new JsonObject().put("_id", new JsonObject().put("$in", ids))));
      }
      return Future.all(deletes);
    }).compose(v -> mongo.removeDocument(STREAMS, new JsonObject().put("_id", stream.id()))).mapEmpty();
  }
}
