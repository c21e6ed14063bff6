package dev.bridgework.migration;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.ClientCrypto;
import dev.bridgework.testing.ServerProcess;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accounts and private work from before end-to-end encryption keep working (API.md "Legacy private
 * work"). The data directory in {@code src/test/resources/legacy-data} was written by the release
 * before this change (commit 04c3108, its jar run with curl: two accounts, Alice's part, two
 * reflections and a check-in, Bob's reflection, a share, a review with a note; the commands are in
 * {@code src/test/legacy/make-legacy-data.sh}). Here the new server opens it as its own process,
 * Alice signs in with her password, upgrades her keys, re-seals her work item by item, the server is
 * killed (SIGKILL) half-way, and after the restart the migration resumes and finishes: nothing is
 * lost, and only then is her server-side key destroyed and the readable history cut to ids.
 */
@Timeout(240)
@ExtendWith(VertxExtension.class)
class LegacyMigrationTest {
  private static final String ALICE = "alice@legacy.test";
  private static final String ALICE_PASSWORD = "alice legacy password";
  private static final String BOB = "bob@legacy.test";
  private static final String BOB_PASSWORD = "bob legacy password";
  private static final String PART = "11111111-1111-4111-8111-111111111111";
  private static final String REFLECTION = "22222222-2222-4222-8222-222222222222";
  private static final String EMPTY_REFLECTION = "22222222-2222-4222-8222-222222222223";
  private static final String CHECKIN = "33333333-3333-4333-8333-333333333333";
  private static final String SHARE = "55555555-5555-4555-8555-555555555555";

  private Vertx vertx;
  private Path dataDir;
  private ServerProcess server;

  @BeforeEach
  void copyLegacyDataDirectory(Vertx vertx) throws IOException {
    this.vertx = vertx;
    dataDir = Files.createTempDirectory("bw-legacy");
    for (String file : List.of("bridgework.mv.db", "master.key")) {
      try (InputStream in = getClass().getResourceAsStream("/legacy-data/" + file)) {
        Files.copy(in, dataDir.resolve(file));
      }
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) server.kill();
  }

  private Api start() throws IOException, InterruptedException {
    server = ServerProcess.start(dataDir, ServerProcess.freePort(), Map.of("BRIDGEWORK_CRYPTO_MINKDFITERATIONS", "1000"));
    server.awaitHealthy(WebClient.create(vertx));
    return TestServer.clientFor(vertx, server.port);
  }

  @Test
  void legacyAccountUpgradesAndItsWorkIsResealedAcrossACrashWithNothingLost() throws Exception {
    Api alice = start();
    assertEquals(new JsonObject().putNull("kdf"),
        alice.post("/api/auth/prelogin", new JsonObject().put("email", ALICE)).bodyAsJsonObject(), "a legacy account says so");
    assertEquals(401, alice.post("/api/auth/login", new JsonObject().put("email", ALICE)
        .put("authKey", ClientCrypto.b64(new byte[32]))).statusCode(), "a legacy account has no authKey yet");
    var login = alice.post("/api/auth/login", new JsonObject().put("email", ALICE).put("password", ALICE_PASSWORD));
    assertEquals(200, login.statusCode(), login.bodyAsString());
    assertNull(login.bodyAsJsonObject().getValue("vault"));
    assertTrue(alice.get("/api/me").bodyAsJsonObject().getBoolean("unsealed"));

    // Before the upgrade the work is listed, but nothing readable is served by the private routes.
    JsonObject listed = alice.get("/api/reflections/" + REFLECTION).bodyAsJsonObject();
    assertEquals(Boolean.TRUE, listed.getBoolean("legacy"));
    assertNull(listed.getValue("sealed"));
    assertFalse(listed.encode().contains("LEGACY-ALICE-REFLECTION"));

    // Finishing before new keys are set is refused.
    assertEquals(409, alice.post("/api/me/unsealed/finish", new JsonObject()).statusCode());

    ClientCrypto.Keys keys = ClientCrypto.Keys.fresh("alice's new passphrase", 1000);
    assertEquals(401, alice.put("/api/me/keys", keys.body().put("password", "wrong password")).statusCode());
    var upgraded = alice.put("/api/me/keys", keys.body().put("password", ALICE_PASSWORD));
    assertEquals(200, upgraded.statusCode(), upgraded.bodyAsString());
    assertEquals(keys.vault().getJsonObject("wrapped").getString("iv").length(),
        upgraded.bodyAsJsonObject().getJsonObject("vault").getJsonObject("wrapped").getString("iv").length());
    assertEquals(401, TestServer.clientFor(vertx, server.port).post("/api/auth/login",
        new JsonObject().put("email", ALICE).put("password", ALICE_PASSWORD)).statusCode(), "the password alone no longer signs in");

    Map<String, JsonObject> items = byId(alice.get("/api/me/unsealed").bodyAsJsonObject().getJsonArray("items"));
    assertEquals(4, items.size(), items.toString());
    JsonObject part = items.get(PART);
    assertEquals("part", part.getString("kind"));
    assertEquals("LEGACY-ALICE-PART The Scorekeeper", part.getJsonObject("content").getString("name"));
    assertEquals("manager", part.getJsonObject("content").getString("role"), "the role kept in clear is part of the content");
    assertEquals("LEGACY-ALICE-BELIEF", part.getJsonObject("content").getString("belief"));
    JsonObject reflection = items.get(REFLECTION);
    assertEquals("mirror-recent-moment", reflection.getString("exerciseId"));
    assertEquals("complete", reflection.getString("status"));
    assertEquals(new JsonObject().put("what-happened", "LEGACY-ALICE-REFLECTION dinner went quiet")
        .put("what-you-felt", new JsonArray().add("lonely").add("hurt")).put("how-strong", 7),
        reflection.getJsonObject("content").getJsonObject("answers"));
    JsonObject checkin = items.get(CHECKIN);
    assertEquals(7, checkin.getJsonObject("content").getInteger("intensity"));
    assertEquals("LEGACY-ALICE-CHECKIN long day", checkin.getJsonObject("content").getString("note"));
    assertEquals(new JsonArray().add("tired").add("tender"), checkin.getJsonObject("content").getJsonArray("emotions"));

    // Two items sealed, then the server dies.
    assertEquals(200, seal(alice, keys, part).statusCode());
    assertEquals(200, seal(alice, keys, reflection).statusCode());
    server.kill();

    alice = start();
    var again = alice.post("/api/auth/login", new JsonObject().put("email", ALICE).put("authKey", keys.authKey()));
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertTrue(alice.get("/api/me").bodyAsJsonObject().getBoolean("unsealed"), "the migration is not finished");
    Map<String, JsonObject> left = byId(alice.get("/api/me/unsealed").bodyAsJsonObject().getJsonArray("items"));
    assertEquals(java.util.Set.of(EMPTY_REFLECTION, CHECKIN), left.keySet(), "what was sealed before the crash stays sealed");
    var early = alice.post("/api/me/unsealed/finish", new JsonObject());
    assertEquals(409, early.statusCode());
    assertEquals(2, early.bodyAsJsonObject().getInteger("remaining"));
    for (JsonObject item : left.values()) assertEquals(200, seal(alice, keys, item).statusCode());
    assertEquals(204, alice.post("/api/me/unsealed/finish", new JsonObject()).statusCode());
    assertFalse(alice.get("/api/me").bodyAsJsonObject().getBoolean("unsealed"));
    assertEquals(0, alice.get("/api/me/unsealed").bodyAsJsonObject().getJsonArray("items").size());

    // Everything opens with the vault key to exactly what was written before the change.
    JsonObject storedPart = alice.get("/api/parts/" + PART).bodyAsJsonObject();
    assertFalse(storedPart.containsKey("role"), "the role is no longer stored in clear");
    assertEquals(part.getJsonObject("content"), keys.open("part", PART, storedPart.getJsonObject("sealed")));
    assertEquals(reflection.getJsonObject("content"),
        keys.open("reflection", REFLECTION, alice.get("/api/reflections/" + REFLECTION).bodyAsJsonObject().getJsonObject("sealed")));
    JsonObject storedCheckin = alice.get("/api/checkins").bodyAsJsonObject().getJsonArray("checkins").getJsonObject(0);
    assertFalse(storedCheckin.containsKey("intensity"), "the intensity is no longer stored in clear");
    assertEquals(checkin.getJsonObject("content"), keys.open("checkin", CHECKIN, storedCheckin.getJsonObject("sealed")));

    // The shared space is untouched; Bob upgrades too and still sees Alice's share.
    Api bob = TestServer.clientFor(vertx, server.port);
    assertEquals(200, bob.post("/api/auth/login", new JsonObject().put("email", BOB).put("password", BOB_PASSWORD)).statusCode());
    assertEquals(200, bob.put("/api/me/keys", ClientCrypto.Keys.fresh(BOB_PASSWORD, 1000).body().put("password", BOB_PASSWORD)).statusCode());
    JsonObject share = bob.get("/api/shares/" + SHARE).bodyAsJsonObject();
    assertEquals("LEGACY-SHARED-TEXT", share.getJsonArray("excerpts").getJsonObject(0).getString("text"));

    // With the server stopped and its data directory and master key in hand: Alice's server-side key
    // is gone, and her self events that carried readable private work were cut to ids first.
    String aliceId = alice.get("/api/me").bodyAsJsonObject().getJsonObject("user").getString("id");
    server.kill();
    server = null;
    var app = dev.bridgework.app.Application.start(vertx, dev.bridgework.app.AppConfig.fromMap(Map.of(
        "http.port", "0", "http.host", "127.0.0.1", "http.instances", "1", "data.dir", dataDir.toString())),
        java.time.Clock.systemUTC()).await();
    try {
      assertNull(app.database().client().findOne("keys", new JsonObject().put("_id", "u:" + aliceId).put("wrapped", new JsonObject().put("$exists", true)), null).await());
      assertNull(app.vault().existingUserKey(aliceId).await());
      var events = app.database().client().find("events", new JsonObject().put("key", aliceId)).await();
      assertFalse(events.isEmpty());
      for (JsonObject event : events) {
        assertFalse(event.containsKey("sealed"), "a legacy self event still carries sealed text: " + event.encode());
      }
      String everything = app.database().client().find("reflections", new JsonObject()).await().toString()
          + app.database().client().find("parts", new JsonObject()).await()
          + app.database().client().find("checkins", new JsonObject()).await();
      assertFalse(everything.contains("LEGACY-ALICE"));
    } finally {
      app.close().await();
    }
  }

  private static Map<String, JsonObject> byId(JsonArray items) {
    Map<String, JsonObject> out = new HashMap<>();
    for (int i = 0; i < items.size(); i++) out.put(items.getJsonObject(i).getString("id"), items.getJsonObject(i));
    return out;
  }

  /** What the web app does with one unsealed item: seal its content and write it back with its version. */
  private static io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> seal(Api api, ClientCrypto.Keys keys, JsonObject item) {
    String kind = item.getString("kind");
    String id = item.getString("id");
    JsonObject body = new JsonObject().put("sealed", keys.seal(kind, id, item.getJsonObject("content")))
        .put("version", item.getLong("version"));
    return switch (kind) {
      case "reflection" -> api.put("/api/reflections/" + id,
          body.put("exerciseId", item.getString("exerciseId")).put("status", item.getString("status")));
      case "part" -> api.put("/api/parts/" + id, body);
      case "checkin" -> api.put("/api/checkins/" + id, body.put("at", item.getString("at")));
      default -> throw new AssertionError(kind);
    };
  }
}
