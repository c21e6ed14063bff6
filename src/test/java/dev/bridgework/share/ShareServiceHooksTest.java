package dev.bridgework.share;

import dev.bridgework.auth.Throttle;
import dev.bridgework.auth.UserRepository;
import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.couple.CoupleService;
import dev.bridgework.couple.JointSpaceListener;
import dev.bridgework.storage.KeyDestroyedException;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.couple.Pairing.pair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What the share and couple services offer the other features: listeners told of withdrawals and
 * dissolutions (the review feature), and export and erasure for the account routes. The services
 * are built here over the running server's database, vault and event log, as Application does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ShareServiceHooksTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  /** Records what it is told, as the review feature's listener would act on it. */
  static final class Recorder implements JointSpaceListener {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public Future<Void> shareWithdrawn(String coupleId, String shareId) {
      calls.add("withdrawn " + coupleId + " " + shareId);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> coupleDissolved(String coupleId) {
      calls.add("dissolved " + coupleId);
      return Future.succeededFuture();
    }
  }

  record Services(ShareService shares, CoupleService couples) {}

  static Services services(Recorder recorder) {
    CoupleRepository repo = new CoupleRepository(server.mongo());
    ShareService shares = new ShareService(server.mongo(), repo, server.app.vault(), server.app.events(), server.clock,
        server.app.catalog(), List.of(recorder));
    CoupleService couples = new CoupleService(repo, new UserRepository(server.mongo()), server.app.vault(), server.app.events(),
        new Throttle(server.mongo(), server.clock, 10, Duration.ofMinutes(15)),
        new Throttle(server.mongo(), server.clock, 100, Duration.ofMinutes(15)), server.clock, Duration.ofHours(72),
        server.vertx.eventBus(), List.of(shares, recorder),
        // Keeping each partner's words is KeptWords' business (tested through the API); these tests watch the hooks.
        (couple, keepers) -> Future.succeededFuture());
    return new Services(shares, couples);
  }

  static JsonObject share(String title, String text) {
    return new JsonObject().put("title", title).put("excerpts", new JsonArray().add(new JsonObject().put("text", text))).put("intent", "discuss");
  }

  @Test
  void listenersAreToldOfWithdrawalsAndDissolutions() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String coupleId = pair(alice, bob);
    String id = UUID.randomUUID().toString();
    alice.put("/api/shares/" + id, share("t", "words"));
    Recorder recorder = new Recorder();
    Services s = services(recorder);

    Couple couple = s.couples().coupleOf(alice.id()).await();
    assertEquals(coupleId, couple.id());
    assertEquals(couple.toJson(), alice.get("/api/couple").bodyAsJsonObject().getJsonObject("couple"));
    s.shares().withdraw(couple, alice.id(), id).await();
    assertEquals(List.of("withdrawn " + coupleId + " " + id), recorder.calls);
    assertNull(s.shares().find(coupleId, id).await());

    alice.put("/api/shares/" + UUID.randomUUID(), share("second", "words"));
    s.couples().dissolve(bob.id()).await();
    assertEquals(List.of("withdrawn " + coupleId + " " + id, "dissolved " + coupleId), recorder.calls);
    // The couple's key is destroyed for good (storage.Vault tombstones): nothing of it can be read or made again.
    assertEquals(0L, server.mongo().count("shares", new JsonObject().put("coupleId", coupleId)).await());
    assertThrows(KeyDestroyedException.class, () -> s.shares().sharesOf(coupleId).await());
    assertNull(s.couples().coupleOf(alice.id()).await());
  }

  @Test
  void theExportHoldsTheUsersOwnSharesAndResponsesOnly() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    pair(alice, bob);
    String aliceShare = UUID.randomUUID().toString();
    String bobShare = UUID.randomUUID().toString();
    String aliceResponse = UUID.randomUUID().toString();
    alice.put("/api/shares/" + aliceShare, share("alice's", "her words"));
    bob.put("/api/shares/" + bobShare, share("bob's", "his words"));
    bob.put("/api/shares/" + aliceShare + "/responses/" + UUID.randomUUID(), new JsonObject().put("kind", "comment").put("text", "bob's reply"));
    alice.put("/api/shares/" + aliceShare + "/responses/" + UUID.randomUUID(), new JsonObject().put("kind", "comment").put("text", "her own reply"));
    alice.put("/api/shares/" + bobShare + "/responses/" + aliceResponse, new JsonObject().put("kind", "ack").put("ack", "thank_you"));
    Services s = services(new Recorder());

    JsonObject export = s.shares().exportOf(alice.id()).await();
    JsonArray shares = export.getJsonArray("shares");
    assertEquals(1, shares.size());
    assertEquals("her words", shares.getJsonObject(0).getJsonArray("excerpts").getJsonObject(0).getString("text"));
    assertEquals(1, shares.getJsonObject(0).getJsonArray("responses").size());
    assertEquals("her own reply", shares.getJsonObject(0).getJsonArray("responses").getJsonObject(0).getString("text"));
    JsonArray responses = export.getJsonArray("responses");
    assertEquals(1, responses.size());
    assertEquals(aliceResponse, responses.getJsonObject(0).getString("id"));
    assertEquals(bobShare, responses.getJsonObject(0).getString("shareId"));
    assertFalse(export.encode().contains("his words"));
    assertFalse(export.encode().contains("bob's reply"));
    assertEquals(alice.get("/api/couple").bodyAsJsonObject(), s.couples().exportOf(alice.id()).await());

    Api loner = server.register("Loner");
    assertEquals(new JsonObject().put("shares", new JsonArray()).put("responses", new JsonArray()), s.shares().exportOf(loner.id()).await());
    assertEquals(new JsonObject().putNull("couple"), s.couples().exportOf(loner.id()).await());
  }

  @Test
  void erasingAnAccountWithdrawsItsSharesThenDissolvesTheCouple() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String coupleId = pair(alice, bob);
    String mine = UUID.randomUUID().toString();
    String theirs = UUID.randomUUID().toString();
    String secret = "erase-me-" + UUID.randomUUID();
    alice.put("/api/shares/" + mine, share(secret, "words"));
    bob.put("/api/shares/" + theirs, share("bob's", "words"));
    Recorder recorder = new Recorder();
    Services s = services(recorder);

    s.shares().eraseAll(alice.id()).await();
    assertEquals(List.of("withdrawn " + coupleId + " " + mine), recorder.calls);
    assertEquals(List.of(theirs), s.shares().sharesOf(coupleId).await().stream().map(Share::id).toList());
    s.couples().eraseAll(alice.id()).await();
    assertEquals("dissolved " + coupleId, recorder.calls.get(1));
    assertEquals(409, bob.get("/api/couple").statusCode());
    // These services are wired with the share feature and the recorder only; the notification
    // feature's record of the couple is erased by its own dissolution listener in the real wiring.
    String dump = server.dumpDatabase().lines().filter(l -> !l.startsWith("notify_")).reduce("", (a, b) -> a + b + "\n");
    assertFalse(dump.contains(coupleId), () -> dump.lines().filter(l -> l.contains(coupleId)).toList().toString());
    // Nothing to erase is fine too.
    s.shares().eraseAll(alice.id()).await();
    s.couples().eraseAll(alice.id()).await();
  }

  @Test
  void aDissolvingCoupleNeverErasesAnotherCouplesShareListedUnderItByALostRace() {
    ShareRepository repo = new ShareRepository(server.mongo());
    String theirs = UUID.randomUUID().toString();
    repo.insert(new JsonObject().put("_id", theirs).put("coupleId", "couple-b").put("title", "kept")).await();
    repo.list("couple-b", theirs).await();
    // A create race once put couple B's id into couple A's list; A then dissolves.
    repo.list("couple-a", theirs).await();
    assertEquals(List.of(), repo.findAllOf("couple-a").await());
    repo.removeAllOf("couple-a").await();
    assertEquals("kept", repo.find(theirs).await().getString("title"));
    assertEquals(1, repo.findAllOf("couple-b").await().size());
  }
}
