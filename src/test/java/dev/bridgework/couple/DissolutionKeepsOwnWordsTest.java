package dev.bridgework.couple;

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

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.couple.Pairing.pair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API.md {@code DELETE /api/couple}, revised: when the joint space ends each partner keeps their
 * own words (their shares' text, their own review notes) as private work of theirs, held by the
 * server until their client seals it; the partner's words go; the partner who stays is told who
 * left and when. An account deletion keeps nothing of the deleted person.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class DissolutionKeepsOwnWordsTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  private record Couple(Api alice, Api bob, String aliceShare, String bobShare) {}

  /** Alice and Bob pair, each shares once, both are on a review agenda with a note each. */
  private static Couple coupleWithWords(String tag) {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    pair(alice, bob);
    String aliceShare = share(alice, "ALICE-TITLE-" + tag, "ALICE-SHARED-" + tag);
    String bobShare = share(bob, "BOB-TITLE-" + tag, "BOB-SHARED-" + tag);
    for (String id : List.of(aliceShare, bobShare)) {
      assertEquals(200, alice.put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", true)).statusCode());
    }
    var review = alice.post("/api/reviews", new JsonObject());
    assertEquals(201, review.statusCode(), review.bodyAsString());
    String reviewId = review.bodyAsJsonObject().getString("id");
    for (String id : List.of(aliceShare, bobShare)) {
      assertEquals(200, alice.put("/api/reviews/" + reviewId + "/notes/" + id,
          new JsonObject().put("text", "ALICE-NOTE-" + tag + "-" + id)).statusCode());
      assertEquals(200, bob.put("/api/reviews/" + reviewId + "/notes/" + id,
          new JsonObject().put("text", "BOB-NOTE-" + tag + "-" + id)).statusCode());
    }
    return new Couple(alice, bob, aliceShare, bobShare);
  }

  private static String share(Api author, String title, String text) {
    String id = UUID.randomUUID().toString();
    var r = author.put("/api/shares/" + id, new JsonObject().put("title", title)
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", text))).put("note", "a note").put("intent", "listen"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  private static JsonArray unsealed(Api api) {
    var r = api.get("/api/me/unsealed");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("items");
  }

  @Test
  void leavingKeepsEachPartnersOwnWordsAndTellsThePartnerWhoStays() {
    Couple c = coupleWithWords("LEAVE");
    assertEquals(204, c.alice().delete("/api/couple").statusCode());

    // Bob is told who left and when; Alice, who left, is not.
    JsonObject bobMe = c.bob().get("/api/me").bodyAsJsonObject();
    assertNull(bobMe.getValue("couple"));
    assertTrue(bobMe.getBoolean("unsealed"));
    JsonObject ending = bobMe.getJsonObject("ending");
    assertNotNull(ending);
    assertEquals("Alice", ending.getString("partnerName"));
    assertEquals("left", ending.getString("reason"));
    assertNotNull(ending.getString("at"));
    assertNull(c.alice().get("/api/me").bodyAsJsonObject().getValue("ending"));

    // Each keeps their own share and their own notes, and nothing of the other's words.
    for (Api person : List.of(c.alice(), c.bob())) {
      String me = person == c.alice() ? "ALICE" : "BOB";
      String other = person == c.alice() ? "BOB" : "ALICE";
      JsonArray items = unsealed(person);
      assertEquals(2, items.size(), items.encode());
      String all = items.encode();
      assertTrue(all.contains(me + "-SHARED-LEAVE"), all);
      assertTrue(all.contains(me + "-TITLE-LEAVE"), all);
      assertTrue(all.contains(me + "-NOTE-LEAVE"), all);
      assertFalse(all.contains(other + "-"), "the partner's words go: " + all);
      assertTrue(person.get("/api/me").bodyAsJsonObject().getBoolean("unsealed"));
    }

    // The client seals them; each held key is destroyed as its item is sealed; then finishing works.
    JsonArray items = unsealed(c.bob());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      assertEquals("kept", item.getString("kind"));
      String id = item.getString("id");
      ids.add(id);
      assertNotNull(server.mongo().findOne("keys", new JsonObject().put("_id", "h:" + id), null).await());
      var sealed = c.bob().saveKept(id, item.getJsonObject("content"), item.getInteger("version"));
      assertEquals(200, sealed.statusCode(), sealed.bodyAsString());
      assertNull(server.mongo().findOne("keys", new JsonObject().put("_id", "h:" + id).put("wrapped", new JsonObject().put("$exists", true)), null).await(),
          "the server's key for a held item goes once the owner sealed it");
      JsonObject stored = c.bob().get("/api/kept/" + id).bodyAsJsonObject();
      assertEquals(item.getJsonObject("content"), c.bob().open("kept", id, stored.getJsonObject("sealed")));
    }
    assertEquals(204, c.bob().post("/api/me/unsealed/finish", new JsonObject()).statusCode());
    assertFalse(c.bob().get("/api/me").bodyAsJsonObject().getBoolean("unsealed"));
    String bobsKept = server.mongo().find("kept", new JsonObject().put("ownerId", c.bob().id())).await().toString();
    assertFalse(bobsKept.contains("BOB-SHARED-LEAVE"), "sealed by the client, unreadable to the server");
    assertEquals(2, c.bob().get("/api/kept").bodyAsJsonObject().getJsonArray("kept").size());

    // Bob dismisses the notice.
    assertEquals(204, c.bob().delete("/api/me/ending").statusCode());
    assertNull(c.bob().get("/api/me").bodyAsJsonObject().getValue("ending"));

    // Alice's held items are still hers alone: Bob cannot read them by any route.
    String aliceItem = unsealed(c.alice()).getJsonObject(0).getString("id");
    assertEquals(404, c.bob().get("/api/kept/" + aliceItem).statusCode());
    assertEquals(404, c.bob().delete("/api/kept/" + aliceItem).statusCode());
  }

  @Test
  void deletingAnAccountKeepsOnlyThePartnersWordsAndSaysSo() {
    Couple c = coupleWithWords("DELETE");
    var deleted = c.alice().delete("/api/me", new JsonObject().put("authKey", c.alice().keys().authKey()));
    assertEquals(204, deleted.statusCode(), deleted.bodyAsString());

    JsonObject ending = c.bob().get("/api/me").bodyAsJsonObject().getJsonObject("ending");
    assertEquals("Alice", ending.getString("partnerName"));
    assertEquals("deleted", ending.getString("reason"));
    String all = unsealed(c.bob()).encode();
    assertTrue(all.contains("BOB-SHARED-DELETE"), all);
    assertFalse(all.contains("ALICE-"), all);
    assertEquals(0, server.mongo().count("kept", new JsonObject().put("ownerId", c.alice().id())).await());
  }
}
