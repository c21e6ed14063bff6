package dev.bridgework.auth;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/me with a couple, the export, and account deletion. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class MyDataTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  static Api[] pair(String a, String b) {
    Api alice = server.register(a);
    Api bob = server.register(b);
    var created = alice.post("/api/couple", new JsonObject());
    assertEquals(201, created.statusCode(), created.bodyAsString());
    var joined = bob.post("/api/couple/join", new JsonObject().put("code", created.bodyAsJsonObject().getJsonObject("invite").getString("code")));
    assertEquals(200, joined.statusCode(), joined.bodyAsString());
    return new Api[] {alice, bob};
  }

  static String share(Api author, String text) {
    String id = UUID.randomUUID().toString();
    var r = author.put("/api/shares/" + id, new JsonObject().put("title", "title " + text).put("intent", "listen")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", text))).put("note", "note " + text));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  @Test
  void meShowsTheCoupleOncePaired() {
    Api[] p = pair("Alice", "Bob");
    JsonObject me = p[0].get("/api/me").bodyAsJsonObject();
    JsonObject couple = me.getJsonObject("couple");
    assertEquals(2, couple.getJsonArray("members").size());
    assertEquals(p[1].get("/api/couple").bodyAsJsonObject().getJsonObject("couple"), couple);
  }

  @Test
  void theExportHoldsWhatTheCallerOwnsAndNothingOfThePartnersOwnText() {
    Api[] p = pair("Alice", "Bob");
    share(p[0], "alice-export-" + UUID.randomUUID());
    String bobs = "bob-private-share-" + UUID.randomUUID();
    share(p[1], bobs);
    var r = p[0].get("/api/me/export");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Disposition").startsWith("attachment;"), r.getHeader("Content-Disposition"));
    JsonObject export = r.bodyAsJsonObject();
    assertEquals(p[0].id(), export.getJsonObject("user").getString("id"));
    assertEquals(1, export.getJsonArray("shares").size());
    assertTrue(export.getJsonArray("shares").getJsonObject(0).getString("title").startsWith("title alice-export-"));
    assertFalse(r.bodyAsString().contains(bobs), "the partner's shares belong to the partner");
    assertEquals(401, server.client().get("/api/me/export").statusCode());
  }

  @Test
  void deletingTheAccountNeedsTheAuthKeyAndThenErasesEverything() {
    Api[] p = pair("Alice", "Bob");
    Api alice = p[0];
    Api bob = p[1];
    String text = "alice-deleted-" + UUID.randomUUID();
    String shareId = share(alice, text);
    String bobText = "bob-stays-" + UUID.randomUUID();
    share(bob, bobText);

    var wrong = alice.delete("/api/me", new JsonObject().put("authKey", Api.freshKeys().authKey()));
    assertEquals(401, wrong.statusCode());
    assertEquals("invalid_credentials", wrong.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals(200, alice.get("/api/me").statusCode(), "nothing changed");
    assertEquals(400, alice.delete("/api/me", new JsonObject()).statusCode());

    int withPassword = alice.delete("/api/me", new JsonObject().put("password", Api.PASSWORD)).statusCode();
    assertTrue(withPassword == 400 || withPassword == 401, "a password is only for legacy accounts: " + withPassword);
    assertEquals(200, alice.get("/api/me").statusCode(), "nothing changed");

    var deleted = alice.delete("/api/me", new JsonObject().put("authKey", alice.keys().authKey()));
    assertEquals(204, deleted.statusCode(), deleted.bodyAsString());
    assertEquals(401, alice.get("/api/me").statusCode(), "the session ended");
    assertEquals(401, server.client().post("/api/auth/login", alice.loginBody()).statusCode());
    var bobsCouple = bob.get("/api/couple");
    assertEquals(409, bobsCouple.statusCode());
    assertEquals("not_paired", bobsCouple.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals(404, bob.get("/api/shares/" + shareId).statusCode());

    String dump = server.dumpDatabase();
    assertFalse(dump.contains(text), "alice's shared text is gone");
    assertFalse(dump.contains(alice.id()), "no document mentions alice any more:\n"
        + dump.lines().filter(l -> l.contains(alice.id())).collect(java.util.stream.Collectors.joining("\n")));
    assertFalse(dump.contains(alice.email()));
  }
}
