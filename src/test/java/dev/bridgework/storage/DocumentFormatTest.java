package dev.bridgework.storage;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.junit5.VertxExtension;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The embedded store keeps documents as BSON: every kind of value the app stores comes back the
 * same after a restart, and a data directory written in the earlier format (Java serialization) is
 * converted on open without losing a document.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class DocumentFormatTest {
  private static final String DB = "bridgework";
  private Vertx vertx;

  @BeforeEach
  void injected(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A document with every kind of value, as the driver sends them. */
  private static JsonObject everyKindOfValue(String id) {
    return new JsonObject().put("_id", id)
        .put("text", "Ça va — 你好 — שלום — <b>&amp;</b>")
        .put("int", 7).put("long", 1L << 40).put("double", 2.5).put("yes", true).put("nothing", (Object) null)
        .put("at", new JsonObject().put("$date", "2026-11-25T10:15:30.123Z"))
        .put("nested", new JsonObject().put("deeper", new JsonObject().put("list", new JsonArray().add(1).add("two").add(new JsonObject().put("three", 3)))))
        .put("empty", new JsonObject()).put("emptyList", new JsonArray());
  }

  private static MongoClient client(Vertx vertx, InetSocketAddress address) {
    return MongoClient.create(vertx, new JsonObject()
        .put("connection_string", "mongodb://" + address.getHostString() + ":" + address.getPort())
        .put("db_name", DB).put("useObjectId", false));
  }

  private static void writeSome(MongoClient mongo) {
    mongo.createIndexWithOptions("unique", new JsonObject().put("stream", 1).put("key", 1).put("seq", 1),
        new IndexOptions().unique(true).name("stream_key_seq_unique")).await();
    mongo.insert("unique", new JsonObject().put("_id", "a").put("stream", "couple").put("key", "k").put("seq", 1L)).await();
    for (int i = 0; i < 300; i++) mongo.insert("things", everyKindOfValue("thing-" + i)).await();
    mongo.updateCollection("things", new JsonObject().put("_id", "thing-7"), new JsonObject()
        .put("$inc", new JsonObject().put("long", 1L)).put("$push", new JsonObject().put("emptyList", "pushed"))).await();
    mongo.findOneAndUpdateWithOptions("counters", new JsonObject().put("_id", "c"),
        new JsonObject().put("$inc", new JsonObject().put("seq", 1L)), new FindOptions(),
        new UpdateOptions().setUpsert(true).setReturningNewDocument(true)).await();
  }

  private static void assertAllThere(MongoClient mongo) {
    List<JsonObject> things = mongo.find("things", new JsonObject()).await();
    assertEquals(300, things.size());
    for (JsonObject thing : things) {
      JsonObject expected = everyKindOfValue(thing.getString("_id"));
      if ("thing-7".equals(thing.getString("_id"))) {
        expected.put("long", (1L << 40) + 1).put("emptyList", new JsonArray().add("pushed"));
      }
      assertEquals(expected.encode(), thing.encode());
    }
    assertEquals(1L, mongo.findOne("counters", new JsonObject().put("_id", "c"), null).await().getLong("seq"));
    // Queries still work on the stored values, and the unique indexes still hold.
    assertEquals(1, mongo.count("things", new JsonObject().put("long", (1L << 40) + 1)).await());
    assertEquals(300, mongo.count("things", new JsonObject().put("nested.deeper.list.2.three", 3)).await());
    assertEquals("thing-123", mongo.findOne("things", new JsonObject().put("_id", "thing-123"), null).await().getString("_id"));
    assertEquals(2, mongo.find("things", new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray().add("thing-1").add("thing-299").add("nope")))).await().size());
    assertThrows(Exception.class, () -> mongo.insert("things", everyKindOfValue("thing-42")).await());
    assertThrows(Exception.class, () -> mongo.insert("unique", new JsonObject().put("_id", "b").put("stream", "couple").put("key", "k").put("seq", 1L)).await());
    assertEquals(1, mongo.count("unique", new JsonObject()).await());
  }

  @Test
  void everyKindOfValueComesBackTheSameAfterARestart() throws Exception {
    Path dir = Files.createTempDirectory("bw-bson");
    Database first = Database.start(vertx, null, DB, dir).await();
    writeSome(first.client());
    assertAllThere(first.client());
    first.close().await();

    Database again = Database.start(vertx, null, DB, dir).await();
    assertAllThere(again.client());
    again.close().await();

    assertStoredAsBson(dir.resolve("bridgework.mv.db"));
  }

  @Test
  void aStoreWrittenInTheEarlierFormatIsConvertedOnOpen() throws Exception {
    Path dir = Files.createTempDirectory("bw-legacy");
    Path file = dir.resolve("bridgework.mv.db");
    // Written by mongo-java-server's own H2 backend: documents in Java serialization.
    MongoServer legacy = new MongoServer(new H2Backend(new MVStore.Builder().fileName(file.toString()).open()));
    InetSocketAddress address = legacy.bind();
    MongoClient old = client(vertx, address);
    writeSome(old);
    old.close().await();
    legacy.shutdownNow();

    Database converted = Database.start(vertx, null, DB, dir).await();
    assertAllThere(converted.client());
    converted.client().insert("things", everyKindOfValue("after")).await();
    converted.close().await();
    assertStoredAsBson(file);

    Database reopened = Database.start(vertx, null, DB, dir).await();
    assertEquals(301, reopened.client().count("things", new JsonObject()).await());
    assertAllThere301(reopened.client());
    reopened.close().await();
  }

  private static void assertAllThere301(MongoClient mongo) {
    assertEquals("after", mongo.findOne("things", new JsonObject().put("_id", "after"), null).await().getString("_id"));
    assertThrows(Exception.class, () -> mongo.insert("things", everyKindOfValue("after")).await());
  }

  /** Read back with nothing but the BSON value type: the documents really are BSON in the file. */
  private static void assertStoredAsBson(Path file) {
    MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
    try {
      assertEquals(BsonDocumentType.FORMAT, store.<String, String>openMap("bridgework.storage").get("documents"));
      assertEquals(IndexKeyType.FORMAT, store.<String, String>openMap("bridgework.storage").get("indexKeys"));
      MVMap<KeyValue, Object> ids = store.openMap(DB + ".things._index__id_", StoreFormat.indexKeys());
      assertEquals("thing-7", ids.get(new KeyValue("thing-7")));
      MVMap<KeyValue, Object> seqs = store.openMap(DB + ".unique._index_stream_key_seq_unique", StoreFormat.indexKeys());
      assertEquals("a", seqs.get(new KeyValue("couple", "k", 1.0))); // the index keeps numbers normalized
      MVMap<Object, StoredDocument> things = store.openMap("databases." + DB + ".things", StoreFormat.documents());
      Document seven = things.get("thing-7").decode();
      assertNotNull(seven);
      assertEquals("Ça va — 你好 — שלום — <b>&amp;</b>", seven.get("text"));
      assertEquals((1L << 40) + 1, seven.get("long"));
      assertEquals(Instant.parse("2026-11-25T10:15:30.123Z"), seven.get("at") instanceof java.util.Date d ? d.toInstant() : seven.get("at"));
    } finally {
      store.close();
    }
  }
}
