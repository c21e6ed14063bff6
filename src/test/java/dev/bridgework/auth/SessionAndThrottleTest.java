package dev.bridgework.auth;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session timeouts and login throttling, on a server whose clock the test moves. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class SessionAndThrottleTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx, Map.of("session.idleTimeout", "30m", "session.absoluteTimeout", "2h")).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anIdleSessionExpires() {
    Api alice = server.register("Alice");
    server.clock.advance(Duration.ofMinutes(20));
    assertEquals(200, alice.get("/api/me").statusCode(), "activity within the idle timeout keeps it alive");
    server.clock.advance(Duration.ofMinutes(25));
    assertEquals(200, alice.get("/api/me").statusCode(), "the idle clock restarted at the last request");
    server.clock.advance(Duration.ofMinutes(31));
    var r = alice.get("/api/me");
    assertEquals(401, r.statusCode());
    assertEquals("unauthenticated", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }

  @Test
  void aBusySessionStillEndsAtTheAbsoluteTimeout() {
    Api alice = server.register("Alice");
    for (int i = 0; i < 5; i++) {
      server.clock.advance(Duration.ofMinutes(20));
      assertEquals(200, alice.get("/api/me").statusCode());
    }
    server.clock.advance(Duration.ofMinutes(21));
    assertEquals(401, alice.get("/api/me").statusCode());
  }

  @Test
  void repeatedFailedLoginsAreThrottledPerAccountThenReleased() {
    Api alice = server.register("Alice");
    JsonObject wrong = new JsonObject().put("email", alice.email())
        .put("authKey", dev.bridgework.testing.ClientCrypto.b64(dev.bridgework.testing.ClientCrypto.random(32)));
    for (int i = 0; i < 10; i++) {
      assertEquals(401, server.client().post("/api/auth/login", wrong).statusCode(), "attempt " + (i + 1));
    }
    var blocked = server.client().post("/api/auth/login", wrong);
    assertEquals(429, blocked.statusCode());
    assertEquals("rate_limited", blocked.bodyAsJsonObject().getJsonObject("error").getString("code"));
    long retryAfter = Long.parseLong(blocked.getHeader("Retry-After"));
    assertTrue(retryAfter > 0 && retryAfter <= 15 * 60, "Retry-After " + retryAfter);
    // Even the right key waits: an attacker learns nothing from the answer.
    var right = server.client().post("/api/auth/login", alice.loginBody());
    assertEquals(429, right.statusCode());
    // Another account is not affected.
    Api bob = server.register("Bob");
    assertEquals(200, server.client().post("/api/auth/login", bob.loginBody()).statusCode());
    // The owner gets back in once the window has passed.
    server.clock.advance(Duration.ofSeconds(retryAfter + 1));
    assertEquals(200, server.client().post("/api/auth/login", alice.loginBody()).statusCode());
  }

  @Test
  void anExpiredSessionIsRemovedFromTheDatabase() {
    Api alice = server.register("Alice");
    long before = server.mongo().count("sessions", new JsonObject().put("userId", alice.id())).await();
    assertEquals(1, before);
    server.clock.advance(Duration.ofHours(3));
    assertEquals(401, alice.get("/api/me").statusCode());
    assertEquals(0L, server.mongo().count("sessions", new JsonObject().put("userId", alice.id())).await());
  }
}
