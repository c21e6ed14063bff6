package dev.bridgework.privacy;

import dev.bridgework.app.AppConfig;
import dev.bridgework.app.Application;
import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What people write is never in the database in plaintext: not in any collection, not in the raw H2
 * file of the embedded default. And hostile markup stored in every text field comes back verbatim.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class AtRestTest {
  static final String XSS = "<img src=x onerror=alert(1)><script>alert('x')</script>\"'&{{7*7}}${7*7}";

  /** Writes one planted marker into every text field a person can fill; answers the markers. */
  static List<String> writeEverywhere(Api alice, Api bob, String tag) {
    String m1 = tag + "-answer", m2 = tag + "-part", m3 = tag + "-checkin", m4 = tag + "-title", m5 = tag + "-excerpt",
        m6 = tag + "-note", m7 = tag + "-comment", m8 = tag + "-reviewnote";
    var reflection = alice.saveReflection(UUID.randomUUID().toString(), "mirror-recent-moment",
        new JsonObject().put("what-happened", m1 + XSS), "draft", null);
    assertEquals(201, reflection.statusCode(), reflection.bodyAsString());
    assertEquals(m1 + XSS, alice.openReflection(reflection.bodyAsJsonObject()).getJsonObject("answers").getString("what-happened"),
        "markup comes back verbatim, sealed");
    var part = alice.savePart(UUID.randomUUID().toString(), new JsonObject().put("name", m2 + " name")
        .put("belief", m2 + XSS).put("fears", m2).put("needs", m2).put("notes", m2), null);
    assertEquals(201, part.statusCode(), part.bodyAsString());
    var checkin = alice.saveCheckin(UUID.randomUUID().toString(), null, new JsonObject()
        .put("emotions", new JsonArray().add("calm " + tag.substring(tag.length() - 12))).put("intensity", 5).put("note", m3 + XSS), null);
    assertEquals(201, checkin.statusCode(), checkin.bodyAsString());
    assertEquals(m3 + XSS, alice.openCheckin(checkin.bodyAsJsonObject()).getString("note"));
    String shareId = UUID.randomUUID().toString();
    var share = alice.put("/api/shares/" + shareId, new JsonObject().put("title", m4 + XSS).put("intent", "discuss")
        .put("note", m6 + XSS).put("excerpts", new JsonArray().add(new JsonObject().put("text", m5 + XSS))));
    assertEquals(201, share.statusCode());
    assertEquals(m4 + XSS, share.bodyAsJsonObject().getString("title"), "markup comes back verbatim");
    assertEquals(201, bob.put("/api/shares/" + shareId + "/responses/" + UUID.randomUUID(),
        new JsonObject().put("kind", "comment").put("text", m7 + XSS)).statusCode());
    assertEquals(200, bob.put("/api/shares/" + shareId + "/counseling", new JsonObject().put("flag", true)).statusCode());
    var review = alice.post("/api/reviews", new JsonObject());
    assertEquals(201, review.statusCode(), review.bodyAsString());
    var noted = alice.put("/api/reviews/" + review.bodyAsJsonObject().getString("id") + "/notes/" + shareId,
        new JsonObject().put("text", m8 + XSS));
    assertEquals(200, noted.statusCode(), noted.bodyAsString());
    JsonObject fromPartner = bob.get("/api/shares/" + shareId).bodyAsJsonObject();
    assertEquals(m5 + XSS, fromPartner.getJsonArray("excerpts").getJsonObject(0).getString("text"));
    assertEquals(m6 + XSS, fromPartner.getString("note"));
    assertEquals(m7 + XSS, fromPartner.getJsonArray("responses").getJsonObject(0).getString("text"));
    return List.of(m1, m2, m3, m4, m5, m6, m7, m8);
  }

  @Test
  void noCollectionHoldsPlaintext(Vertx vertx) {
    try (TestServer server = TestServer.startOn(vertx, Map.of())) {
      Api alice = server.register("Alice");
      Api bob = server.register("Bob");
      Pairing.pair(alice, bob);
      List<String> markers = writeEverywhere(alice, bob, "dump-" + UUID.randomUUID());
      String dump = server.dumpDatabase();
      for (String marker : markers) assertFalse(dump.contains(marker), marker + " is stored in plaintext");
      assertFalse(dump.contains("onerror"), "markup is stored in plaintext");
    }
  }

  @Test
  void theRawEmbeddedDatabaseFileHoldsNoPlaintext(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("bw-at-rest");
    List<String> markers;
    Application app = Application.start(vertx, AppConfig.fromMap(Map.of("http.port", "0", "http.host", "127.0.0.1",
        "http.instances", "1", "data.dir", dataDir.toString(),
        "crypto.minKdfIterations", String.valueOf(TestServer.TEST_MIN_KDF_ITERATIONS))), Clock.systemUTC()).await();
    try {
      Api alice = TestServer.clientFor(vertx, app.port());
      Api bob = TestServer.clientFor(vertx, app.port());
      TestServer.registerWith(alice, "Alice");
      TestServer.registerWith(bob, "Bob");
      Pairing.pair(alice, bob);
      markers = writeEverywhere(alice, bob, "file-" + UUID.randomUUID());
      // A server (not a test server) hashes at the OWASP cost; every hash names its cost.
      for (JsonObject user : app.database().client().find("users", new JsonObject()).await()) {
        for (String field : List.of("authHash", "recoveryHash")) {
          assertTrue(user.getString(field, "").startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), field + ": " + user.getString(field));
        }
      }
    } finally {
      app.close().await();
    }
    byte[] raw = Files.readAllBytes(dataDir.resolve("bridgework.mv.db"));
    String latin1 = new String(raw, StandardCharsets.ISO_8859_1);
    String utf16 = new String(raw, StandardCharsets.UTF_16LE) + new String(raw, StandardCharsets.UTF_16BE);
    for (String marker : markers) {
      assertFalse(latin1.contains(marker), marker + " is in the H2 file in plaintext");
      assertFalse(utf16.contains(marker), marker + " is in the H2 file as UTF-16");
    }
  }
}
