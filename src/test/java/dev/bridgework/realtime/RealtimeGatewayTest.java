package dev.bridgework.realtime;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class RealtimeGatewayTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  private static EventLog log() {
    return server.app.events();
  }

  private static JsonObject append(Stream stream, String kind, JsonObject data) {
    return log().append(stream, kind, data).await();
  }

  private static JsonObject share(String id) {
    return new JsonObject().put("id", id).put("title", "About the weekend");
  }

  /** Pairs over HTTP: the couple stream starts with {@code couple.joined} at seq 1. */
  private static String pair(Api a, Api b) {
    return Couples.pair(a, b);
  }

  // ---------------------------------------------------------------- delivery and privacy

  @Test
  void coupleEventReachesPartnerAndAuthorsOtherDeviceButNoStranger() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Api stranger = server.register("Stranger");
    String couple = pair(alice, bob);
    Api alicePhone = alice.anotherDevice();
    try (Ws a = Ws.live(alice); Ws a2 = Ws.live(alicePhone); Ws b = Ws.live(bob); Ws s = Ws.live(stranger)) {
      assertEquals(alice.id(), a.welcome.getString("userId"));
      assertEquals(couple, a.welcome.getString("coupleId"));
      assertEquals(new JsonObject().put("self", 0L).put("couple", 1L), a.welcome.getJsonObject("heads"));
      assertEquals(couple, b.welcome.getString("coupleId"));
      assertNull(s.welcome.getValue("coupleId"));
      assertTrue(s.welcome.containsKey("coupleId"));
      assertEquals(new JsonObject().put("self", 0L).put("couple", 0L), s.welcome.getJsonObject("heads"));
      assertFalse(s.welcome.getBoolean("partnerOnline"));
      assertFalse(a.welcome.getBoolean("partnerOnline"));
      assertTrue(b.welcome.getBoolean("partnerOnline"));
      // Bob coming online is told to both of Alice's devices, once.
      JsonObject bobOnline = new JsonObject().put("type", "presence").put("userId", bob.id()).put("online", true);
      assertEquals(bobOnline, a.next("presence"));
      assertEquals(bobOnline, a2.next("presence"));

      String shareId = UUID.randomUUID().toString();
      JsonObject stored = append(Stream.couple(couple), "share.created", share(shareId));
      for (Ws ws : List.of(a, a2, b)) {
        JsonObject event = ws.next("event");
        assertEquals("couple", event.getString("stream"));
        assertEquals(2L, event.getLong("seq"));
        assertEquals("share.created", event.getString("kind"));
        assertEquals(share(shareId), event.getJsonObject("data"));
        assertEquals(stored.getString("at"), event.getString("at"));
        assertEquals(Set.of("type", "stream", "seq", "kind", "data", "at"), event.fieldNames());
      }
      s.assertQuiet();
      for (Ws ws : List.of(a, a2, b)) ws.assertQuiet();
    }
  }

  @Test
  void selfEventsReachOnlyTheOwnersDevices() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    pair(alice, bob);
    try (Ws a = Ws.live(alice); Ws a2 = Ws.live(alice.anotherDevice()); Ws b = Ws.live(bob)) {
      a.next("presence");
      a2.next("presence");
      append(Stream.self(alice.id()), "reflection.saved", new JsonObject().put("id", "r1").put("status", "draft"));
      for (Ws ws : List.of(a, a2)) {
        JsonObject event = ws.next("event");
        assertEquals("self", event.getString("stream"));
        assertEquals(1L, event.getLong("seq"));
        assertEquals("reflection.saved", event.getString("kind"));
      }
      b.assertQuiet();
      // Bob's own self stream is separate and numbered on its own.
      append(Stream.self(bob.id()), "checkin.saved", new JsonObject().put("id", "c1"));
      JsonObject bobs = b.next("event");
      assertEquals(1L, bobs.getLong("seq"));
      assertEquals("self", bobs.getString("stream"));
      a.assertQuiet();
      a2.assertQuiet();
    }
  }

  @Test
  void nothingButPresenceIsSentBeforeResume() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String couple = pair(alice, bob);
    try (Ws a = Ws.open(alice)) {
      append(Stream.couple(couple), "share.created", share("s1"));
      append(Stream.self(alice.id()), "part.saved", new JsonObject().put("id", "p1"));
      try (Ws b = Ws.open(bob)) {
        // Bob came online: the only frame Alice may get before resuming.
        JsonObject presence = a.next("presence");
        assertEquals(new JsonObject().put("type", "presence").put("userId", bob.id()).put("online", true), presence);
        a.assertQuiet();
        a.send(new JsonObject().put("type", "resume").put("self", 0).put("couple", 0));
        List<JsonObject> frames = a.until(f -> "synced".equals(f.getString("type")));
        assertEquals(4, frames.size(), frames.toString());
        assertEquals("couple.joined", frames.stream().filter(f -> Ws.isEvent(f, "couple", 1)).findFirst().orElseThrow()
            .getString("kind"));
        assertTrue(frames.stream().anyMatch(f -> Ws.isEvent(f, "couple", 2)));
        assertTrue(frames.stream().anyMatch(f -> Ws.isEvent(f, "self", 1)));
        b.assertQuiet();
      }
    }
  }

  // ---------------------------------------------------------------- resume

  @Test
  void resumeReplaysAThousandEventsInOrderExactlyOnceWhileLiveAppendsContinue() throws Exception {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String couple = pair(alice, bob);
    Stream stream = Stream.couple(couple);
    long seen;
    try (Ws first = Ws.live(alice)) {
      append(stream, "share.created", share("s0"));
      seen = first.next("event").getLong("seq");
      assertEquals(2L, seen);
    }
    // Appended in concurrent chunks: the log numbers them without gaps whatever the interleaving.
    for (int chunk = 0; chunk < 10; chunk++) {
      List<Future<JsonObject>> appends = new ArrayList<>();
      for (int i = 0; i < 100; i++) appends.add(log().append(stream, "share.updated", share("s" + chunk + "-" + i)));
      Future.all(appends).await();
    }

    try (Ws again = Ws.open(alice)) {
      assertEquals(1002L, again.welcome.getJsonObject("heads").getLong("couple"));
      again.send(new JsonObject().put("type", "resume").put("self", 0).put("couple", seen));
      // Concurrent writers while the replay runs: their events arrive live and from the log at once.
      CompletableFuture<Void> writers = CompletableFuture.runAsync(() -> {
        List<Future<JsonObject>> appends = new ArrayList<>();
        for (int i = 0; i < 200; i++) appends.add(log().append(stream, "response.created", new JsonObject().put("id", "x" + i)));
        Future.all(appends).await();
      });
      List<JsonObject> frames = again.until(f -> Ws.isEvent(f, "couple", 1202));
      writers.get(60, TimeUnit.SECONDS);
      List<Long> seqs = frames.stream().filter(f -> "event".equals(f.getString("type")))
          .map(f -> f.getLong("seq")).collect(Collectors.toList());
      assertEquals(LongStream.rangeClosed(3, 1202).boxed().toList(), seqs);
      int synced = -1;
      for (int i = 0; i < frames.size(); i++) if ("synced".equals(frames.get(i).getString("type"))) synced = i;
      assertTrue(synced >= 1000, "synced after the replay: " + synced);
      assertEquals(1, frames.stream().filter(f -> "synced".equals(f.getString("type"))).count());
      again.assertQuiet();
    }
    assertEquals(1202L, log().head(stream).await());
  }

  @Test
  void concurrentWritersNeverLeaveAGapOrADuplicate() throws Exception {
    Api alice = server.register("Alice");
    Stream stream = Stream.self(alice.id());
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try (Ws a = Ws.live(alice)) {
      List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 20; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            log().append(stream, "reflection.saved", new JsonObject().put("id", writer + "-" + i)).await();
          }
        }));
      }
      for (var writer : writers) writer.get(60, TimeUnit.SECONDS);
      List<JsonObject> frames = a.until(f -> Ws.isEvent(f, "self", 1000));
      List<Long> seqs = frames.stream().map(f -> f.getLong("seq")).toList();
      assertEquals(LongStream.rangeClosed(1, 1000).boxed().toList(), seqs);
      a.assertQuiet();
    }
    pool.shutdown();
    assertEquals(1000L, log().head(stream).await());
    List<JsonObject> stored = log().read(stream, 1, 1000).await();
    assertEquals(LongStream.rangeClosed(1, 1000).boxed().toList(), stored.stream().map(e -> e.getLong("seq")).toList());
    Set<String> ids = new HashSet<>();
    for (JsonObject e : stored) assertTrue(ids.add(e.getJsonObject("data").getString("id")), "twice: " + e.encode());
    assertEquals(1000L, server.mongo().count("events", new JsonObject().put("key", alice.id())).await());
  }

  @Test
  void resumeBeyondTheHeadGetsResetAndContinuesFromTheHead() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String couple = pair(alice, bob);
    append(Stream.couple(couple), "share.created", share("s1"));
    append(Stream.self(alice.id()), "part.saved", new JsonObject().put("id", "p1"));
    try (Ws a = Ws.open(alice)) {
      a.send(new JsonObject().put("type", "resume").put("self", 7).put("couple", 2));
      JsonObject reset = a.next("reset");
      assertEquals("self", reset.getString("stream"));
      assertEquals(1L, reset.getLong("head"));
      a.next("synced");
      append(Stream.self(alice.id()), "part.saved", new JsonObject().put("id", "p2"));
      assertTrue(Ws.isEvent(a.next(), "self", 2));
      a.assertQuiet();
    }
    // Unpaired, any couple seq is beyond the (empty) couple stream.
    Api carol = server.register("Carol");
    try (Ws c = Ws.open(carol)) {
      c.send(new JsonObject().put("type", "resume").put("self", 0).put("couple", 3));
      JsonObject reset = c.next("reset");
      assertEquals(new JsonObject().put("type", "reset").put("stream", "couple").put("head", 0L), reset);
      c.next("synced");
    }
  }

  @Test
  void aSecondResumeOnTheSameSocketReplaysFromItsNewPointExactlyOnce() {
    Api alice = server.register("Alice");
    Stream stream = Stream.self(alice.id());
    try (Ws a = Ws.live(alice)) {
      for (int i = 1; i <= 3; i++) {
        append(stream, "part.saved", new JsonObject().put("id", "p" + i));
        assertTrue(Ws.isEvent(a.next(), "self", i));
      }
      // The client believes it missed everything after 1 (the web app does this on a gap).
      a.send(new JsonObject().put("type", "resume").put("self", 1).put("couple", 0));
      assertTrue(Ws.isEvent(a.next(), "self", 2));
      assertTrue(Ws.isEvent(a.next(), "self", 3));
      a.next("synced");
      append(stream, "part.saved", new JsonObject().put("id", "p4"));
      assertTrue(Ws.isEvent(a.next(), "self", 4));
      a.assertQuiet();
    }
  }

  // ---------------------------------------------------------------- handshake

  @Test
  void upgradesFromOtherOriginsAreRefused() {
    Api alice = server.register("Alice");
    int port = server.port();
    for (String origin : List.of("http://localhost:" + port + ".evil.test", "null", "http://evil.test",
        "https://localhost:" + port, "http://localhost:" + (port + 1))) {
      UpgradeRejectedException e = Ws.refused(server.vertx, port, alice.cookieHeader(), origin);
      assertEquals(403, e.getStatus(), origin);
      assertEquals("forbidden_origin", e.getBody().toJsonObject().getJsonObject("error").getString("code"), origin);
    }
    assertEquals(0L, openSocketsOf(alice));
    // The server's own origin is fine.
    try (Ws a = Ws.live(alice)) {
      a.assertQuiet();
    }
  }

  @Test
  void upgradesWithoutAValidSessionAreRefused() {
    int port = server.port();
    UpgradeRejectedException none = Ws.refused(server.vertx, port, null, null);
    assertEquals(401, none.getStatus());
    assertEquals("unauthenticated", none.getBody().toJsonObject().getJsonObject("error").getString("code"));
    UpgradeRejectedException forged = Ws.refused(server.vertx, port, "bw_session=" + "A".repeat(43), null);
    assertEquals(401, forged.getStatus());
    Api alice = server.register("Alice");
    String cookie = alice.cookieHeader();
    assertEquals(204, alice.post("/api/auth/logout", null).statusCode());
    UpgradeRejectedException loggedOut = Ws.refused(server.vertx, port, cookie, "http://localhost:" + port);
    assertEquals(401, loggedOut.getStatus());
  }

  @Test
  void aRequestThatIsNotAWebSocketHandshakeGetsAClearError() {
    Api alice = server.register("Alice");
    var plain = alice.get("/api/ws");
    assertEquals(400, plain.statusCode(), plain.bodyAsString());
    assertEquals("invalid", plain.bodyAsJsonObject().getJsonObject("error").getString("code"));
    var broken = alice.raw(io.vertx.core.http.HttpMethod.GET, "/api/ws", null,
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Upgrade", "websocket").add("Connection", "Upgrade"), null);
    assertEquals(400, broken.statusCode(), broken.bodyAsString());
    var anonymous = server.client().get("/api/ws");
    assertEquals(401, anonymous.statusCode());
    assertEquals("unauthenticated", anonymous.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals(0L, openSocketsOf(alice));
  }

  private static long openSocketsOf(Api api) {
    return server.app.realtime().openSockets(api.id());
  }

  // ---------------------------------------------------------------- bad frames

  @Test
  void malformedAndUnknownFramesGetAnErrorAndTheSocketStaysOpen() {
    Api alice = server.register("Alice");
    try (Ws a = Ws.live(alice)) {
      for (String bad : List.of("not json", "[1,2]", "{\"type\":42}", "{}", "\"ping\"",
          "{\"type\":\"resume\",\"self\":-1,\"couple\":0}", "{\"type\":\"ping\",\"extra\":1}",
          "{\"type\":\"focus\",\"reviewId\":\"" + "x".repeat(65) + "\",\"shareId\":\"s\"}",
          "{\"type\":\"focus\",\"reviewId\":7,\"shareId\":\"s\"}")) {
        a.sendText(bad);
        JsonObject error = a.next("error");
        assertEquals("invalid_frame", error.getString("code"), bad);
        assertTrue(error.getString("message").length() > 0);
        assertFalse(error.getString("message").contains("xxxxxxxx"), "never echoes input");
      }
      a.sendText("{\"type\":\"dance\"}");
      assertEquals("unknown_type", a.next("error").getString("code"));
      a.sendBinary(Buffer.buffer(new byte[] {1, 2, 3}));
      assertEquals("invalid_frame", a.next("error").getString("code"));
      a.send(new JsonObject().put("type", "focus").put("reviewId", "r1").put("shareId", "s1"));
      assertEquals("not_paired", a.next("error").getString("code"));
      a.assertQuiet();
      assertFalse(a.closed.future().isComplete());
    }
  }

  @Test
  void aFrameOverSixtyFourKibibytesClosesWith1009() {
    Api alice = server.register("Alice");
    try (Ws a = Ws.live(alice)) {
      String big = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
      a.sendFrame(WebSocketFrame.textFrame(big, true));
      assertEquals(1009, a.awaitClose());
    }
    // The same text split into frames under the limit is still one message over it.
    try (Ws a = Ws.live(alice)) {
      String half = "x".repeat(40 * 1024);
      a.sendFrame(WebSocketFrame.textFrame("{\"type\":\"ping\",\"pad\":\"" + half, false));
      a.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(half + "\"}"), true));
      assertEquals(1009, a.awaitClose());
    }
    // Just under the limit is an ordinary (here: invalid) frame.
    try (Ws a = Ws.live(alice)) {
      a.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(60 * 1024) + "\"}");
      assertEquals("invalid_frame", a.next("error").getString("code"));
      a.assertQuiet();
    }
  }

  @Test
  void aClientSendingTooFastIsWarnedThenClosedWith1008() {
    Api alice = server.register("Alice");
    try (Ws a = Ws.live(alice)) {
      String ping = new JsonObject().put("type", "ping").encode();
      for (int i = 0; i < 200; i++) a.socket.writeTextMessage(ping);
      assertEquals(1008, a.awaitClose());
      List<JsonObject> frames = new ArrayList<>(a.received());
      long pongs = frames.stream().filter(f -> "pong".equals(f.getString("type"))).count();
      long limited = frames.stream().filter(f -> "rate_limited".equals(f.getString("code"))).count();
      assertTrue(pongs >= 30 && pongs < 100, "pongs: " + pongs);
      assertTrue(limited >= 1, "rate_limited errors: " + limited);
    }
    // A burst within the limit is answered in full.
    try (Ws a = Ws.live(alice)) {
      String ping = new JsonObject().put("type", "ping").encode();
      for (int i = 0; i < 30; i++) a.socket.writeTextMessage(ping);
      for (int i = 0; i < 30; i++) a.next("pong");
    }
  }
}
