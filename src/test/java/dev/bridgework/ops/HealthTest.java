package dev.bridgework.ops;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** /health as the contract says it, /health/live and /health/ready, through vertx-health-check. */
@Timeout(60)
@ExtendWith(VertxExtension.class)
class HealthTest {
  /** A server per test: one test drains it, another stops its database. */
  TestServer server;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject checks(String status, String... idsAndStates) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < idsAndStates.length; i += 2) {
      list.add(new JsonObject().put("id", idsAndStates[i]).put("status", idsAndStates[i + 1]));
    }
    return new JsonObject().put("status", status).put("checks", list);
  }

  @Test
  void healthAnswersExactlyAsTheContractSays() {
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

  @Test
  void readinessGoesDownWhileTheServerDrainsAndLivenessStaysUp() {
    server.app.drain();
    Api anonymous = server.client();
    var ready = anonymous.get("/health/ready");
    assertEquals(503, ready.statusCode());
    assertEquals(checks("DOWN", "mongo", "UP", "accepting", "DOWN"), ready.bodyAsJsonObject());
    assertEquals(200, anonymous.get("/health/live").statusCode());
    // Still serving while it drains: the database is fine and requests are answered.
    assertEquals(200, anonymous.get("/health").statusCode());
  }

  @Test
  void anUnreachableDatabaseIs503DownWithinTheTimeout() {
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
