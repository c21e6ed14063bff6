package dev.bridgework.couple;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A dissolution that broke off right after it was claimed (its node died, the database went away)
 * and that nobody retried is finished by the housekeeping once it is stale: the joint space's words
 * are erased without waiting for either partner to come back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BrokenDissolutionTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  static JsonObject find(String collection, String id) {
    return server.mongo().findOne(collection, new JsonObject().put("_id", id), null).await();
  }

  @Test
  void aDissolutionThatBrokeOffIsFinishedByTheHousekeepingOnceStale() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String coupleId = Pairing.pair(alice, bob);
    String shareId = UUID.randomUUID().toString();
    String words = "words-" + UUID.randomUUID();
    JsonObject share = new JsonObject().put("title", words)
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", words))).put("intent", "listen");
    assertEquals(201, alice.put("/api/shares/" + shareId, share).statusCode());

    // Claimed, then the request died: what the first step of DELETE /api/couple writes, and nothing more.
    server.mongo().updateCollection("couples", new JsonObject().put("_id", coupleId),
        new JsonObject().put("$set", new JsonObject().put("dissolvingAt", server.clock.millis()))).await();
    server.app.housekeeping().await();
    assertNotNull(find("shares", shareId), "young: the request that claimed it may still be working, so it is left alone");

    server.clock.advance(Duration.ofMinutes(2));
    server.app.housekeeping().await();

    assertNull(find("shares", shareId), "the share is erased");
    assertNull(find("couples", coupleId), "the couple is gone");
    assertFalse(server.dumpDatabase().contains(words), "its words are nowhere in the database");
    for (Api person : new Api[] {alice, bob}) {
      var shown = person.get("/api/couple");
      assertEquals(409, shown.statusCode(), "neither is in a joint space any more");
      assertEquals("not_paired", Pairing.errorCode(shown));
    }
    // Again: nothing left to finish.
    server.app.housekeeping().await();
  }
}
