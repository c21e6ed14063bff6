package dev.bridgework.storage;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Owners' directories on the real embedded database: what is listed, what is left out, and the one-time build. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class DirectoryTest {
  private Vertx vertx;
  private Database db;
  private MongoClient mongo;
  private Directory directory;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    db = Database.start(vertx, null, "bridgework", Path.of(Database.IN_MEMORY)).await();
    mongo = db.client();
    directory = new Directory(mongo, "things_lists");
  }

  @AfterEach
  void stop() {
    db.close().await();
  }

  private void thing(String id, String owner) {
    mongo.insert("things", new JsonObject().put("_id", id).put("ownerId", owner).put("text", "t-" + id)).await();
  }

  private Set<String> idsOf(List<JsonObject> docs) {
    return docs.stream().map(d -> d.getString("_id")).collect(Collectors.toSet());
  }

  @Test
  void documentsWrittenBeforeTheDirectoryAreListedOnceItIsBuilt() {
    thing("a1", "ann");
    thing("a2", "ann");
    thing("b1", "ben");
    directory.build("things", "ownerId").await();
    assertEquals(Set.of("a1", "a2"), idsOf(directory.documents("things", "ownerId", "ann", null).await()));
    assertEquals(Set.of("b1"), idsOf(directory.documents("things", "ownerId", "ben", null).await()));
    assertEquals(List.of(), directory.documents("things", "ownerId", "cat", null).await());

    // Built once: a later start does not scan again (what is written since is listed as it is written).
    thing("a3", "ann");
    directory.build("things", "ownerId").await();
    assertEquals(Set.of("a1", "a2"), idsOf(directory.documents("things", "ownerId", "ann", null).await()));
    directory.add("ann", "a3").await();
    assertEquals(Set.of("a1", "a2", "a3"), idsOf(directory.documents("things", "ownerId", "ann", null).await()));
  }

  @Test
  void anIdListedUnderTheWrongOwnerOrWithoutADocumentIsLeftOut() {
    thing("a1", "ann");
    thing("b1", "ben");
    directory.add("ann", "a1").await();
    directory.add("ann", "b1").await();      // someone else's document (a lost create race)
    directory.add("ann", "gone").await();    // a crash between listing and writing
    assertEquals(Set.of("a1"), idsOf(directory.documents("things", "ownerId", "ann", null).await()));
    assertEquals(new JsonArray().add("a1").add("b1").add("gone"), directory.ids("ann").await());

    // Projections pass through; removing and dropping change only the directory.
    JsonObject onlyOwner = directory.documents("things", "ownerId", "ann", new JsonObject().put("text", 0)).await().get(0);
    assertNull(onlyOwner.getString("text"));
    directory.remove("ann", "gone").await();
    assertEquals(new JsonArray().add("a1").add("b1"), directory.ids("ann").await());
    directory.drop("ann").await();
    assertEquals(new JsonArray(), directory.ids("ann").await());
    assertEquals(2, mongo.count("things", new JsonObject()).await());
  }
}
