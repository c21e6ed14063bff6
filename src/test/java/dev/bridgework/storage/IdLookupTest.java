package dev.bridgework.storage;

import de.bwaldvogel.mongo.bson.Document;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Queries that name their ids go straight to those documents on the embedded database, and answer
 * exactly what MongoDB would: the rest of the query still decides, for reads, updates and deletes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class IdLookupTest {
  private Vertx vertx;
  private Database db;
  private MongoClient mongo;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    db = Database.start(vertx, null, "bridgework", Path.of(Database.IN_MEMORY)).await();
    mongo = db.client();
    for (String id : List.of("c", "a", "b")) {
      mongo.insert("things", new JsonObject().put("_id", id).put("owner", id.equals("b") ? "ben" : "ann").put("version", 1L)).await();
    }
    mongo.insert("things", new JsonObject().put("_id", 7).put("owner", "num")).await();
  }

  @AfterEach
  void stop() {
    db.close().await();
  }

  private List<String> ids(JsonObject query) {
    return mongo.find("things", query).await().stream().map(d -> String.valueOf(d.getValue("_id"))).toList();
  }

  private static JsonObject in(String... ids) {
    return new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(List.of((Object[]) ids))));
  }

  @Test
  void readsCheckTheRestOfTheQuery() {
    assertEquals(List.of("a"), ids(new JsonObject().put("_id", "a")));
    assertEquals(List.of("a"), ids(new JsonObject().put("_id", "a").put("owner", "ann").put("version", 1L)));
    assertEquals(List.of(), ids(new JsonObject().put("_id", "a").put("version", 2L)));
    assertEquals(List.of(), ids(new JsonObject().put("_id", "nope")));
    // In id order without a sort (as a scan would give), ids named twice or missing are harmless.
    assertEquals(List.of("a", "b", "c"), ids(in("c", "nope", "a", "b", "a")));
    assertEquals(List.of("a", "c"), ids(in("c", "a", "b").put("owner", "ann")));
    var sorted = mongo.findWithOptions("things", in("a", "b", "c"), new FindOptions().setSort(new JsonObject().put("_id", -1))).await();
    assertEquals(List.of("c", "b", "a"), sorted.stream().map(d -> d.getString("_id")).toList());
    assertEquals(2, mongo.count("things", in("a", "b", "x")).await());
    // Other ids and other shapes go the stock way.
    assertEquals(List.of("7"), ids(new JsonObject().put("_id", 7)));
    assertEquals(List.of("b"), ids(new JsonObject().put("owner", "ben")));
    assertEquals(List.of("a", "b"), ids(new JsonObject().put("_id", new JsonObject().put("$lt", "c"))));
  }

  @Test
  void onlyQueriesNamingStringIdsTakeTheDirectPath() {
    assertEquals(List.of("a"), IdLookupCollection.stringIds(new Document("_id", "a").append("version", 2L)));
    assertEquals(List.of("a", "b"), IdLookupCollection.stringIds(new Document("_id", new Document("$in", List.of("a", "b")))));
    assertNull(IdLookupCollection.stringIds(new Document("owner", "ann")));
    assertNull(IdLookupCollection.stringIds(new Document("_id", 7)));
    assertNull(IdLookupCollection.stringIds(new Document("_id", new Document("$in", List.of("a", 7)))));
    assertNull(IdLookupCollection.stringIds(new Document("_id", new Document("$gt", "a"))));
    assertNull(IdLookupCollection.stringIds(new Document("_id", new Document("$in", List.of("a")).append("$ne", "b"))));
  }

  @Test
  void updatesAndDeletesHappenOnlyWhereTheWholeQueryHolds() {
    JsonObject inc = new JsonObject().put("$inc", new JsonObject().put("version", 1L));
    assertNull(mongo.findOneAndUpdate("things", new JsonObject().put("_id", "a").put("version", 5L), inc).await());
    assertEquals(1L, mongo.findOne("things", new JsonObject().put("_id", "a"), null).await().getLong("version"));
    assertEquals(1L, mongo.findOneAndUpdate("things", new JsonObject().put("_id", "a").put("version", 1L), inc).await().getLong("version"));
    assertEquals(2L, mongo.findOne("things", new JsonObject().put("_id", "a"), null).await().getLong("version"));

    assertEquals(0L, mongo.updateCollection("things", new JsonObject().put("_id", "b").put("owner", "ann"), inc).await().getDocModified());
    assertEquals(2L, mongo.updateCollectionWithOptions("things", in("a", "b", "c").put("owner", "ann"),
        new JsonObject().put("$set", new JsonObject().put("seen", true)), new UpdateOptions().setMulti(true)).await().getDocModified());

    // An upsert on a new id still inserts it.
    mongo.updateCollectionWithOptions("things", new JsonObject().put("_id", "d"), new JsonObject().put("$set", new JsonObject().put("owner", "dan")),
        new UpdateOptions().setUpsert(true)).await();
    assertEquals("dan", mongo.findOne("things", new JsonObject().put("_id", "d"), null).await().getString("owner"));

    assertEquals(0L, mongo.removeDocument("things", new JsonObject().put("_id", "b").put("owner", "ann")).await().getRemovedCount());
    assertEquals(2L, mongo.removeDocuments("things", in("a", "b", "c").put("owner", "ann")).await().getRemovedCount());
    assertEquals(List.of("7", "b", "d"), ids(new JsonObject()).stream().sorted().toList());
  }
}
