package dev.bridgework.cache;

import dev.bridgework.app.AppConfig;
import dev.bridgework.app.Main;
import dev.bridgework.auth.SessionStore;
import dev.bridgework.couple.Pairing;
import dev.bridgework.storage.Database;
import dev.bridgework.storage.KeyDestroyedException;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.ClusterNodes;
import dev.bridgework.testing.ServerProcess;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Two clustered nodes sharing one database (as in RealtimeClusterTest), each caching sessions,
 * memberships, couples and data keys: whatever ends one of them on node 1 (signing out, leaving the
 * joint space, deleting the account) is refused by node 2 on the very next request after node 1
 * answered. Node 2's caches are checked to hold the record first, so the test cannot pass by
 * reading the database every time.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ClusterCacheInvalidationTest {
  static Vertx clients;
  static Database database;
  static TestServer node1;
  static TestServer node2;
  static WebClient toNode2;

  @BeforeAll
  static void start(Vertx vertx) throws IOException {
    clients = vertx;
    database = Database.start(clients, "", "bridgework", Path.of(Database.IN_MEMORY)).await();
    int port1 = ServerProcess.freePort();
    int port2 = ServerProcess.freePort();
    String members = "127.0.0.1:" + port1 + ",127.0.0.1:" + port2;
    String masterKey = ClusterNodes.masterKey();
    node1 = node(port1, members, masterKey);
    node2 = node(port2, members, masterKey);
    toNode2 = WebClient.create(clients, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(node2.port()));
  }

  private static TestServer node(int clusterPort, String members, String masterKey) throws IOException {
    Map<String, String> settings = ClusterNodes.settings(clusterPort, members, masterKey, database.connectionString());
    // Long enough that nothing in this test is forgotten by age: only invalidations empty the caches.
    settings.put("cache.ttl", "1h");
    AppConfig config = AppConfig.fromMap(settings);
    // Each node on a clustered Vert.x of its own, which closing the node closes (it leaves the cluster).
    return TestServer.node(Main.clusteredVertx(config), config).await();
  }


  @AfterAll
  static void stop() {
    if (node1 != null) node1.close();
    if (node2 != null) node2.close();
    if (database != null) database.close().await();
    // The extension closes the injected Vert.x the clients run on.
  }

  /** A request to node 2 with the session cookie the client got from node 1. */
  private static HttpResponse<Buffer> onNode2(Api who, HttpMethod method, String path, JsonObject body) {
    var request = toNode2.request(method, path).putHeader("Cookie", who.cookieHeader()).putHeader("Origin", "http://localhost:" + node2.port());
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private static JsonObject share(String title) {
    return new JsonObject().put("title", title)
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", "What I noticed this week"))).put("intent", "listen");
  }

  private static String sessionKey(Api who) {
    return SessionStore.keyOf(who.cookieHeader().substring("bw_session=".length()));
  }

  private static <V> V cachedOnNode2(String cache, String key) {
    return node2.app.caches().<V>cache(cache).get(key);
  }

  @Test
  void signingOutOnOneNodeEndsTheSessionOnTheOtherAtOnce() {
    Api alice = node1.register("Alice");
    Api bob = node1.register("Bob");
    Pairing.pair(alice, bob);
    assertEquals(200, onNode2(alice, HttpMethod.GET, "/api/shares", null).statusCode());
    assertNotNull(cachedOnNode2("sessions", sessionKey(alice)), "node 2 keeps the session it served");
    String cookie = alice.cookieHeader();

    assertEquals(204, alice.post("/api/auth/logout", null).statusCode());
    var after = toNode2.get("/api/shares").putHeader("Cookie", cookie).send().await();
    assertEquals(401, after.statusCode(), after.bodyAsString());
    assertNull(cachedOnNode2("sessions", SessionStore.keyOf(cookie.substring("bw_session=".length()))));
  }

  @Test
  void leavingTheJointSpaceOnOneNodeEndsTheMembershipAndTheKeyOnTheOther() {
    Api alice = node1.register("Alice");
    Api bob = node1.register("Bob");
    String coupleId = Pairing.pair(alice, bob);
    var created = onNode2(alice, HttpMethod.PUT, "/api/shares/" + UUID.randomUUID(), share("before"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals(200, onNode2(bob, HttpMethod.GET, "/api/shares", null).statusCode());
    assertEquals(coupleId, cachedOnNode2("memberships", alice.id()));
    assertNotNull(cachedOnNode2("couples", coupleId));
    assertNotNull(cachedOnNode2("keys", "c:" + coupleId));

    assertEquals(204, bob.delete("/api/couple").statusCode());
    var list = onNode2(alice, HttpMethod.GET, "/api/shares", null);
    assertEquals(409, list.statusCode(), list.bodyAsString());
    assertEquals("not_paired", list.bodyAsJsonObject().getJsonObject("error").getString("code"));
    var write = onNode2(alice, HttpMethod.PUT, "/api/shares/" + UUID.randomUUID(), share("after"));
    assertEquals(404, write.statusCode(), write.bodyAsString());
    // The destroyed key is gone from node 2 too: nothing there can seal or open with it again.
    assertNull(cachedOnNode2("keys", "c:" + coupleId));
    assertThrows(KeyDestroyedException.class, () -> node2.app.vault().coupleKey(coupleId).await());
    assertEquals(0L, database.client().count("shares", new JsonObject().put("coupleId", coupleId)).await());
  }

  @Test
  void deletingTheAccountOnOneNodeEndsItsSessionAndThePartnersMembershipOnTheOther() {
    Api carol = node1.register("Carol");
    Api dave = node1.register("Dave");
    String coupleId = Pairing.pair(carol, dave);
    assertEquals(200, onNode2(carol, HttpMethod.GET, "/api/shares", null).statusCode());
    assertEquals(200, onNode2(dave, HttpMethod.GET, "/api/shares", null).statusCode());
    assertNotNull(cachedOnNode2("sessions", sessionKey(carol)));
    assertEquals(coupleId, cachedOnNode2("memberships", dave.id()));
    String cookie = carol.cookieHeader();

    var deleted = carol.delete("/api/me", new JsonObject().put("authKey", carol.keys().authKey()));
    assertEquals(204, deleted.statusCode(), deleted.bodyAsString());
    var gone = toNode2.get("/api/shares").putHeader("Cookie", cookie).send().await();
    assertEquals(401, gone.statusCode(), gone.bodyAsString());
    var partner = onNode2(dave, HttpMethod.GET, "/api/shares", null);
    assertEquals(409, partner.statusCode(), partner.bodyAsString());
    assertEquals("not_paired", partner.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }
}
