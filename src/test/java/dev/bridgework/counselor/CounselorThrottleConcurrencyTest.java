package dev.bridgework.counselor;

import dev.bridgework.app.Application;
import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counselor-link throttle under concurrency (issue #13), like {@code auth.ThrottleConcurrencyTest}
 * for sign-in: 60 wrong tokens sent at once, on 60 connections, with nothing in the client
 * serialising them. At most {@link Application#COUNSELOR_WRONG_TOKENS} may reach the token check
 * (404, and counted in the audit); every other one is refused with 429 and a Retry-After.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class CounselorThrottleConcurrencyTest {
  static final int LIMIT = Application.COUNSELOR_WRONG_TOKENS;
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
    // Every test starts in a throttle window of its own (all requests come from one address).
    server.clock.advance(Duration.ofMinutes(16));
  }

  private static Future<HttpResponse<Buffer>> view(String token) {
    return wide.get("/api/counselor/view").putHeader("Authorization", "Bearer " + token).timeout(60_000).send();
  }

  /** Fires {@code n} requests at once and answers how many got each status. */
  private static Map<Integer, Integer> burst(int n, Supplier<Future<HttpResponse<Buffer>>> send) {
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) all.add(send.get());
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

  private static long audited() {
    return server.mongo().find(GrantRepository.AUDIT, new JsonObject()).await().stream().mapToLong(d -> d.getLong("count")).sum();
  }

  /** An active grant's token (proposed by one partner, consented by the other). */
  private static String activeToken() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Pairing.pair(alice, bob);
    String shareId = UUID.randomUUID().toString();
    assertEquals(201, alice.put("/api/shares/" + shareId, new JsonObject().put("title", "Plans").put("intent", "discuss")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", "text")))).statusCode());
    var started = alice.post("/api/reviews", new JsonObject());
    assertEquals(201, started.statusCode(), started.bodyAsString());
    String reviewId = started.bodyAsJsonObject().getString("id");
    assertEquals(200, alice.put("/api/reviews/" + reviewId + "/agenda",
        new JsonObject().put("shareIds", new JsonArray().add(shareId))).statusCode());
    var proposed = alice.post("/api/counselor-grants", new JsonObject().put("reviewId", reviewId));
    assertEquals(201, proposed.statusCode(), proposed.bodyAsString());
    JsonObject proposal = proposed.bodyAsJsonObject();
    assertEquals(200, bob.put("/api/counselor-grants/" + proposal.getJsonObject("grant").getString("id") + "/consent",
        new JsonObject()).statusCode());
    return proposal.getString("token");
  }

  @Test
  void sixtyConcurrentWrongTokensLetAtMostTheLimitReachTheCheck() {
    long auditedBefore = audited();
    Map<Integer, Integer> statuses = burst(60, () -> view(new CounselorTokens().generate()));
    assertEquals(java.util.Set.of(404, 429), statuses.keySet(), "only 404 and 429: " + statuses);
    int reached = statuses.get(404);
    assertTrue(reached <= LIMIT, "at most " + LIMIT + " wrong tokens reach the check: " + statuses);
    assertTrue(reached >= 1, "some reach it (the limit is not zero): " + statuses);
    assertEquals(60 - reached, statuses.get(429));
    assertEquals(reached, audited() - auditedBefore, "the audit counts exactly those that reached the check");
  }

  @Test
  void aCounselorsOwnVisitsDoNotUseUpTheAllowance() {
    String token = activeToken();
    // Twice the limit of good requests, one after another as a counselor's page makes them: none is
    // refused, and none is left counted. (Good requests in flight at the same moment do count until
    // they are answered: the count is taken before the token is looked at.)
    for (int i = 0; i < 2 * LIMIT; i++) assertEquals(200, view(token).await().statusCode(), "visit " + i);
    // So the whole allowance of wrong tokens is still there, and then it is spent.
    Map<Integer, Integer> wrong = burst(LIMIT, () -> view(new CounselorTokens().generate()));
    assertEquals(Map.of(404, LIMIT), wrong);
    assertEquals(429, view(new CounselorTokens().generate()).await().statusCode());
    assertEquals(429, view(token).await().statusCode(), "while limited, even the right token waits");
  }
}
