package dev.bridgework.realtime;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions ending, couples forming and dissolving, presence and focus. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class RealtimeCouplesAndSessionsTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject append(Stream stream, String kind, JsonObject data) {
    return server.app.events().append(stream, kind, data).await();
  }

  private static JsonObject presence(Api who, boolean online) {
    return new JsonObject().put("type", "presence").put("userId", who.id()).put("online", online);
  }

  // ---------------------------------------------------------------- sessions

  @Test
  void logoutClosesThatSessionsSocketsWith4401AndNoOthers() {
    Api alice = server.register("Alice");
    Api phone = alice.anotherDevice();
    try (Ws a = Ws.live(alice); Ws a2 = Ws.live(alice); Ws p = Ws.live(phone)) {
      assertEquals(204, alice.post("/api/auth/logout", null).statusCode());
      assertEquals(4401, a.awaitClose());
      assertEquals(4401, a2.awaitClose());
      p.assertQuiet();
      append(Stream.self(alice.id()), "part.saved", new JsonObject().put("id", "p1"));
      assertTrue(Ws.isEvent(p.next(), "self", 1));
    }
  }

  @Test
  void accountDeletionClosesEverySocketOfTheUser() {
    Api alice = server.register("Alice");
    Api phone = alice.anotherDevice();
    Api bob = server.register("Bob");
    try (Ws a = Ws.live(alice); Ws p = Ws.live(phone); Ws b = Ws.live(bob)) {
      var deleted = alice.delete("/api/me", new JsonObject().put("authKey", alice.keys().authKey()));
      assertEquals(204, deleted.statusCode(), deleted.bodyAsString());
      assertEquals(4401, a.awaitClose());
      assertEquals(4401, p.awaitClose());
      b.assertQuiet();
    }
    assertEquals(0L, server.mongo().count("sessions", new JsonObject().put("userId", alice.id())).await());
  }

  @Test
  void aSessionThatDisappearedIsClosedWith4401ByTheSweep() {
    Api alice = server.register("Alice");
    Api phone = alice.anotherDevice();
    try (Ws a = Ws.live(alice); Ws p = Ws.live(phone)) {
      // The session is gone without a message on the bus (expired and purged, or the bus dropped it).
      String userId = alice.id();
      var sessions = server.mongo().find("sessions", new JsonObject().put("userId", userId)).await();
      assertEquals(2, sessions.size());
      String token = alice.cookieHeader().substring("bw_session=".length());
      String key = dev.bridgework.auth.SessionStore.keyOf(token);
      assertEquals(1L, server.mongo().removeDocuments("sessions", new JsonObject().put("_id", key)).await().getRemovedCount());
      server.app.realtime().sweep().await();
      assertEquals(4401, a.awaitClose());
      p.assertQuiet();
    }
  }

  // ---------------------------------------------------------------- couples

  @Test
  void aNewCoupleStreamIsDeliveredFromItsFirstEventAndStopsAtItsDissolution() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Api carol = server.register("Carol");
    try (Ws a = Ws.live(alice); Ws b = Ws.live(bob); Ws c = Ws.live(carol)) {
      assertNull(a.welcome.getValue("coupleId"));
      // Alice starts a joint space alone, Bob joins it: couple.joined is the new stream's first event.
      String code = Pairing.createCouple(alice).getJsonObject("invite").getString("code");
      var joined = Pairing.join(bob, code);
      assertEquals(200, joined.statusCode(), joined.bodyAsString());
      String couple = joined.bodyAsJsonObject().getJsonObject("couple").getString("id");

      // Each gets the new stream from its first event, and the partner's presence (in either order).
      for (Ws ws : List.of(a, b)) {
        List<JsonObject> frames = List.of(ws.next(), ws.next());
        JsonObject first = frames.stream().filter(f -> Ws.isEvent(f, "couple", 1)).findFirst().orElseThrow();
        assertEquals("couple.joined", first.getString("kind"));
        assertEquals(couple, first.getJsonObject("data").getString("id"));
        JsonObject partner = frames.stream().filter(f -> "presence".equals(f.getString("type"))).findFirst().orElseThrow();
        assertEquals(presence(ws == a ? bob : alice, true), partner);
      }

      String shareId = Couples.share(bob, "What I need on Sundays");
      for (Ws ws : List.of(a, b)) {
        JsonObject created = ws.next("event");
        assertEquals(2L, created.getLong("seq"));
        assertEquals("share.created", created.getString("kind"));
        assertEquals(shareId, created.getJsonObject("data").getString("id"));
        assertEquals("What I need on Sundays", created.getJsonObject("data").getString("title"));
      }
      c.assertQuiet();

      Couples.dissolve(alice);
      // Bob keeps his own words: the share's text becomes private work of his, held for his client
      // to seal (ENCRYPTION.md "kept words"), announced on his self stream only, before or after
      // the dissolution (the words are kept before the joint space is erased).
      List<JsonObject> bobs = List.of(b.next("event"), b.next("event"));
      JsonObject kept = bobs.stream().filter(f -> "self".equals(f.getString("stream"))).findFirst().orElseThrow();
      JsonObject bobsDissolved = bobs.stream().filter(f -> "couple".equals(f.getString("stream"))).findFirst().orElseThrow();
      for (JsonObject dissolved : List.of(a.next("event"), bobsDissolved)) {
        assertEquals(3L, dissolved.getLong("seq"));
        assertEquals("couple.dissolved", dissolved.getString("kind"));
        // ENCRYPTION.md: who ended it, why and when, so the partner who stays is told.
        JsonObject data = dissolved.getJsonObject("data");
        assertEquals(new JsonObject().put("id", alice.id()).put("displayName", "Alice"), data.getJsonObject("by"));
        assertEquals("left", data.getString("reason"));
        assertNotNull(data.getString("at"));
        assertNotNull(data.getString("id"));
      }
      assertEquals("self", kept.getString("stream"));
      assertEquals("kept.saved", kept.getString("kind"));
      assertTrue(kept.getJsonObject("data").getBoolean("legacy"));
      assertNull(kept.getJsonObject("data").getValue("sealed"));
      assertFalse(kept.encode().contains("What I need on Sundays"), "its words travel only through GET /api/me/unsealed");
      // Nothing of that couple follows its dissolution (no reset either: the client saw it end).
      a.send(new JsonObject().put("type", "focus").put("reviewId", "r1").put("shareId", "s1"));
      assertEquals("not_paired", a.next("error").getString("code"));
      a.assertQuiet();
      b.assertQuiet();
      c.assertQuiet();
    }
    try (Ws again = Ws.open(alice)) {
      assertNull(again.welcome.getValue("coupleId"));
      assertEquals(0L, again.welcome.getJsonObject("heads").getLong("couple"));
    }
  }

  @Test
  void aMembershipChangeWithoutItsDissolutionEventStopsPushesAtOnceWithAReset() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String couple = Couples.pair(alice, bob);
    try (Ws a = Ws.live(alice); Ws b = Ws.live(bob)) {
      assertEquals(presence(bob, true), a.next("presence"));
      // The memberships end without the stream's last event reaching the sockets (for example a
      // membership message overtaking it while a socket is still replaying).
      server.mongo().removeDocuments("memberships", new JsonObject().put("coupleId", couple)).await();
      Couples.announce(server.vertx, alice.id(), null);
      Couples.announce(server.vertx, bob.id(), null);
      JsonObject reset = new JsonObject().put("type", "reset").put("stream", "couple").put("head", 0L);
      assertEquals(reset, a.next("reset"));
      assertEquals(reset, b.next("reset"));
      append(Stream.couple(couple), "share.created", new JsonObject().put("id", "s1"));
      b.send(new JsonObject().put("type", "focus").put("reviewId", "r1").put("shareId", null));
      assertEquals("not_paired", b.next("error").getString("code"));
      a.assertQuiet();
      b.assertQuiet();
    }
  }

  @Test
  void aMembershipMessageNeverGrantsAccessByItself() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Api mallory = server.register("Mallory");
    String couple = Couples.pair(alice, bob);
    Api carol = server.register("Carol");
    try (Ws m = Ws.live(mallory)) {
      // A forged or stale message naming someone else's couple: storage says Mallory is not in it.
      Couples.announce(server.vertx, mallory.id(), couple);
      append(Stream.couple(couple), "share.created", new JsonObject().put("id", "secret"));
      // Membership messages are handled in order: once Mallory's own new couple shows up, the
      // forged one has been handled, and nothing of Alice and Bob's couple came through.
      String own = Couples.pair(carol, mallory);
      List<JsonObject> frames = List.of(m.next(), m.next());
      JsonObject joined = frames.stream().filter(f -> "event".equals(f.getString("type"))).findFirst().orElseThrow();
      assertEquals("couple.joined", joined.getString("kind"));
      assertEquals(own, joined.getJsonObject("data").getString("id"));
      assertEquals(1L, joined.getLong("seq"));
      assertEquals(presence(carol, false), frames.stream().filter(f -> "presence".equals(f.getString("type")))
          .findFirst().orElseThrow());
      m.assertQuiet();
    }
  }

  @Test
  void presenceAndFocusReachOnlyThePartner() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Api carol = server.register("Carol");
    Api dave = server.register("Dave");
    Couples.pair(alice, bob);
    Couples.pair(carol, dave);
    Api bobPhone = bob.anotherDevice();
    try (Ws a = Ws.live(alice); Ws c = Ws.live(carol); Ws d = Ws.live(dave)) {
      assertFalse(a.welcome.getBoolean("partnerOnline"));
      assertTrue(d.welcome.getBoolean("partnerOnline"));
      assertEquals(presence(dave, true), c.next("presence"));
      Ws b1 = Ws.live(bob);
      assertTrue(b1.welcome.getBoolean("partnerOnline"));
      assertEquals(presence(bob, true), a.next("presence"));
      Ws b2 = Ws.live(bobPhone);
      assertTrue(b2.welcome.getBoolean("partnerOnline"));

      b1.send(new JsonObject().put("type", "focus").put("reviewId", "review-1").put("shareId", "share-9"));
      JsonObject focus = a.next("focus");
      assertEquals(new JsonObject().put("type", "focus").put("userId", bob.id()).put("reviewId", "review-1")
          .put("shareId", "share-9"), focus);
      a.send(new JsonObject().put("type", "focus").put("reviewId", "review-1").put("shareId", null));
      for (Ws ws : List.of(b1, b2)) {
        assertEquals(new JsonObject().put("type", "focus").put("userId", alice.id()).put("reviewId", "review-1")
            .putNull("shareId"), ws.next("focus"));
      }
      // Not to the sender's own devices, not to another couple.
      b2.assertQuiet();
      a.assertQuiet();
      c.assertQuiet();
      d.assertQuiet();

      // Bob's first socket closing leaves him online; his last one closing takes him offline.
      b1.close();
      b2.close();
      assertEquals(presence(bob, false), a.next("presence"));
      a.assertQuiet();
      c.assertQuiet();
      d.assertQuiet();
    }
  }
}
