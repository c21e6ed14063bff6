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
  private static final int BATCH = 250;
  private static final int INSERT_ATTEMPTS = 5;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Clock clock;
  private final Vault vault;
  private final RealtimeMeters meters;

  public EventLog(Vertx vertx, MongoClient mongo, Clock clock, Vault vault) {
    this(vertx, mongo, clock, vault, RealtimeMeters.none());
  }

  public EventLog(Vertx vertx, MongoClient mongo, Clock clock, Vault vault, RealtimeMeters meters) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.clock = clock;
    this.vault = vault;
    this.meters = meters;
  }

  /** The key that opens the stream's stored payloads; for a self stream only its legacy ones, and null when gone. */
  private Future<DataKey> keyOf(Stream stream) {
    return isSelf(stream) ? vault.existingUserKey(stream.key()) : vault.coupleKey(stream.key());
  }

  private static boolean isSelf(Stream stream) {
    return Stream.SELF.equals(stream.type());
  }

  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(EVENTS,
        new JsonObject().put("stream", 1).put("key", 1).put("seq", 1),
        new IndexOptions().unique(true).name("stream_key_seq_unique"));
  }

  /** Appends and publishes; answers the event as sent to clients. */
  public Future<JsonObject> append(Stream stream, String kind, JsonObject data) {
    Future<DataKey> sealing = isSelf(stream) ? Future.succeededFuture(null) : keyOf(stream);
    return sealing.compose(key -> nextSeq(stream).compose(seq -> {
      JsonObject event = new JsonObject().put("type", "event").put("stream", stream.type()).put("seq", seq)
          .put("kind", kind).put("data", data).put("at", Times.format(clock.instant()));
      JsonObject doc = new JsonObject().put("_id", stream.eventId(seq)).put("stream", stream.type())
          .put("key", stream.key()).put("seq", seq).put("kind", kind).put("at", event.getString("at"));
      if (key == null) doc.put("data", data);
      else doc.put("sealed", key.sealJson(data));
      return insert(doc, INSERT_ATTEMPTS).map(v -> {
        meters.appended(stream.type(), kind);
        vertx.eventBus().publish(stream.address(), event);
        return event;
      });
    }));
  }

  private Future<Void> insert(JsonObject doc, int attemptsLeft) {
    return mongo.insert(EVENTS, doc).<Void>mapEmpty().recover(e -> {
      if (attemptsLeft <= 1) {
        LOG.error("Event {} could not be stored; clients of this stream will be reset", doc.getString("_id"));
        return Future.failedFuture(e);
      }
      return insert(doc, attemptsLeft - 1);
    });
  }

  private Future<Long> nextSeq(Stream stream) {
    return mongo.findOneAndUpdateWithOptions(STREAMS, new JsonObject().put("_id", stream.id()),
            new JsonObject().put("$inc", new JsonObject().put("seq", 1L)),
            new FindOptions(), new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .recover(e -> mongo.findOneAndUpdateWithOptions(STREAMS, new JsonObject().put("_id", stream.id()),
            new JsonObject().put("$inc", new JsonObject().put("seq", 1L)),
            new FindOptions(), new UpdateOptions().setUpsert(true).setReturningNewDocument(true)))
        .map(doc -> doc.getLong("seq"));
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
    return sealed == null || key == null ? new JsonObject() : key.openJson(sealed);
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
            JsonObject opened = key.openJson(doc.getString("sealed"));
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
              writes.add(mongo.updateCollection(EVENTS, new JsonObject().put("_id", stream.eventId(event.getLong("seq"))),
                  new JsonObject().put("$set", new JsonObject().put("sealed", key.sealJson(replaced)))));
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
