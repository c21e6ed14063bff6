package dev.bridgework.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.UpdateOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The embedded store commits before each write is acknowledged, while other commands run. A commit
 * writes (serialises) the documents changed since the last one; a command changing one of them at
 * the same moment used to break the commit ({@code ConcurrentModificationException}), after which
 * H2 closed the store and every later request failed (found by the soak). Here many writers change
 * the same few growing documents at once, without any lock in the client, on a file store: every
 * write must be acknowledged, and every change must be there after a reopen.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ConcurrentCommitTest {
  static final int DOCUMENTS = 4;
  static final int WRITES = 1_500;

  @Test
  void concurrentWritesToTheSameDocumentsNeverBreakACommit(Vertx vertx) throws Exception {
    Path dir = Files.createTempDirectory("bw-commit");
    Database db = Database.start(vertx, null, "bw", dir, Duration.ofSeconds(30), null, 0, null).await();
    var mongo = db.client();
    for (int d = 0; d < DOCUMENTS; d++) {
      mongo.insert("hot", new JsonObject().put("_id", "doc" + d).put("items", new JsonArray())).await();
    }
    String filler = "x".repeat(400);
    List<Future<?>> writes = new ArrayList<>();
    for (int i = 0; i < WRITES; i++) {
      String id = "doc" + (i % DOCUMENTS);
      JsonObject item = new JsonObject().put("n", i).put("text", filler);
      // Growing arrays, nested changes and replacements, all in flight at once.
      writes.add(i % 3 == 0
          ? mongo.findOneAndUpdateWithOptions("hot", new JsonObject().put("_id", id),
              new JsonObject().put("$push", new JsonObject().put("items", item)).put("$inc", new JsonObject().put("count", 1)),
              new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
          : mongo.updateCollection("hot", new JsonObject().put("_id", id),
              new JsonObject().put("$push", new JsonObject().put("items", item)).put("$inc", new JsonObject().put("count", 1))));
    }
    Future.all(writes).await();
    db.close().await();

    Database reopened = Database.start(vertx, null, "bw", dir, Duration.ofSeconds(30), null, 0, null).await();
    long total = 0;
    for (int d = 0; d < DOCUMENTS; d++) {
      JsonObject doc = reopened.client().findOne("hot", new JsonObject().put("_id", "doc" + d), null).await();
      assertEquals(doc.getInteger("count"), doc.getJsonArray("items").size());
      total += doc.getInteger("count");
    }
    assertEquals(WRITES, total, "every acknowledged write is in the file");
    reopened.close().await();
  }
}
