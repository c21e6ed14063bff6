package dev.bridgework.privacy;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import dev.bridgework.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket half of the hostile corpus: malformed and mistyped frames, operator injection and
 * oversized values. Each gets an {@code error} frame, the socket stays open, and nothing is stored.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class HostileFramesTest {
  static TestServer server;
  static Api alice;
  static Api bob;

  @BeforeAll
  static void start(Vertx vertx) {
    server = TestServer.startOn(vertx, Map.of());
    alice = server.register("Alice");
    bob = server.register("Bob");
    Pairing.pair(alice, bob);
  }

  static List<String> corpus() {
    List<String> frames = new ArrayList<>(List.of("", " ", "{", "}", "null", "[]", "[{\"type\":\"ping\"}]", "42", "\"ping\"",
        "true", "{\"type\":1}", "{\"type\":null}", "{\"type\":[\"ping\"]}", "{\"type\":{\"$gt\":\"\"}}", "{\"Type\":\"ping\"}",
        "{\"type\":\"PING\"}", "{\"type\":\"event\"}", "{\"type\":\"welcome\"}", "{\"type\":\"synced\"}", "{\"type\":\"presence\",\"online\":true}",
        "{\"type\":\"ping\",\"extra\":1}", "{\"type\":\"resume\",\"self\":\"x\",\"couple\":0}", "{\"type\":\"resume\",\"self\":-1,\"couple\":0}",
        "{\"type\":\"resume\",\"self\":1.5,\"couple\":0}", "{\"type\":\"resume\",\"self\":{\"$gt\":0},\"couple\":0}",
        "{\"type\":\"resume\",\"self\":0,\"couple\":[1]}", "{\"type\":\"resume\",\"self\":1e400,\"couple\":0}",
        "{\"type\":\"resume\",\"self\":0,\"couple\":0,\"$where\":\"1\"}", "{\"type\":\"focus\",\"reviewId\":5,\"shareId\":\"x\"}",
        "{\"type\":\"focus\",\"reviewId\":{\"$ne\":null},\"shareId\":null}", "{\"type\":\"focus\",\"reviewId\":\"" + "r".repeat(65) + "\",\"shareId\":null}",
        "{\"type\":\"focus\",\"reviewId\":\"\",\"shareId\":null}", "{\"type\":\"focus\",\"reviewId\":\"r\",\"shareId\":[]}",
        "{\"type\":\"focus\",\"reviewId\":\"r\",\"shareId\":\"s\",\"userId\":\"someone-else\"}", "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
        "{\"type\":\"ping\"", "{'type':'ping'}", "{\"type\":\"\\u0000\"}", "{\"type\":\"../../etc/passwd\"}", "{\"__proto__\":{\"type\":\"ping\"}}"));
    Random r = new Random(7);
    String valid = "{\"type\":\"resume\",\"self\":0,\"couple\":0}";
    for (int i = 0; i < 600; i++) {
      frames.add(valid.substring(0, 1 + r.nextInt(valid.length() - 1)));
      frames.add("{\"type\":\"x" + Integer.toHexString(r.nextInt()) + "\"}");
    }
    return frames;
  }

  @Test
  void everyHostileFrameGetsAnErrorAndTheSocketStaysOpen() {
    List<String> corpus = corpus();
    String before = HostileInputTest.snapshotOf(server);
    List<String> failures = new ArrayList<>();
    // The per-socket rate limit allows bursts of 40: send the corpus in slices over many sockets.
    int slice = 30;
    for (int i = 0; i < corpus.size(); i += slice) {
      List<String> part = corpus.subList(i, Math.min(corpus.size(), i + slice));
      try (WsClient ws = WsClient.open(i % 2 == 0 ? alice : bob)) {
        ws.welcomeAndResume();
        for (String frame : part) ws.socket().writeTextMessage(frame).await();
        for (String frame : part) {
          JsonObject answer = ws.await(f -> !"presence".equals(f.getString("type")), Duration.ofSeconds(10));
          if (!"error".equals(answer.getString("type"))) failures.add(abbreviate(frame) + " -> " + answer.encode());
        }
        ws.send(new JsonObject().put("type", "ping"));
        assertEquals("pong", ws.await(f -> "pong".equals(f.getString("type")), Duration.ofSeconds(10)).getString("type"));
        assertFalse(ws.socket().isClosed());
      }
    }
    try (WsClient ws = WsClient.open(alice)) {
      ws.welcomeAndResume();
      ws.socket().writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3})).await();
      assertEquals("error", ws.await(f -> !"presence".equals(f.getString("type")), Duration.ofSeconds(10)).getString("type"));
    }
    assertEquals(List.of(), failures.stream().limit(20).collect(Collectors.toList()), failures.size() + " frames answered wrongly");
    assertTrue(corpus.size() > 1_000);
    assertEquals(before, HostileInputTest.snapshotOf(server), "hostile frames changed stored data");
  }

  static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }
}
