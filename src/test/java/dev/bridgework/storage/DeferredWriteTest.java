package dev.bridgework.storage;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.bson.Document;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded store honours a write's write concern ({@link DurableH2Backend#askedDurable}): a write
 * sent with {@code j: false} (the client {@link Database#deferredWrites} gives) is applied without a
 * commit of its own, and the next durable write's commit makes it durable too. The "crash" closes
 * the store without writing anything ({@code MVStore.closeImmediately}), as a {@code kill -9} would
 * leave the file, and opens the file again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class DeferredWriteTest {

  /** The embedded server on a file, reached by a durable and a deferred client, as {@link Database} connects them. */
  private record Store(DurableH2Backend backend, MongoServer server, MongoClient durable, MongoClient deferred) {
    static Store open(Vertx vertx, Path file) {
      DurableH2Backend backend = DurableH2Backend.open(file.toString());
      MongoServer server = new MongoServer(backend);
      InetSocketAddress a = server.bind();
      String uri = "mongodb://" + a.getHostString() + ":" + a.getPort();
      return new Store(backend, server, client(vertx, uri), client(vertx, uri + "/?w=1&journal=false"));
    }

    private static MongoClient client(Vertx vertx, String uri) {
      return MongoClient.create(vertx, new JsonObject().put("connection_string", uri).put("db_name", "deferred").put("useObjectId", false));
    }

    /** As if the process were killed: nothing more is written to the file. */
    void crash() {
      Future.join(durable.close(), deferred.close()).await();
      backend.getMvStore().closeImmediately();
      try {
        server.shutdownNow();
      } catch (RuntimeException closedAlready) {
        // The store is closed already; only the server's sockets were left to go.
      }
    }

    void close() {
      Future.join(durable.close(), deferred.close()).await();
      server.shutdownNow();
    }
  }

  private static JsonObject doc(String id) {
    return new JsonObject().put("_id", id).put("n", 1);
  }

  @Test
  void writeConcernsThatDoNotAskForDurability() {
    assertTrue(DurableH2Backend.askedDurable(new Document("insert", "c")));
    assertTrue(DurableH2Backend.askedDurable(new Document("insert", "c").append("writeConcern", new Document("w", 1))));
    assertTrue(DurableH2Backend.askedDurable(new Document("insert", "c").append("writeConcern", new Document("w", "majority").append("j", true))));
    assertFalse(DurableH2Backend.askedDurable(new Document("insert", "c").append("writeConcern", new Document("w", 1).append("j", false))));
    assertFalse(DurableH2Backend.askedDurable(new Document("insert", "c").append("writeConcern", new Document("w", 0))));
  }

  @Test
  void anUnjournaledWriteIsMadeDurableByTheNextDurableOne(Vertx vertx) throws Exception {
    Path file = Files.createTempDirectory("bw-deferred").resolve("store.mv.db");
    Store store = Store.open(vertx, file);
    store.deferred.insert("things", doc("first")).await();
    store.deferred.updateCollection("things", new JsonObject().put("_id", "first"), new JsonObject().put("$set", new JsonObject().put("n", 2))).await();
    // Applied, and not committed on its own: the store holds changes not yet in the file.
    assertTrue(store.backend.getMvStore().hasUnsavedChanges(), "an unjournaled write is not committed on its own");
    assertEquals(2, store.durable.findOne("things", new JsonObject().put("_id", "first"), null).await().getInteger("n"),
        "it is applied: readers see it");
    store.durable.insert("things", doc("second")).await();
    assertFalse(store.backend.getMvStore().hasUnsavedChanges(), "the durable write committed everything applied before it");
    store.crash();

    Store reopened = Store.open(vertx, file);
    try {
      List<JsonObject> things = reopened.durable.find("things", new JsonObject()).await();
      assertEquals(2, things.size(), things.toString());
      JsonObject first = reopened.durable.findOne("things", new JsonObject().put("_id", "first"), null).await();
      assertNotNull(first, "the unjournaled write survives with the durable one after it");
      assertEquals(2, first.getInteger("n"));
      assertNotNull(reopened.durable.findOne("things", new JsonObject().put("_id", "second"), null).await());
    } finally {
      reopened.close();
    }
  }

  @Test
  void anUnjournaledWriteAloneLeavesTheFileReadable(Vertx vertx) throws Exception {
    Path file = Files.createTempDirectory("bw-deferred-alone").resolve("store.mv.db");
    Store store = Store.open(vertx, file);
    store.durable.insert("things", doc("kept")).await();
    store.deferred.insert("things", doc("maybe")).await();
    store.crash();

    // Whether "maybe" is there is not promised (the next commit would have written it); what was durable is.
    Store reopened = Store.open(vertx, file);
    try {
      assertNotNull(reopened.durable.findOne("things", new JsonObject().put("_id", "kept"), null).await());
      reopened.durable.insert("things", doc("after")).await();
      assertNotNull(reopened.durable.findOne("things", new JsonObject().put("_id", "after"), null).await());
    } finally {
      reopened.close();
    }
  }
}
