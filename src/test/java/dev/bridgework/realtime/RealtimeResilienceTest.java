package dev.bridgework.realtime;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the gateway does when things go wrong: a writer that took a seq and stores it late or
 * never, a client too slow to read, a session that expires while its socket is open.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class RealtimeResilienceTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void defaultLimits() {
    server.app.realtime().limits(RealtimeLimits.defaults());
  }

  private static JsonObject append(Stream stream, String kind, JsonObject data) {
    return server.app.events().append(stream, kind, data).await();
  }

  /** Takes the stream's next seq the way a writer does, without storing the event (yet). */
  private static long takeSeq(Stream stream) {
    JsonObject counter = server.mongo().findOneAndUpdateWithOptions("streams", new JsonObject().put("_id", stream.id()),
        new JsonObject().put("$inc", new JsonObject().put("seq", 1L)), new io.vertx.ext.mongo.FindOptions(),
        new io.vertx.ext.mongo.UpdateOptions().setUpsert(true).setReturningNewDocument(true)).await();
    return counter.getLong("seq");
  }

  /** Stores an event under a seq taken earlier, as the event log does (sealed with the owner's key). */
  private static void storeLate(Stream stream, long seq, String kind, JsonObject data) {
    String sealed = server.app.vault().userKey(stream.key()).await().sealJson("events", stream.eventId(seq), "sealed", data);
    server.mongo().insert("events", new JsonObject().put("_id", stream.eventId(seq)).put("stream", stream.type())
        .put("key", stream.key()).put("seq", seq).put("kind", kind).put("sealed", sealed)
        .put("at", "2026-01-01T00:00:00.000Z")).await();
  }

  @Test
  void aLateWriterWithinTheGraceIsWaitedForAndDeliveredInOrder() {
    server.app.realtime().limits(RealtimeLimits.defaults().withHoleGrace(Duration.ofSeconds(10)));
    Api alice = server.register("Alice");
    Stream stream = Stream.self(alice.id());
    append(stream, "part.saved", new JsonObject().put("id", "p1"));
    try (Ws a = Ws.live(alice)) {
      long taken = takeSeq(stream);
      assertEquals(2L, taken);
      append(stream, "part.saved", new JsonObject().put("id", "p3"));
      // Seq 3 is live but 2 is missing: nothing may be sent until 2 is there.
      a.assertQuiet();
      storeLate(stream, taken, "part.saved", new JsonObject().put("id", "p2"));
      JsonObject second = a.next("event");
      assertEquals(2L, second.getLong("seq"));
      assertEquals("p2", second.getJsonObject("data").getString("id"));
      JsonObject third = a.next("event");
      assertEquals(3L, third.getLong("seq"));
      a.assertQuiet();
    }
  }

  @Test
  void aSeqNeverStoredEndsInResetAndDeliveryGoesOnFromTheHead() {
    server.app.realtime().limits(RealtimeLimits.defaults().withHoleGrace(Duration.ofMillis(300)));
    Api alice = server.register("Alice");
    Stream stream = Stream.self(alice.id());
    try (Ws a = Ws.live(alice)) {
      append(stream, "part.saved", new JsonObject().put("id", "p1"));
      assertTrue(Ws.isEvent(a.next(), "self", 1));
      takeSeq(stream);
      append(stream, "part.saved", new JsonObject().put("id", "p3"));
      JsonObject reset = a.next("reset");
      assertEquals(new JsonObject().put("type", "reset").put("stream", "self").put("head", 3L), reset);
      append(stream, "part.saved", new JsonObject().put("id", "p4"));
      assertTrue(Ws.isEvent(a.next(), "self", 4));
      a.assertQuiet();
    }
    // History that is gone is a reset on resume too (here: seq 2 of 4 never stored).
    try (Ws again = Ws.open(alice)) {
      again.send(new JsonObject().put("type", "resume").put("self", 0).put("couple", 0));
      assertTrue(Ws.isEvent(again.next(), "self", 1));
      assertEquals(new JsonObject().put("type", "reset").put("stream", "self").put("head", 4L), again.next("reset"));
      again.next("synced");
      again.assertQuiet();
    }
  }

  @Test
  void aClientThatStopsReadingIsClosedWith1013AndResumesWithoutLoss() {
    server.app.realtime().limits(RealtimeLimits.defaults().withStall(Duration.ofMillis(500), 64 * 1024));
    Api alice = server.register("Alice");
    Stream stream = Stream.self(alice.id());
    String text = "x".repeat(60 * 1024);
    int total = 0;
    try (Ws a = Ws.live(alice)) {
      a.socket.pause();
      // Written until the server gives up on the socket; how much fits in the kernel's buffers varies.
      while (server.app.realtime().openSockets(alice.id()) > 0) {
        assertTrue(total < 3000, "never closed");
        List<Future<JsonObject>> appends = new ArrayList<>();
        for (int i = 0; i < 25; i++) appends.add(server.app.events().append(stream, "reflection.saved",
            new JsonObject().put("id", "r" + (total + i)).put("note", text)));
        Future.all(appends).await();
        total += 25;
      }
      a.socket.resume();
      assertEquals(1013, a.awaitClose());
      List<Long> got = a.received().stream().filter(f -> "event".equals(f.getString("type"))).map(f -> f.getLong("seq")).toList();
      assertTrue(got.size() < total, "closed before everything was sent: " + got.size());
      assertEquals(LongStream.rangeClosed(1, got.size()).boxed().toList(), got);
      long last = got.isEmpty() ? 0 : got.get(got.size() - 1);
      try (Ws again = Ws.open(alice)) {
        again.send(new JsonObject().put("type", "resume").put("self", last).put("couple", 0));
        List<JsonObject> rest = again.until(f -> "synced".equals(f.getString("type")));
        List<Long> seqs = rest.stream().filter(f -> "event".equals(f.getString("type"))).map(f -> f.getLong("seq")).toList();
        assertEquals(LongStream.rangeClosed(last + 1, total).boxed().toList(), seqs);
      }
    }
  }

  @Test
  void aSessionThatExpiresWhileItsSocketIsOpenIsClosedWith4401() {
    Api alice = server.register("Alice");
    try (Ws a = Ws.live(alice)) {
      server.clock.advance(Duration.ofHours(13));
      // A session younger than the idle timeout stays.
      Api bob = server.register("Bob");
      try (Ws b = Ws.live(bob)) {
        server.app.realtime().sweep().await();
        assertEquals(4401, a.awaitClose());
        b.assertQuiet();
      }
    }
  }
}
