package dev.bridgework.storage;

import dev.bridgework.app.AppConfig;
import dev.bridgework.app.Application;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Data survives restarts, and an acknowledged write survives kill -9 of the server process. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DurabilityTest {
  private static final String PASSWORD = "correct horse battery staple";

  @Test
  void anAcknowledgedRegistrationSurvivesSigkill() throws Exception {
    Path dataDir = Files.createTempDirectory("bw-kill");
    int port = freePort();
    Vertx vertx = Vertx.vertx();
    WebClient http = WebClient.create(vertx);
    try {
      Process server = startProcess(dataDir, port);
      try {
        waitForHealth(http, port);
        String email = "killed-" + System.nanoTime() + "@example.test";
        var registered = http.post(port, "127.0.0.1", "/api/auth/register")
            .sendJsonObject(new JsonObject().put("email", email).put("password", PASSWORD).put("displayName", "Kim")).await();
        assertEquals(201, registered.statusCode());
        // SIGKILL right after the 201: no shutdown hook, no background commit gets a chance.
        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        Process restarted = startProcess(dataDir, port);
        try {
          waitForHealth(http, port);
          var login = http.post(port, "127.0.0.1", "/api/auth/login")
              .sendJsonObject(new JsonObject().put("email", email).put("password", PASSWORD)).await();
          assertEquals(200, login.statusCode(), login.bodyAsString());
          assertEquals("Kim", login.bodyAsJsonObject().getJsonObject("user").getString("displayName"));
        } finally {
          restarted.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      } finally {
        server.destroyForcibly();
      }
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void dataSurvivesACleanRestart() throws Exception {
    Path dataDir = Files.createTempDirectory("bw-restart");
    Map<String, String> settings = Map.of("http.port", "0", "http.host", "127.0.0.1", "http.instances", "1",
        "data.dir", dataDir.toString());
    Vertx vertx = Vertx.vertx();
    try {
      Application first = Application.start(vertx, AppConfig.fromMap(settings), Clock.systemUTC()).await();
      WebClient http = WebClient.create(vertx);
      String email = "restart-" + System.nanoTime() + "@example.test";
      assertEquals(201, http.post(first.port(), "127.0.0.1", "/api/auth/register")
          .sendJsonObject(new JsonObject().put("email", email).put("password", PASSWORD).put("displayName", "Ren")).await().statusCode());
      first.close().await();

      Application second = Application.start(vertx, AppConfig.fromMap(settings), Clock.systemUTC()).await();
      try {
        HttpResponse<Buffer> login = http.post(second.port(), "127.0.0.1", "/api/auth/login")
            .sendJsonObject(new JsonObject().put("email", email).put("password", PASSWORD)).await();
        assertEquals(200, login.statusCode());
      } finally {
        second.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void healthIsDownWhenTheDatabaseIsUnreachable() {
    TestServer server = TestServer.start();
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

  private static Process startProcess(Path dataDir, int port) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.bridgework.app.Main"));
    pb.environment().put("BRIDGEWORK_HTTP_PORT", String.valueOf(port));
    pb.environment().put("BRIDGEWORK_HTTP_HOST", "127.0.0.1");
    pb.environment().put("BRIDGEWORK_DATA_DIR", dataDir.toString());
    pb.redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile());
    return pb.start();
  }

  private static void waitForHealth(WebClient http, int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (http.get(port, "127.0.0.1", "/health").send().await().statusCode() == 200) return;
      } catch (Exception notYet) {
        // the process is still starting: poll again
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server did not become healthy");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
