package dev.bridgework.ops;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import dev.bridgework.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prometheus metrics on the management port: the series docs/OPERATIONS.md lists, and no id, email or text in a label. */
@Timeout(60)
@ExtendWith(VertxExtension.class)
class MetricsTest {
  private static TestServer server;
  private static Api alice;
  private static Api bob;
  private static String shareId;
  private static String scrape;

  @BeforeAll
  static void drive(Vertx vertx) throws Exception {
    // Needed before this method returns (the traffic below is what the scrape shows), so deployed synchronously.
    server = TestServer.startOn(vertx, Map.of("management.port", "0"));
    alice = server.register("Alice");
    bob = server.register("Bob");
    String coupleId = Pairing.pair(alice, bob);
    try (WsClient ws = WsClient.open(bob)) {
      ws.welcomeAndResume();
      shareId = UUID.randomUUID().toString();
      var put = alice.put("/api/shares/" + shareId, new JsonObject().put("title", "Secret title words")
          .put("excerpts", new JsonArray().add(new JsonObject().put("text", "private-looking text")))
          .put("intent", "listen"));
      assertEquals(201, put.statusCode(), put.bodyAsString());
      ws.await(f -> "event".equals(f.getString("type")) && "share.created".equals(f.getString("kind")), java.time.Duration.ofSeconds(10));
    }
    assertEquals(200, alice.get("/api/shares/" + shareId).statusCode());
    scrape = scrape();
    assertFalse(coupleId.isEmpty());
  }

  private static String scrape() {
    WebClient web = WebClient.create(server.vertx);
    try {
      var r = web.get(server.managementPort(), "127.0.0.1", "/metrics").send().await();
      assertEquals(200, r.statusCode());
      return r.bodyAsString();
    } finally {
      web.close();
    }
  }

  private static List<String> series(String name) {
    return scrape.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " ")).toList();
  }

  @Test
  void httpLatencyIsLabelledByRouteTemplateNeverByPath() {
    List<String> requests = series("vertx_http_server_response_time_seconds_count");
    assertTrue(requests.stream().anyMatch(l -> l.contains("route=\"/api/shares/:id\"") && l.contains("method=\"GET\"")
        && l.contains("code=\"200\"")), scrape);
    assertTrue(requests.stream().anyMatch(l -> l.contains("route=\"/api/couple/join\"")), scrape);
    assertTrue(requests.stream().anyMatch(l -> l.contains("route=\"/api/couple\"") && l.contains("code=\"201\"")), scrape);
    assertTrue(requests.stream().allMatch(l -> !l.contains("route=") || l.matches(".*route=\"[^\">]*\".*")), scrape);
  }

  @Test
  void noLabelHoldsAnIdAnEmailOrText() {
    for (String secret : List.of(shareId, alice.id(), bob.id(), alice.email(), "Secret title", "private-looking")) {
      assertFalse(scrape.contains(secret), "the metrics hold " + secret);
    }
  }

  @Test
  void eventsAppendedAndDeliveredAndTheirLagAreCounted() {
    assertTrue(series("bridgework_events_appended_total").stream()
        .anyMatch(l -> l.contains("kind=\"share.created\"") && l.contains("stream=\"couple\"")), scrape);
    assertTrue(series("bridgework_events_delivered_total").stream().anyMatch(l -> l.contains("stream=\"couple\"")), scrape);
    assertTrue(series("bridgework_events_delivery_lag_seconds_count").stream().anyMatch(l -> l.contains("stream=\"couple\"")), scrape);
  }

  @Test
  void webSocketsDatabaseAndWorkerPoolsAreMeasured() {
    assertFalse(series("vertx_http_server_active_ws_connections").isEmpty(), scrape);
    assertFalse(series("bridgework_websockets_open").isEmpty(), scrape);
    assertTrue(series("bridgework_db_command_seconds_count").stream().anyMatch(l -> l.contains("command=\"insert\"")), scrape);
    assertFalse(series("bridgework_db_commit_seconds_count").isEmpty(), scrape);
    assertTrue(series("vertx_pool_queue_pending").stream().anyMatch(l -> l.contains("pool_type=\"worker\"")), scrape);
  }

  @Test
  void healthIsAlsoOnTheManagementPort() {
    WebClient web = WebClient.create(server.vertx);
    try {
      var r = web.get(server.managementPort(), "127.0.0.1", "/health/ready").send().await();
      assertEquals(200, r.statusCode());
      assertEquals("UP", r.bodyAsJsonObject().getString("status"));
    } finally {
      web.close();
    }
  }

  @Test
  void testServersHaveNoManagementPortUnlessAsked(Vertx vertx) {
    try (TestServer plain = TestServer.startOn(vertx, Map.of())) {
      assertEquals(-1, plain.managementPort());
    }
  }
}
