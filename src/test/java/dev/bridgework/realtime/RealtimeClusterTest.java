package dev.bridgework.realtime;

import dev.bridgework.app.AppConfig;
import dev.bridgework.app.Main;
import dev.bridgework.storage.Database;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.ClusterNodes;
import dev.bridgework.testing.ServerProcess;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clustered nodes in one JVM (Hazelcast on 127.0.0.1, TCP-IP join, distinct ports), each with
 * its own Application and HTTP port, sharing one database: partners on different nodes see each
 * other live, and a client whose node is gone resumes on the other without loss.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class RealtimeClusterTest {
  static Vertx databaseVertx;
  static Database database;
  static TestServer node1;
  static TestServer node2;

  /** {@code vertx} (the extension's, closed by it) holds the shared database and the clients, and outlives node 1. */
  @BeforeAll
  static void start(Vertx vertx) throws IOException {
    databaseVertx = vertx;
    database = Database.start(databaseVertx, "", "bridgework", Path.of(Database.IN_MEMORY)).await();
    int port1 = ServerProcess.freePort();
    int port2 = ServerProcess.freePort();
    String members = "127.0.0.1:" + port1 + ",127.0.0.1:" + port2;
    // Every node of a cluster needs the same master key: data keys are wrapped with it.
    String masterKey = ClusterNodes.masterKey();
    node1 = node(port1, members, masterKey);
    node2 = node(port2, members, masterKey);
  }

  private static TestServer node(int clusterPort, String members, String masterKey) throws IOException {
    Map<String, String> settings = ClusterNodes.settings(clusterPort, members, masterKey, database.connectionString());
    AppConfig config = AppConfig.fromMap(settings);
    return TestServer.node(Main.clusteredVertx(config), config).await();
  }


  @AfterAll
  static void stop() {
    if (node1 != null && !node1Closed) node1.close();
    if (node2 != null) node2.close();
    if (database != null) database.close().await();
  }

  static boolean node1Closed;

  private static JsonObject presence(Api who, boolean online) {
    return new JsonObject().put("type", "presence").put("userId", who.id()).put("online", online);
  }

  @Test
  void partnersOnTwoNodesSeeEachOtherLiveAndAClientResumesOnTheSurvivingNode() {
    Api alice = node1.register("Alice");
    Api bob = node2.register("Bob");
    Api carol = node2.register("Carol");
    // Paired over HTTP across nodes: Alice creates on node 1, Bob joins on node 2 (couple.joined is seq 1).
    String couple = Couples.pair(alice, bob);
    Stream stream = Stream.couple(couple);

    // The clients run on a Vert.x of their own, which outlives node 1.
    Vertx clients = databaseVertx;
    Ws a = Ws.live(clients, alice.cookieHeader(), node1.port());
    Ws b = Ws.live(clients, bob.cookieHeader(), node2.port());
    Ws c = Ws.live(clients, carol.cookieHeader(), node2.port());
    assertEquals(couple, b.welcome.getString("coupleId"));
    // Alice is online on node 1: node 2 knows it, and Alice hears of Bob coming online on node 2.
    // Node 1 registers Alice's presence in the cluster just after her welcome, so Bob's welcome may
    // come a moment before it is visible; then the presence frame follows.
    if (!b.welcome.getBoolean("partnerOnline")) assertEquals(presence(alice, true), b.next("presence"));
    assertEquals(presence(bob, true), a.next("presence"));

    // Written on node 1, delivered to Bob on node 2; written on node 2, delivered to Alice on node 1.
    node1.app.events().append(stream, "share.created", new JsonObject().put("id", "s1")).await();
    for (Ws ws : List.of(a, b)) assertTrue(Ws.isEvent(ws.next(), "couple", 2));
    node2.app.events().append(stream, "response.created", new JsonObject().put("id", "r1")).await();
    for (Ws ws : List.of(a, b)) assertTrue(Ws.isEvent(ws.next(), "couple", 3));
    // Alice's private work stays on her side, whatever the node.
    node2.app.events().append(Stream.self(alice.id()), "reflection.saved", new JsonObject().put("id", "x")).await();
    assertTrue(Ws.isEvent(a.next(), "self", 1));

    b.send(new JsonObject().put("type", "focus").put("reviewId", "review-1").put("shareId", "s1"));
    assertEquals(new JsonObject().put("type", "focus").put("userId", bob.id()).put("reviewId", "review-1")
        .put("shareId", "s1"), a.next("focus"));
    b.assertQuiet();
    c.assertQuiet();

    // Node 1 goes away with Alice's socket. Bob hears she is offline (at the latest at his node's next sweep).
    node2.app.realtime().limits(RealtimeLimits.defaults().withSweepInterval(Duration.ofMillis(500)));
    node1.close();
    node1Closed = true;
    short code = a.awaitClose();
    assertEquals(1001, code, "going away");
    assertEquals(presence(alice, false), b.next("presence"));

    // Meanwhile the joint space moves on, on node 2.
    for (int i = 4; i <= 8; i++) {
      node2.app.events().append(stream, "share.updated", new JsonObject().put("id", "s1").put("n", i)).await();
      assertTrue(Ws.isEvent(b.next(), "couple", i));
    }
    // Alice comes back through node 2 and picks up exactly where she was.
    // Sessions live in the database, so her cookie is good on any node.
    try (Ws back = Ws.open(clients, alice.cookieHeader(), node2.port())) {
      assertTrue(back.welcome.getBoolean("partnerOnline"));
      assertEquals(8L, back.welcome.getJsonObject("heads").getLong("couple"));
      // She pretends to have seen only couple.joined: what node 1 wrote is read back on node 2 too.
      back.send(new JsonObject().put("type", "resume").put("self", 0).put("couple", 1));
      List<JsonObject> frames = back.until(f -> "synced".equals(f.getString("type")));
      List<JsonObject> events = frames.stream().filter(f -> "event".equals(f.getString("type"))).toList();
      assertEquals(LongStream.rangeClosed(2, 8).boxed().toList(),
          events.stream().filter(f -> "couple".equals(f.getString("stream"))).map(f -> f.getLong("seq")).toList());
      assertEquals(new JsonObject().put("id", "s1"), events.stream().filter(f -> Ws.isEvent(f, "couple", 2)).findFirst()
          .orElseThrow().getJsonObject("data"));
      assertEquals(new JsonObject().put("id", "x"),
          events.stream().filter(f -> "self".equals(f.getString("stream"))).findFirst().orElseThrow().getJsonObject("data"));
      assertEquals(presence(alice, true), b.next("presence"));
      node2.app.events().append(stream, "share.updated", new JsonObject().put("id", "s1")).await();
      assertTrue(Ws.isEvent(back.next(), "couple", 9));
      assertTrue(Ws.isEvent(b.next(), "couple", 9));
      back.assertQuiet();
    }
    b.close();
    c.close();
    assertFalse(a.closed.future().failed());
  }
}
