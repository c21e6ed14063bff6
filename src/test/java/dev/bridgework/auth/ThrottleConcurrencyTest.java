package dev.bridgework.auth;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.ClientCrypto;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Throttles under concurrency (issue #13): 60 wrong attempts sent at once, on 60 connections, with
 * nothing in the client serialising them. At most 10 may reach the secret check (401 / 404); every
 * other one must be refused with 429 and a Retry-After. And a browser that signed in before keeps
 * its own counter, so a lockout caused from elsewhere does not lock it out.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ThrottleConcurrencyTest {
  static TestServer server;
  static WebClient wide;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> {
      server = started;
      // Closed with the Vert.x it runs on, by the extension.
      wide = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost")
          .setDefaultPort(started.port()).setKeepAlive(false), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @BeforeEach
  void freshWindow() {
    // Every test starts in a throttle window of its own (per-address counts are shared by the class).
    server.clock.advance(Duration.ofMinutes(16));
  }

  /** Fires {@code n} requests at once and answers how many got each status. */
  private static Map<Integer, Integer> burst(int n, IntFunction<Future<HttpResponse<Buffer>>> send) {
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) all.add(send.apply(i));
    Future.join(all).await();
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (Future<HttpResponse<Buffer>> f : all) {
      HttpResponse<Buffer> r = f.result();
      statuses.merge(r.statusCode(), 1, Integer::sum);
      if (r.statusCode() == 429) {
        long retry = Long.parseLong(r.getHeader("Retry-After"));
        assertTrue(retry >= 1 && retry <= 15 * 60, "Retry-After " + retry);
      }
    }
    return statuses;
  }

  private static Future<HttpResponse<Buffer>> post(String path, JsonObject body, String cookie) {
    var request = wide.post(path).timeout(60_000);
    if (cookie != null) request.putHeader("Cookie", cookie);
    return request.sendJsonObject(body);
  }

  private static String randomKey() {
    return ClientCrypto.b64(ClientCrypto.random(32));
  }

  @Test
  void sixtyConcurrentWrongLoginsLetAtMostTenReachThePasswordCheck() {
    Api alice = server.register("Alice");
    Map<Integer, Integer> statuses = burst(60, i ->
        post("/api/auth/login", new JsonObject().put("email", alice.email()).put("authKey", randomKey()), null));
    int checked = statuses.getOrDefault(401, 0);
    assertTrue(checked >= 1 && checked <= 10, "401s (password checks): " + statuses);
    assertEquals(60 - checked, statuses.getOrDefault(429, 0), "everything else is 429: " + statuses);
    assertEquals(429, server.client().post("/api/auth/login", alice.loginBody()).statusCode(), "the account is locked");
  }

  @Test
  void sixtyConcurrentWrongRecoveryCodesLetAtMostTenThrough() {
    Api alice = server.register("Alice");
    Map<Integer, Integer> statuses = burst(60, i ->
        post("/api/auth/recover/start", new JsonObject().put("email", alice.email()).put("recoveryAuth", randomKey()), null));
    int checked = statuses.getOrDefault(401, 0);
    assertTrue(checked >= 1 && checked <= 10, "401s: " + statuses);
    assertEquals(60 - checked, statuses.getOrDefault(429, 0), statuses.toString());
  }

  @Test
  void sixtyConcurrentWrongInviteCodesLetAtMostTenThrough() {
    Api bob = server.register("Bob");
    String cookie = bob.cookieHeader();
    String alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    Map<Integer, Integer> statuses = burst(60, i -> {
      StringBuilder code = new StringBuilder();
      java.util.Random random = new java.util.Random(i);
      for (int c = 0; c < 10; c++) code.append(alphabet.charAt(random.nextInt(alphabet.length())));
      return post("/api/couple/join", new JsonObject().put("code", code.toString()), cookie);
    });
    int checked = statuses.getOrDefault(404, 0);
    assertTrue(checked >= 1 && checked <= 10, "404 invalid_invite (codes looked up): " + statuses);
    assertEquals(60 - checked, statuses.getOrDefault(429, 0), statuses.toString());
  }

  @Test
  void aLockoutFromElsewhereDoesNotLockOutAKnownDevice() {
    Api alice = server.register("Alice");
    // Alice's own browser signed in before: it holds a device cookie for her account.
    Api laptop = server.client();
    var signIn = laptop.post("/api/auth/login", alice.loginBody());
    assertEquals(200, signIn.statusCode());
    assertTrue(signIn.cookies().stream().anyMatch(c -> c.startsWith("bw_device=v1.")), "a device cookie: " + signIn.cookies());
    // Someone elsewhere guesses until the account is locked.
    JsonObject wrong = new JsonObject().put("email", alice.email()).put("authKey", randomKey());
    for (int i = 0; i < 10; i++) assertEquals(401, server.client().post("/api/auth/login", wrong).statusCode());
    assertEquals(429, server.client().post("/api/auth/login", alice.loginBody()).statusCode(), "a new browser is locked out");
    // The known browser is not: it signs in, and even a typo there counts on its own counter.
    assertEquals(401, laptop.post("/api/auth/login", wrong).statusCode(), "a typo on the known device is checked");
    assertEquals(200, laptop.post("/api/auth/login", alice.loginBody()).statusCode(), "the known device signs in");
    // A device cookie of another account, or a forged one, does not help.
    Api bob = server.register("Bob");
    Api bobsBrowser = server.client();
    bobsBrowser.post("/api/auth/login", bob.loginBody());
    assertEquals(429, bobsBrowser.post("/api/auth/login", alice.loginBody()).statusCode(), "Bob's device cookie is not Alice's");
    var forged = server.client().raw(io.vertx.core.http.HttpMethod.POST, "/api/auth/login", alice.loginBody().toBuffer(),
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Cookie", "bw_device=v1.AAAAAAAAAAAAAAAAAAAAAA.AAAA"),
        "application/json");
    assertEquals(429, forged.statusCode(), "a forged device cookie is ignored");
  }

  @Test
  void aKnownDeviceIsThrottledOnItsOwnCounter() {
    Api alice = server.register("Alice");
    Api laptop = server.client();
    assertEquals(200, laptop.post("/api/auth/login", alice.loginBody()).statusCode());
    JsonObject wrong = new JsonObject().put("email", alice.email()).put("authKey", randomKey());
    for (int i = 0; i < 10; i++) assertEquals(401, laptop.post("/api/auth/login", wrong).statusCode(), "attempt " + (i + 1));
    assertEquals(429, laptop.post("/api/auth/login", wrong).statusCode(), "the device has a limit too");
    // Those were the device's failures, not the account's: another browser still signs in.
    assertEquals(200, server.client().post("/api/auth/login", alice.loginBody()).statusCode());
  }
}
