package dev.bridgework.ops;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** /health as the contract says it, /health/live and /health/ready, through vertx-health-check. */
@Timeout(60)
class HealthTest {
  private static JsonObject checks(String status, String... idsAndStates) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < idsAndStates.length; i += 2) {
      list.add(new JsonObject().put("id", idsAndStates[i]).put("status", idsAndStates[i + 1]));
    }
    return new JsonObject().put("status", status).put("checks", list);
  }

  @Test
  void healthAnswersExactlyAsTheContractSays() {
    try (TestServer server = TestServer.start()) {
      Api anonymous = server.client();
      var r = anonymous.get("/health");
      assertEquals(200, r.statusCode());
      assertEquals(checks("UP", "mongo", "UP"), r.bodyAsJsonObject());
      assertEquals("no-store", r.getHeader("Cache-Control"));

      var live = anonymous.get("/health/live");
      assertEquals(200, live.statusCode());
      assertEquals(checks("UP", "eventloop", "UP"), live.bodyAsJsonObject());

      var ready = anonymous.get("/health/ready");
      assertEquals(200, ready.statusCode());
      assertEquals(checks("UP", "mongo", "UP", "accepting", "UP"), ready.bodyAsJsonObject());
    }
  }

  @Test
  void readinessGoesDownWhileTheServerDrainsAndLivenessStaysUp() {
    try (TestServer server = TestServer.start()) {
      server.app.drain();
      Api anonymous = server.client();
      var ready = anonymous.get("/health/ready");
      assertEquals(503, ready.statusCode());
      assertEquals(checks("DOWN", "mongo", "UP", "accepting", "DOWN"), ready.bodyAsJsonObject());
      assertEquals(200, anonymous.get("/health/live").statusCode());
      // Still serving while it drains: the database is fine and requests are answered.
      assertEquals(200, anonymous.get("/health").statusCode());
    }
  }

  @Test
  void anUnreachableDatabaseIs503DownWithinTheTimeout() {
    try (TestServer server = TestServer.start()) {
      server.app.database().stopEmbeddedForTests();
      Api anonymous = server.client();
      var r = anonymous.get("/health");
      assertEquals(503, r.statusCode());
      assertEquals(checks("DOWN", "mongo", "DOWN"), r.bodyAsJsonObject());
      var ready = anonymous.get("/health/ready");
      assertEquals(503, ready.statusCode());
      assertEquals(checks("DOWN", "mongo", "DOWN", "accepting", "UP"), ready.bodyAsJsonObject());
      assertEquals(200, anonymous.get("/health/live").statusCode());
    }
  }
}
