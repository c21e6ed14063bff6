package dev.bridgework.couple;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.Inbox;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.couple.Pairing.createCouple;
import static dev.bridgework.couple.Pairing.errorCode;
import static dev.bridgework.couple.Pairing.join;
import static dev.bridgework.couple.Pairing.pair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class CoupleApiTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject membership(String userId) {
    return server.mongo().findOne("memberships", new JsonObject().put("_id", userId), null).await();
  }

  private static long count(String collection, JsonObject query) {
    return server.mongo().count(collection, query).await();
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void creatingAJointSpaceAnswersTheCoupleAndAOneTimeCode() throws Exception {
    Api alice = server.register("Alice");
    Instant now = server.clock.instant();
    JsonObject body = createCouple(alice);
    JsonObject couple = body.getJsonObject("couple");
    assertNotNull(couple.getString("id"));
    assertEquals(new JsonArray().add(new JsonObject().put("id", alice.id()).put("displayName", "Alice")), couple.getJsonArray("members"));
    assertNotNull(couple.getString("createdAt"));
    assertEquals(3, couple.size(), couple.encode());

    JsonObject invite = body.getJsonObject("invite");
    String code = invite.getString("code");
    // 10 characters of a 31-character alphabet without look-alikes, grouped for reading aloud.
    assertTrue(code.matches("[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{2}"), code);
    assertEquals(now.plus(Duration.ofHours(72)), Instant.parse(invite.getString("expiresAt")).plusNanos(now.getNano() % 1_000_000));

    // Stored only as its hash, under the hash as _id.
    String plain = code.replace("-", "");
    assertFalse(server.dumpDatabase().contains(plain));
    JsonObject stored = server.mongo().findOne("invites", new JsonObject().put("_id", sha256(plain)), null).await();
    assertEquals(couple.getString("id"), stored.getString("coupleId"));
    assertEquals(couple.getString("id"), membership(alice.id()).getString("coupleId"));

    var shown = alice.get("/api/couple");
    assertEquals(200, shown.statusCode());
    assertEquals(new JsonObject().put("couple", couple), shown.bodyAsJsonObject());
  }

  @Test
  void inviteCodesAreRandom() {
    Api a = server.register("A");
    Api b = server.register("B");
    String one = createCouple(a).getJsonObject("invite").getString("code");
    String two = createCouple(b).getJsonObject("invite").getString("code");
    assertNotEquals(one, two);
  }

  @Test
  void creatingASecondJointSpaceIsAlreadyPaired() {
    Api alice = server.register("Alice");
    String coupleId = createCouple(alice).getJsonObject("couple").getString("id");
    var again = alice.post("/api/couple", null);
    assertEquals(409, again.statusCode());
    assertEquals("already_paired", errorCode(again));
    assertEquals(1, count("couples", new JsonObject().put("members.id", alice.id())));
    assertEquals(coupleId, membership(alice.id()).getString("coupleId"));
  }

  @Test
  void joiningAcceptsTheCodeInAnyCaseWithSpacesAndDashes() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    JsonObject created = createCouple(alice);
    String code = created.getJsonObject("invite").getString("code");
    String typed = " " + code.toLowerCase(Locale.ROOT).replace("-", " - ") + " ";
    var joined = join(bob, typed);
    assertEquals(200, joined.statusCode(), joined.bodyAsString());
    JsonObject couple = joined.bodyAsJsonObject().getJsonObject("couple");
    assertEquals(created.getJsonObject("couple").getString("id"), couple.getString("id"));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("id", alice.id()).put("displayName", "Alice"))
        .add(new JsonObject().put("id", bob.id()).put("displayName", "Bob")), couple.getJsonArray("members"));
    assertEquals(new JsonObject().put("couple", couple), alice.get("/api/couple").bodyAsJsonObject());
    assertEquals(new JsonObject().put("couple", couple), bob.get("/api/couple").bodyAsJsonObject());
    // A used code is spent.
    assertEquals(0, count("invites", new JsonObject().put("coupleId", couple.getString("id"))));
  }

  @Test
  void unknownUsedAndExpiredCodesAllAnswerInvalidInvite() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Api carol = server.register("Carol");
    String used = createCouple(alice).getJsonObject("invite").getString("code");
    assertEquals(200, join(bob, used).statusCode());

    var unknown = join(carol, "ABCD-EFGH-JK");
    var spent = join(carol, used);
    var garbage = join(carol, "not a code at all 0O1IL");
    for (var r : List.of(unknown, spent, garbage)) {
      assertEquals(404, r.statusCode(), r.bodyAsString());
      assertEquals("invalid_invite", errorCode(r));
    }
    assertEquals(unknown.bodyAsJsonObject(), spent.bodyAsJsonObject());
    assertEquals(unknown.bodyAsJsonObject(), garbage.bodyAsJsonObject());
    assertNull(membership(carol.id()));

    Api dan = server.register("Dan");
    String code = createCouple(dan).getJsonObject("invite").getString("code");
    server.clock.advance(Duration.ofHours(72).plusSeconds(1));
    Api erin = server.register("Erin"); // signed in after the jump, so her session is fresh
    var expired = join(erin, code);
    assertEquals(404, expired.statusCode());
    assertEquals(unknown.bodyAsJsonObject(), expired.bodyAsJsonObject());
    assertNull(membership(erin.id()));
  }

  @Test
  void aCodeStillWorksJustBeforeItExpires() {
    Api alice = server.register("Alice");
    String code = createCouple(alice).getJsonObject("invite").getString("code");
    server.clock.advance(Duration.ofHours(71).plusMinutes(59));
    Api bob = server.register("Bob");
    assertEquals(200, join(bob, code).statusCode());
  }

  @Test
  void twoPeopleJoiningWithOneCodeAtOnceExactlyOneGetsIn() {
    for (int round = 0; round < 5; round++) {
      Api alice = server.register("Alice");
      Api bob = server.register("Bob");
      Api carol = server.register("Carol");
      String code = createCouple(alice).getJsonObject("invite").getString("code");
      JsonObject body = new JsonObject().put("code", code);
      Future<HttpResponse<Buffer>> first = bob.http().post("/api/couple/join").sendJsonObject(body);
      Future<HttpResponse<Buffer>> second = carol.http().post("/api/couple/join").sendJsonObject(body);
      Future.join(first, second).await();
      List<Integer> statuses = List.of(first.result().statusCode(), second.result().statusCode());
      assertTrue(statuses.contains(200) && statuses.contains(404), statuses.toString());
      HttpResponse<Buffer> loser = first.result().statusCode() == 404 ? first.result() : second.result();
      assertEquals("invalid_invite", errorCode(loser));
      Api winner = first.result().statusCode() == 200 ? bob : carol;
      Api other = winner == bob ? carol : bob;
      var couple = alice.get("/api/couple").bodyAsJsonObject().getJsonObject("couple");
      assertEquals(2, couple.getJsonArray("members").size());
      assertEquals(winner.id(), couple.getJsonArray("members").getJsonObject(1).getString("id"));
      assertNull(membership(other.id()));
      assertEquals(409, other.get("/api/couple").statusCode());
    }
  }

  @Test
  void oneUserCreatingOnTwoDevicesAtOnceEndsUpInOneCouple() {
    for (int round = 0; round < 5; round++) {
      Api alice = server.register("Alice");
      Api phone = alice.anotherDevice();
      Future<HttpResponse<Buffer>> first = alice.http().post("/api/couple").sendJsonObject(new JsonObject());
      Future<HttpResponse<Buffer>> second = phone.http().post("/api/couple").sendJsonObject(new JsonObject());
      Future.join(first, second).await();
      List<Integer> statuses = List.of(first.result().statusCode(), second.result().statusCode());
      assertTrue(statuses.contains(201) && statuses.contains(409), statuses.toString());
      HttpResponse<Buffer> won = first.result().statusCode() == 201 ? first.result() : second.result();
      String coupleId = won.bodyAsJsonObject().getJsonObject("couple").getString("id");
      assertEquals(coupleId, membership(alice.id()).getString("coupleId"));
      assertEquals(1, count("couples", new JsonObject().put("members.id", alice.id())));
    }
  }

  @Test
  void joiningWhileCreatingAtOnceEndsUpInOneCouple() {
    for (int round = 0; round < 5; round++) {
      Api alice = server.register("Alice");
      Api bob = server.register("Bob");
      String code = createCouple(alice).getJsonObject("invite").getString("code");
      Future<HttpResponse<Buffer>> joining = bob.http().post("/api/couple/join").sendJsonObject(new JsonObject().put("code", code));
      Future<HttpResponse<Buffer>> creating = bob.http().post("/api/couple").sendJsonObject(new JsonObject());
      Future.join(joining, creating).await();
      int j = joining.result().statusCode();
      int c = creating.result().statusCode();
      assertTrue((j == 200 && c == 409) || (j == 409 && c == 201), j + " " + c);
      String coupleId = membership(bob.id()).getString("coupleId");
      assertEquals(1, count("couples", new JsonObject().put("members.id", bob.id())));
      assertEquals(coupleId, bob.get("/api/couple").bodyAsJsonObject().getJsonObject("couple").getString("id"));
      if (j == 409) {
        // Alice's code was given back: someone else can still use it.
        assertEquals(200, join(server.register("Carol"), code).statusCode());
      }
    }
  }

  @Test
  void joiningTwiceOrAFullCoupleIsRefused() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Api carol = server.register("Carol");
    String code = createCouple(alice).getJsonObject("invite").getString("code");
    assertEquals(200, join(bob, code).statusCode());

    // Already in a couple: refused before the code is even looked at.
    Api dan = server.register("Dan");
    String dansCode = createCouple(dan).getJsonObject("invite").getString("code");
    var again = join(bob, dansCode);
    assertEquals(409, again.statusCode());
    assertEquals("already_paired", errorCode(again));
    var own = join(dan, dansCode);
    assertEquals(409, own.statusCode());
    assertEquals("already_paired", errorCode(own));
    // Dan's code is still good for someone else.
    assertEquals(200, join(carol, dansCode).statusCode());

    var invite = alice.post("/api/couple/invite", null);
    assertEquals(409, invite.statusCode());
    assertEquals("couple_full", errorCode(invite));
  }

  @Test
  void aFullCoupleRefusesAJoinEvenWithAValidInvite() {
    // Only reachable when an invite outlives the second seat (a race); plant that state directly.
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Api carol = server.register("Carol");
    String coupleId = pair(alice, bob);
    String code = "ABCDEFGHJK";
    server.mongo().insert("invites", new JsonObject().put("_id", HexFormat.of().formatHex(sha(code)))
        .put("coupleId", coupleId).put("createdBy", alice.id()).put("expiresAt", server.clock.millis() + 60_000).put("usedBy", null)).await();
    var full = join(carol, code);
    assertEquals(409, full.statusCode());
    assertEquals("couple_full", errorCode(full));
    assertNull(membership(carol.id()));
    assertEquals(2, alice.get("/api/couple").bodyAsJsonObject().getJsonObject("couple").getJsonArray("members").size());
  }

  private static byte[] sha(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aNewInviteReplacesTheEarlierCode() {
    Api alice = server.register("Alice");
    JsonObject created = createCouple(alice);
    String coupleId = created.getJsonObject("couple").getString("id");
    String first = created.getJsonObject("invite").getString("code");
    var r = alice.post("/api/couple/invite", new JsonObject());
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject invite = r.bodyAsJsonObject().getJsonObject("invite");
    assertEquals(Set2.of("code", "expiresAt"), invite.fieldNames());
    String second = invite.getString("code");
    assertNotEquals(first, second);
    assertEquals(1, count("invites", new JsonObject().put("coupleId", coupleId)));

    var old = join(server.register("Bob"), first);
    assertEquals(404, old.statusCode());
    assertEquals("invalid_invite", errorCode(old));
    assertEquals(200, join(server.register("Carol"), second).statusCode());
  }

  /** Set.of without the import clash in assertions. */
  private static final class Set2 {
    static java.util.Set<String> of(String... names) {
      return java.util.Set.of(names);
    }
  }

  @Test
  void repeatedFailedJoinsAreThrottled() {
    Api mallory = server.register("Mallory");
    for (int i = 0; i < 10; i++) {
      var r = join(mallory, "ZZZZ-ZZZZ-Z" + (char) ('2' + i % 8));
      assertEquals(404, r.statusCode(), "attempt " + i);
    }
    Api alice = server.register("Alice");
    String code = createCouple(alice).getJsonObject("invite").getString("code");
    var limited = join(mallory, code);
    assertEquals(429, limited.statusCode());
    assertEquals("rate_limited", errorCode(limited));
    long retryAfter = Long.parseLong(limited.getHeader("Retry-After"));
    assertTrue(retryAfter > 0 && retryAfter <= 15 * 60, String.valueOf(retryAfter));
    assertNull(membership(mallory.id()));
    // Someone else is not affected by Mallory's failures.
    Api bob = server.register("Bob");
    assertEquals(404, join(bob, "ZZZZ-ZZZZ-ZZ").statusCode());

    server.clock.advance(Duration.ofMinutes(15));
    Api again = mallory.anotherDevice();
    assertEquals(200, join(again, code).statusCode());
  }

  @Test
  void joinValidatesItsBody() {
    Api bob = server.register("Bob");
    var missing = bob.post("/api/couple/join", new JsonObject());
    assertEquals(400, missing.statusCode());
    assertEquals("code", missing.bodyAsJsonObject().getJsonObject("error").getString("field"));
    var wrongType = bob.post("/api/couple/join", new JsonObject().put("code", 12345));
    assertEquals(400, wrongType.statusCode());
    assertEquals("code", wrongType.bodyAsJsonObject().getJsonObject("error").getString("field"));
    var unknown = bob.post("/api/couple/join", new JsonObject().put("code", "ABCD-EFGH-JK").put("coupleId", "x"));
    assertEquals(400, unknown.statusCode());
    assertEquals("coupleId", unknown.bodyAsJsonObject().getJsonObject("error").getString("field"));
    var createExtra = bob.post("/api/couple", new JsonObject().put("name", "us"));
    assertEquals(400, createExtra.statusCode());
    assertNull(membership(bob.id()));
  }

  @Test
  void notPairedAnswersNotPairedOnCollectionsAndNotFoundOnItems() {
    Api loner = server.register("Loner");
    for (var r : List.of(loner.get("/api/couple"), loner.post("/api/couple/invite", null), loner.delete("/api/couple"),
        loner.get("/api/shares"))) {
      assertEquals(409, r.statusCode(), r.bodyAsString());
      assertEquals("not_paired", errorCode(r));
    }
    String id = UUID.randomUUID().toString();
    JsonObject share = new JsonObject().put("title", "t").put("excerpts", new JsonArray().add(new JsonObject().put("text", "x"))).put("intent", "listen");
    for (var r : List.of(loner.get("/api/shares/" + id), loner.put("/api/shares/" + id, share), loner.delete("/api/shares/" + id),
        loner.put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", true)),
        loner.put("/api/shares/" + id + "/responses/" + UUID.randomUUID(), new JsonObject().put("kind", "ack").put("ack", "hear_you")),
        loner.delete("/api/shares/" + id + "/responses/" + UUID.randomUUID()))) {
      assertEquals(404, r.statusCode(), r.bodyAsString());
      assertEquals("not_found", errorCode(r));
    }
    assertEquals(0, count("shares", new JsonObject().put("_id", id)));
  }

  @Test
  void aloneInTheJointSpaceCountsAsPairedForSharing() {
    Api alice = server.register("Alice");
    createCouple(alice);
    var list = alice.get("/api/shares");
    assertEquals(200, list.statusCode());
    assertEquals(new JsonObject().put("shares", new JsonArray()), list.bodyAsJsonObject());
  }

  @Test
  void everyCoupleRouteNeedsASession() {
    Api anonymous = server.client();
    for (var r : List.of(anonymous.get("/api/couple"), anonymous.post("/api/couple", null), anonymous.post("/api/couple/invite", null),
        anonymous.post("/api/couple/join", new JsonObject().put("code", "ABCD-EFGH-JK")), anonymous.delete("/api/couple"))) {
      assertEquals(401, r.statusCode());
      assertEquals("unauthenticated", errorCode(r));
    }
  }

  @Test
  void joiningIsAnnouncedOnTheCoupleStreamAndToBothMembers() throws Exception {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Inbox<JsonObject> toAlice = new Inbox<>();
    Inbox<JsonObject> toBob = new Inbox<>();
    MessageConsumer<JsonObject> a = server.vertx.eventBus().consumer("bw.user." + alice.id(), m -> toAlice.add(m.body()));
    MessageConsumer<JsonObject> b = server.vertx.eventBus().consumer("bw.user." + bob.id(), m -> toBob.add(m.body()));
    a.completion().await();
    b.completion().await();
    try {
      JsonObject created = createCouple(alice);
      String coupleId = created.getJsonObject("couple").getString("id");
      assertEquals(new JsonObject().put("type", "membership").put("coupleId", coupleId), toAlice.next());

      JsonObject couple = join(bob, created.getJsonObject("invite").getString("code")).bodyAsJsonObject().getJsonObject("couple");
      assertEquals(new JsonObject().put("type", "membership").put("coupleId", coupleId), toBob.next());
      assertEquals(new JsonObject().put("type", "membership").put("coupleId", coupleId), toAlice.next());
      var events = server.app.events().read(dev.bridgework.realtime.Stream.couple(coupleId), 1, 10).await();
      assertEquals(1, events.size());
      assertEquals("couple.joined", events.get(0).getString("kind"));
      assertEquals(1L, events.get(0).getLong("seq"));
      assertEquals(couple, events.get(0).getJsonObject("data"));

      assertEquals(204, bob.delete("/api/couple").statusCode());
      JsonObject left = new JsonObject().put("type", "membership").putNull("coupleId");
      assertEquals(left, toAlice.next());
      assertEquals(left, toBob.next());
    } finally {
      a.unregister().await();
      b.unregister().await();
    }
  }

  @Test
  void leavingDissolvesTheJointSpaceForBothAndBothCanPairAgain() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String coupleId = pair(alice, bob);
    assertEquals(1L, server.app.events().head(dev.bridgework.realtime.Stream.couple(coupleId)).await());
    assertNotNull(server.mongo().findOne("keys", new JsonObject().put("_id", "c:" + coupleId), null).await());

    var left = alice.delete("/api/couple");
    assertEquals(204, left.statusCode(), left.bodyAsString());
    for (Api api : List.of(alice, bob)) {
      var r = api.get("/api/couple");
      assertEquals(409, r.statusCode());
      assertEquals("not_paired", errorCode(r));
      assertNull(membership(api.id()));
    }
    assertEquals(0, count("couples", new JsonObject().put("_id", coupleId)));
    assertEquals(0, count("invites", new JsonObject().put("coupleId", coupleId)));
    assertEquals(0, count("streams", new JsonObject().put("_id", "c:" + coupleId)));
    assertEquals(0, count("events", new JsonObject().put("key", coupleId)));
    // The couple's key is gone; only its tombstone stays, so no late request can make it again (VaultTest).
    assertEquals(0, count("keys", new JsonObject().put("_id", "c:" + coupleId).put("wrapped", new JsonObject().put("$exists", true))));
    assertEquals(1, count("keys", new JsonObject().put("_id", "c:" + coupleId).put("destroyed", true)));
    String tombstone = new JsonObject().put("_id", "c:" + coupleId).put("destroyed", true).encode();
    assertFalse(server.dumpDatabase().replace("keys " + tombstone, "").contains(coupleId));
    var twice = bob.delete("/api/couple");
    assertEquals(409, twice.statusCode());
    assertEquals("not_paired", errorCode(twice));

    // Both may pair again, with each other or anyone: a new couple with a new stream from 1.
    String again = pair(bob, alice);
    assertNotEquals(coupleId, again);
    var events = server.app.events().read(dev.bridgework.realtime.Stream.couple(again), 1, 10).await();
    assertEquals(1, events.size());
    assertEquals(1L, events.get(0).getLong("seq"));
    assertEquals("couple.joined", events.get(0).getString("kind"));
  }

  @Test
  void theCreatorCanLeaveBeforeAnyoneJoinedAndTheCodeDiesWithTheSpace() {
    Api alice = server.register("Alice");
    String code = createCouple(alice).getJsonObject("invite").getString("code");
    assertEquals(204, alice.delete("/api/couple").statusCode());
    var r = join(server.register("Bob"), code);
    assertEquals(404, r.statusCode());
    assertEquals("invalid_invite", errorCode(r));
  }

  @Test
  void bothLeavingAtOnceIsHarmless() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String coupleId = pair(alice, bob);
    Future<HttpResponse<Buffer>> one = alice.http().delete("/api/couple").send();
    Future<HttpResponse<Buffer>> two = bob.http().delete("/api/couple").send();
    Future.join(one, two).await();
    assertEquals(204, one.result().statusCode(), one.result().bodyAsString());
    // The second answers 204 while the first erases, or 409 once it is done.
    assertTrue(List.of(204, 409).contains(two.result().statusCode()), two.result().bodyAsString());
    assertEquals(409, alice.get("/api/couple").statusCode());
    assertEquals(409, bob.get("/api/couple").statusCode());
    assertEquals(0, count("events", new JsonObject().put("key", coupleId)));
    assertEquals(0, count("streams", new JsonObject().put("_id", "c:" + coupleId)));
  }

  @Test
  void aDissolutionThatDiedHalfWayIsFinishedBeforePairingAgain() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String coupleId = pair(alice, bob);
    // A node crashed right after claiming the dissolution.
    server.mongo().updateCollection("couples", new JsonObject().put("_id", coupleId),
        new JsonObject().put("$set", new JsonObject().put("dissolvingAt", server.clock.millis()))).await();
    assertEquals(409, alice.get("/api/couple").statusCode());
    var tooSoon = alice.post("/api/couple", null);
    assertEquals(409, tooSoon.statusCode());
    assertEquals("already_paired", errorCode(tooSoon));

    server.clock.advance(Duration.ofMinutes(2));
    Api aliceAgain = alice.anotherDevice();
    JsonObject created = createCouple(aliceAgain);
    assertNotEquals(coupleId, created.getJsonObject("couple").getString("id"));
    assertEquals(0, count("couples", new JsonObject().put("_id", coupleId)));
    assertNull(membership(bob.id()));
    assertEquals(0, count("events", new JsonObject().put("key", coupleId)));
  }
}
