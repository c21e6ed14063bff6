package dev.bridgework.storage;

import dev.bridgework.app.AppConfig;
import dev.bridgework.app.Application;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.ClientCrypto;
import dev.bridgework.testing.ServerProcess;
import dev.bridgework.testing.TestServer;
import dev.bridgework.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Data survives restarts, and an acknowledged write survives kill -9 of the server process. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class DurabilityTest {

  @Test
  void anAcknowledgedRegistrationSurvivesSigkill(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("bw-kill");
    int port = ServerProcess.freePort();
    WebClient http = WebClient.create(vertx);
    String email = "killed-" + System.nanoTime() + "@example.test";
    ClientCrypto.Keys keys = Api.freshKeys();
    try (ServerProcess server = ServerProcess.start(dataDir, port, Map.of()).awaitHealthy(http)) {
      var registered = http.post(port, "127.0.0.1", "/api/auth/register")
          .sendJsonObject(TestServer.registration(email, "Kim", keys)).await();
      assertEquals(201, registered.statusCode());
      // SIGKILL right after the 201: no shutdown hook, no background commit gets a chance.
      server.kill();
    }
    try (ServerProcess restarted = ServerProcess.start(dataDir, port, Map.of()).awaitHealthy(http)) {
      var login = http.post(port, "127.0.0.1", "/api/auth/login")
          .sendJsonObject(new JsonObject().put("email", email).put("authKey", keys.authKey())).await();
      assertEquals(200, login.statusCode(), login.bodyAsString());
      assertEquals("Kim", login.bodyAsJsonObject().getJsonObject("user").getString("displayName"));
    }
  }

  /**
   * A share create sends its writes before the event unjournaled and makes them durable with the
   * event's insert (docs/PERFORMANCE.md "The share path's database work"); its clean-up follows the
   * answer, unjournaled too. Killed right after the 201, the share is there after the restart and its
   * event is in the stream exactly once (the start-up sweep completes what the clean-up left).
   */
  @Test
  void anAcknowledgedShareAndItsEventSurviveSigkillOnce(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("bw-kill-share");
    int port = ServerProcess.freePort();
    WebClient http = WebClient.create(vertx);
    String id = java.util.UUID.randomUUID().toString();
    Api bob;
    try (ServerProcess server = ServerProcess.start(dataDir, port, Map.of()).awaitHealthy(http)) {
      Api alice = TestServer.registerWith(TestServer.clientFor(vertx, port), "Alice");
      bob = TestServer.registerWith(TestServer.clientFor(vertx, port), "Bob");
      dev.bridgework.couple.Pairing.pair(alice, bob);
      var created = alice.put("/api/shares/" + id, new JsonObject().put("title", "Before the kill")
          .put("excerpts", new io.vertx.core.json.JsonArray().add(new JsonObject().put("text", "Said once"))).put("intent", "listen"));
      assertEquals(201, created.statusCode(), created.bodyAsString());
      server.kill();
    }
    try (ServerProcess restarted = ServerProcess.start(dataDir, port, Map.of()).awaitHealthy(http)) {
      var share = bob.get("/api/shares/" + id);
      assertEquals(200, share.statusCode(), share.bodyAsString());
      assertEquals("Before the kill", share.bodyAsJsonObject().getString("title"));
      try (WsClient ws = WsClient.open(bob)) {
        JsonObject welcome = ws.awaitType("welcome", java.time.Duration.ofSeconds(10));
        ws.send(new JsonObject().put("type", "resume").put("self", welcome.getJsonObject("heads").getLong("self")).put("couple", 0));
        java.util.List<JsonObject> replay = ws.until(f -> "synced".equals(f.getString("type")), java.time.Duration.ofSeconds(10));
        long created = replay.stream().filter(f -> "event".equals(f.getString("type")) && "share.created".equals(f.getString("kind"))
            && id.equals(f.getJsonObject("data").getString("id"))).count();
        assertEquals(1, created, "share.created replayed once: " + replay);
      }
    }
  }

  @Test
  void dataSurvivesACleanRestart(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("bw-restart");
    Map<String, String> settings = Map.of("http.port", "0", "http.host", "127.0.0.1", "http.instances", "1",
        "data.dir", dataDir.toString(), "crypto.minKdfIterations", String.valueOf(TestServer.TEST_MIN_KDF_ITERATIONS));
    Application first = Application.start(vertx, AppConfig.fromMap(settings), Clock.systemUTC()).await();
    WebClient http = WebClient.create(vertx);
    String email = "restart-" + System.nanoTime() + "@example.test";
    ClientCrypto.Keys keys = Api.freshKeys();
    assertEquals(201, http.post(first.port(), "127.0.0.1", "/api/auth/register")
        .sendJsonObject(TestServer.registration(email, "Ren", keys)).await().statusCode());
    first.close().await();

    Application second = Application.start(vertx, AppConfig.fromMap(settings), Clock.systemUTC()).await();
    try {
      HttpResponse<Buffer> login = http.post(second.port(), "127.0.0.1", "/api/auth/login")
          .sendJsonObject(new JsonObject().put("email", email).put("authKey", keys.authKey())).await();
      assertEquals(200, login.statusCode());
    } finally {
      second.close().await();
    }
  }

  @Test
  void healthIsDownWhenTheDatabaseIsUnreachable(Vertx vertx) {
    TestServer server = TestServer.startOn(vertx, Map.of());
    try {
      assertEquals(200, server.client().get("/health").statusCode());
      server.app.database().stopEmbeddedForTests();
      var r = server.client().get("/health");
      assertEquals(503, r.statusCode());
      assertEquals("DOWN", r.bodyAsJsonObject().getString("status"));
      assertEquals("DOWN", r.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0).getString("status"));
    } finally {
      server.close();
    }
  }
}
