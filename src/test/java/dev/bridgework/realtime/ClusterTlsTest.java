package dev.bridgework.realtime;

import dev.bridgework.app.AppConfig;
import dev.bridgework.app.Main;
import dev.bridgework.storage.DataKey;
import dev.bridgework.storage.Database;
import dev.bridgework.storage.KeyDestroyedException;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.SelfSignedPem;
import dev.bridgework.testing.ClusterNodes;
import dev.bridgework.testing.ServerProcess;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Event-bus traffic between cluster nodes over TLS ({@code cluster.tls.certPath}, {@code keyPath},
 * {@code trustPath}; README "Running clustered"), with PEM material made here: two nodes that both
 * present and trust the same self-signed certificate carry a share from a partner on node A to the
 * partner's socket on node B. A third node that joins the same Hazelcast cluster with a certificate
 * of its own (not trusted by the others) exchanges no event-bus message with them: what the nodes
 * publish never reaches it, what it sends never reaches them, and a TLS connection made with its
 * key to a node's event-bus port is refused, while the same connection with the cluster's key is
 * accepted. And a key destroyed through node A is unusable on node B once node A has answered.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ClusterTlsTest {
  static final String PROBE = "test.cluster-tls.probe";
  static Vertx databaseVertx;
  static Database database;
  static Path clusterCert;
  static Path clusterKey;
  static Path outsiderCert;
  static Path outsiderKey;
  static TestServer nodeA;
  static TestServer nodeB;
  static Vertx outsider;

  /** {@code vertx} (the extension's, closed by it) holds the shared database and the probing clients. */
  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    databaseVertx = vertx;
    database = Database.start(databaseVertx, "", "bridgework", Path.of(Database.IN_MEMORY)).await();
    Path dir = Files.createTempDirectory("bw-cluster-tls");
    clusterCert = dir.resolve("cluster.pem");
    clusterKey = dir.resolve("cluster.key");
    SelfSignedPem.write(clusterCert, clusterKey);
    outsiderCert = dir.resolve("outsider.pem");
    outsiderKey = dir.resolve("outsider.key");
    SelfSignedPem.write(outsiderCert, outsiderKey);

    int portA = ServerProcess.freePort();
    int portB = ServerProcess.freePort();
    int portOutsider = ServerProcess.freePort();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB + ",127.0.0.1:" + portOutsider;
    String masterKey = ClusterNodes.masterKey();
    // Both nodes present the cluster's certificate and trust only it.
    nodeA = node(config(portA, members, masterKey, clusterCert, clusterKey, clusterCert));
    nodeB = node(config(portB, members, masterKey, clusterCert, clusterKey, clusterCert));
    // The outsider reaches Hazelcast like any node, but presents (and trusts) a certificate of its own.
    outsider = Main.clusteredVertx(config(portOutsider, members, masterKey, outsiderCert, outsiderKey, outsiderCert)).await();
  }

  private static AppConfig config(int clusterPort, String members, String masterKey, Path cert, Path key, Path trust)
      throws IOException {
    Map<String, String> settings = ClusterNodes.settings(clusterPort, members, masterKey, database.connectionString());
    settings.put("cluster.tls.certPath", cert.toString());
    settings.put("cluster.tls.keyPath", key.toString());
    settings.put("cluster.tls.trustPath", trust.toString());
    AppConfig config = AppConfig.fromMap(settings);
    assertTrue(config.clusterTls());
    return config;
  }

  /** A node on a clustered Vert.x of its own; closing the node closes it (the node leaves the cluster). */
  private static TestServer node(AppConfig config) {
    return TestServer.node(Main.clusteredVertx(config), config).await();
  }


  @AfterAll
  static void stop() {
    if (outsider != null) outsider.close().await();
    if (nodeA != null) nodeA.close();
    if (nodeB != null) nodeB.close();
    if (database != null) database.close().await();
  }

  /** Frames received within {@code millis}, to show that something did not arrive. */
  private static JsonObject poll(LinkedBlockingQueue<JsonObject> queue, long millis) throws InterruptedException {
    return queue.poll(millis, TimeUnit.MILLISECONDS);
  }

  @Test
  void aShareOnNodeAReachesThePartnerOnNodeBAndNeverTheOutsider() throws Exception {
    Api alice = nodeA.register("Alice");
    Api bob = nodeB.register("Bob");
    String couple = Couples.pair(alice, bob);
    Stream stream = Stream.couple(couple);
    LinkedBlockingQueue<JsonObject> overheard = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> eavesdropper = outsider.eventBus().<JsonObject>consumer(stream.address(), m -> overheard.add(m.body()));
    eavesdropper.completion().await();

    try (Ws b = Ws.live(databaseVertx, bob.cookieHeader(), nodeB.port())) {
      String title = "our weekend " + UUID.randomUUID();
      var created = alice.put("/api/shares/" + UUID.randomUUID(), new JsonObject().put("title", title).put("intent", "listen")
          .put("excerpts", new JsonArray().add(new JsonObject().put("text", "words"))));
      assertEquals(201, created.statusCode(), created.bodyAsString());
      JsonObject event = b.next("event");
      assertEquals("share.created", event.getString("kind"));
      assertEquals(title, event.getJsonObject("data").getString("title"), "written on node A, read on node B over TLS");
      // Published to every subscriber of the couple's address, the outsider included: it gets none of it.
      assertNull(poll(overheard, 3000), "the outsider overheard the couple's stream");

      // The outsider publishes an event of its own to the couple's address: node B's socket never shows it.
      outsider.eventBus().publish(stream.address(), new JsonObject().put("type", "event").put("stream", "couple")
          .put("seq", event.getLong("seq") + 1).put("kind", "share.created").put("data", new JsonObject().put("title", "forged")));
      b.assertQuiet();
    } finally {
      eavesdropper.unregister().await();
    }
  }

  @Test
  void theOutsiderExchangesNoMessagesWithTheTrustedNodes() throws Exception {
    LinkedBlockingQueue<JsonObject> atB = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<JsonObject> atOutsider = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> onB = nodeB.vertx.eventBus().<JsonObject>consumer(PROBE, m -> {
      atB.add(m.body());
      m.reply("ok");
    });
    MessageConsumer<JsonObject> onOutsider = outsider.eventBus().<JsonObject>consumer(PROBE + ".outsider", m -> atOutsider.add(m.body()));
    try {
      onB.completion().await();
      onOutsider.completion().await();
      // The positive control: node A to node B, both ways of sending.
      assertEquals("ok", nodeA.vertx.eventBus().request(PROBE, new JsonObject().put("from", "A"),
          new DeliveryOptions().setSendTimeout(30_000)).await().body());
      assertEquals(new JsonObject().put("from", "A"), atB.poll(30, TimeUnit.SECONDS));

      // The outsider to node B: never delivered. It knows node B's consumer (Hazelcast tells every
      // member), so its request is not "no handlers": the delivery itself fails.
      Throwable toB = assertThrows(Exception.class, () -> outsider.eventBus().request(PROBE, new JsonObject().put("from", "outsider"),
          new DeliveryOptions().setSendTimeout(5_000)).await());
      assertNotEquals(ReplyFailure.NO_HANDLERS, failureOf(toB), "the outsider saw node B's consumer: " + toB);
      assertNull(poll(atB, 1000), "node B received a message from the outsider");
      // Node A to the outsider: never delivered, though node A knows the outsider's consumer too.
      Throwable toOutsider = assertThrows(Exception.class, () -> nodeA.vertx.eventBus().request(PROBE + ".outsider",
          new JsonObject().put("from", "A"), new DeliveryOptions().setSendTimeout(5_000)).await());
      assertNotEquals(ReplyFailure.NO_HANDLERS, failureOf(toOutsider), "node A saw the outsider's consumer: " + toOutsider);
      nodeA.vertx.eventBus().publish(PROBE + ".outsider", new JsonObject().put("from", "A"));
      assertNull(poll(atOutsider, 3000), "the outsider received a message from node A");
    } finally {
      onB.unregister().await();
      onOutsider.unregister().await();
    }
  }

  @Test
  void aKeyDestroyedOnNodeAIsGoneOnNodeBBeforeTheDissolutionIsAnswered() {
    Api alice = nodeA.register("Alice");
    Api bob = nodeB.register("Bob");
    String couple = Couples.pair(alice, bob);
    String shareId = UUID.randomUUID().toString();
    assertEquals(201, bob.put("/api/shares/" + shareId, new JsonObject().put("title", "t").put("intent", "listen")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", "words")))).statusCode());
    // Node B has used the couple's key (it sealed the share); node A destroys it.
    DataKey before = nodeB.app.vault().coupleKey(couple).await();
    assertNotNull(before);
    assertEquals(204, alice.delete("/api/couple").statusCode());
    // Answered on node A: node B can neither use the key nor make it again.
    assertThrows(KeyDestroyedException.class, () -> nodeB.app.vault().coupleKey(couple).await());
  }

  @Test
  void aNodesEventBusPortRefusesAConnectionWithoutTheClustersCertificate() throws Exception {
    NodeInfo a = ((VertxInternal) nodeA.vertx).clusterManager().getNodeInfo();
    assertNotNull(a);
    // Each client trusts node A's certificate; what differs is the certificate it presents.
    assertTrue(handshakeHolds(tls(clusterCert, clusterKey), a), "the cluster's own certificate is accepted");
    assertFalse(handshakeHolds(tls(outsiderCert, outsiderKey), a), "a certificate the cluster does not trust was accepted");
    assertFalse(handshakeHolds(new NetClientOptions().setSsl(true).setConnectTimeout(10_000).setHostnameVerificationAlgorithm("")
        .setTrustOptions(new PemTrustOptions().addCertPath(clusterCert.toString())), a), "a client without a certificate was accepted");
  }

  private static NetClientOptions tls(Path cert, Path key) {
    return new NetClientOptions().setSsl(true).setConnectTimeout(10_000).setHostnameVerificationAlgorithm("")
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(clusterCert.toString()));
  }

  private static ReplyFailure failureOf(Throwable e) {
    return e instanceof ReplyException reply ? reply.failureType() : null;
  }

  /**
   * Whether a TLS connection to the node is accepted and stays open. With TLS 1.3 the client's side
   * of the handshake can complete before the server has checked the client's certificate, so the
   * server's refusal may show as the connection closing right after.
   */
  private static boolean handshakeHolds(NetClientOptions options, NodeInfo node) throws Exception {
    NetClient client = databaseVertx.createNetClient(options);
    try {
      NetSocket socket;
      try {
        socket = client.connect(node.port(), node.host()).await();
      } catch (Exception refused) {
        return false;
      }
      CompletableFuture<Void> closed = new CompletableFuture<>();
      socket.closeHandler(v -> closed.complete(null));
      try {
        closed.get(3, TimeUnit.SECONDS);
        return false;
      } catch (TimeoutException stillOpen) {
        assertTrue(socket.isSsl());
        socket.close().await();
        return true;
      }
    } finally {
      client.close().await();
    }
  }
}
