package dev.bridgework.review;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PDF briefs render on a bounded pool of their own (pdf.workers, pdf.queue): a burst beyond it is
 * refused at once with 503 + Retry-After, and sign-in, whose Argon2 runs on the shared worker
 * pool, is not held up by it. Prints sign-in latency during a burst of 50 PDF requests with the
 * bounded pool and with a pool as wide as the old shared one (docs/PERFORMANCE.md).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class PdfIsolationTest {
  // Each server here has its own pool settings: deployed on the test's Vert.x and closed at the end of its block.

  @Test
  void aBurstBeyondThePdfQueueIs503WithRetryAfterAndNothingElse(Vertx vertx) {
    try (TestServer server = TestServer.startOn(vertx, Map.of("pdf.workers", "1", "pdf.queue", "2"))) {
      Fixture f = fixture(server);
      Map<Integer, Integer> statuses = new TreeMap<>();
      for (HttpResponse<Buffer> r : burst(server, f, 20)) {
        statuses.merge(r.statusCode(), 1, Integer::sum);
        if (r.statusCode() == 503) {
          assertEquals("busy", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
          assertTrue(Long.parseLong(r.getHeader("Retry-After")) >= 1);
        } else {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          assertEquals("application/pdf", r.getHeader("Content-Type"));
        }
      }
      assertTrue(statuses.getOrDefault(200, 0) >= 3, statuses.toString());
      assertTrue(statuses.getOrDefault(503, 0) >= 1, statuses.toString());
      assertEquals(20, statuses.getOrDefault(200, 0) + statuses.getOrDefault(503, 0), statuses.toString());
      // Once the burst is over the pool takes work again.
      assertEquals(200, f.bob.get(f.briefPath).statusCode());
    }
  }

  @Test
  void signInLatencyDuringABurstOfFiftyPdfRequests(Vertx vertx) {
    // The bounded pool (the defaults) against one as wide as Vert.x's shared worker pool (20), where
    // the PDFs used to run next to password hashing.
    for (Map<String, String> settings : List.of(Map.of("pdf.workers", "1", "pdf.queue", "8"),
        Map.of("pdf.workers", "20", "pdf.queue", "50"))) {
      try (TestServer server = TestServer.startOn(vertx, settings)) {
        Fixture f = fixture(server);
        Api carol = server.register("Carol");
        long[] idle = logins(server, carol, 10);
        List<Future<HttpResponse<Buffer>>> pdfs = start(server, f, 50);
        long[] during = logins(server, carol, 10);
        Map<Integer, Integer> statuses = new TreeMap<>();
        Future.join(pdfs).otherwiseEmpty().await();
        pdfs.forEach(p -> statuses.merge(p.succeeded() ? p.result().statusCode() : -1, 1, Integer::sum));
        System.out.printf("PDF-ISOLATION pdf.workers=%s pdf.queue=%s: sign-in idle p50 %d ms max %d ms; during 50 PDFs p50 %d ms max %s; PDF answers %s%n",
            settings.get("pdf.workers"), settings.get("pdf.queue"), p50(idle), max(idle), p50(during),
            max(during) == Long.MAX_VALUE ? "no answer in 30 s" : max(during) + " ms", statuses);
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 503), statuses.toString());
      }
    }
  }

  record Fixture(Api bob, String briefPath) {}

  private static Fixture fixture(TestServer server) {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Pairing.pair(alice, bob);
    for (int i = 0; i < 5; i++) {
      String id = UUID.randomUUID().toString();
      JsonArray excerpts = new JsonArray();
      for (int e = 0; e < 3; e++) excerpts.add(new JsonObject().put("text", ("Words of share " + i + ", part " + e + ". ").repeat(20)));
      assertEquals(201, alice.put("/api/shares/" + id, new JsonObject().put("title", "Share " + i).put("intent", "discuss")
          .put("excerpts", excerpts)).statusCode());
      alice.put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", true));
    }
    String reviewId = alice.post("/api/reviews", new JsonObject()).bodyAsJsonObject().getString("id");
    return new Fixture(bob, "/api/reviews/" + reviewId + "/brief?format=pdf");
  }

  private static List<Future<HttpResponse<Buffer>>> start(TestServer server, Fixture f, int n) {
    WebClient wide = WebClient.create(server.vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(server.port()),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(n + 4));
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(wide.get(f.briefPath).putHeader("Cookie", f.bob.cookieHeader()).timeout(300_000).send());
    }
    return all;
  }

  private static List<HttpResponse<Buffer>> burst(TestServer server, Fixture f, int n) {
    List<Future<HttpResponse<Buffer>>> all = start(server, f, n);
    Future.join(all).await();
    return all.stream().map(Future::result).toList();
  }

  private static long[] logins(TestServer server, Api who, int n) {
    long[] ms = new long[n];
    for (int i = 0; i < n; i++) {
      long started = System.nanoTime();
      try {
        int status = server.client().post("/api/auth/login", who.loginBody()).statusCode();
        ms[i] = status == 200 ? (System.nanoTime() - started) / 1_000_000 : -status;
      } catch (Exception e) {
        ms[i] = Long.MAX_VALUE; // no answer within the client's 30 s
      }
    }
    return ms;
  }

  private static long p50(long[] ms) {
    long[] sorted = ms.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long max(long[] ms) {
    return Arrays.stream(ms).max().orElse(0);
  }
}
