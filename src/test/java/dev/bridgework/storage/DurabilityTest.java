package dev.bridgework.storage;

import dev.bridgework.app.AppConfig;
import dev.bridgework.app.Application;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.ClientCrypto;
import dev.bridgework.testing.ServerProcess;
import dev.bridgework.testing.TestServer;
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
