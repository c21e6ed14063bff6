package dev.bridgework.realtime;

import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.share.Share;
import dev.bridgework.share.ShareDraft;
import dev.bridgework.share.ShareService;
import dev.bridgework.storage.OwnedCollection;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.FaultyMongo;
import dev.bridgework.testing.TestServer;
import dev.bridgework.web.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two deletions of one thing, the second having read it just before the first removed it, and
 * listing its deletion only after the first had finished (found by the soak: two devices of one
 * person withdrawing the same share while the database was slow). The thing is announced gone
 * once, the second request is answered as for something not there, and nothing stays owed.
 *
 * <p>The interleaving is forced, not hoped for: {@link FaultyMongo#beforeNext} holds the second
 * request's listing of its deletion until the first request has run to its end.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class WithdrawalRaceTest {
  static TestServer server;
  static FaultyMongo faulty;
  static EventLog log;
  static ShareService shares;
  static CoupleRepository couples;
  static OwnedCollection parts;
  static SelfEvents partEvents;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).map(WithdrawalRaceTest::wire).onComplete(ctx.succeedingThenComplete());
  }

  /** The services under test, on the real store reached through {@link FaultyMongo}. */
  static TestServer wire(TestServer started) {
    server = started;
    faulty = new FaultyMongo(server.mongo());
    log = new EventLog(server.vertx, faulty.client, server.clock, server.app.vault());
    couples = new CoupleRepository(faulty.client);
    shares = new ShareService(faulty.client, couples, server.app.vault(), log, server.clock, server.app.catalog(), List.of());
    parts = new OwnedCollection(faulty.client, server.app.vault(), server.clock, "parts", "part", List.of(), List.of("role"));
    partEvents = new SelfEvents(log, parts, "part.saved", "part.deleted");
    return started;
  }

  /** The stream's events, checked gapless. */
  static List<JsonObject> gapless(Stream stream) {
    return StoredStream.gapless(server.app.events(), stream);
  }

  static long count(Stream stream, String kind, String id) {
    return StoredStream.count(server.app.events(), stream, kind, id);
  }

  @Test
  void aWithdrawalThatReadTheShareBeforeAnotherOneFinishedAnnouncesNothingAndIsAnswered404() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Couple couple = couples.findCouple(Couples.pair(alice, bob)).await();
    Stream stream = Stream.couple(couple.id());
    String id = UUID.randomUUID().toString();
    shares.save(couple, alice.id(), id, new ShareDraft(null, "mine", List.of(new Share.Excerpt(null, "words")), null, "discuss", null))
        .await();

    // Alice's laptop has read the share and is about to list its withdrawal; her phone withdraws it first, all the way.
    AtomicReference<Future<Void>> phone = new AtomicReference<>();
    faulty.beforeNext("insert", "pending_events", () -> {
      phone.set(shares.withdraw(couple, alice.id(), id));
      return phone.get();
    });
    Future<Void> laptop = shares.withdraw(couple, alice.id(), id);
    Throwable answer = laptop.transform(ar -> Future.succeededFuture(ar.cause())).await();

    assertTrue(phone.get().succeeded(), "the phone withdrew it: " + phone.get().cause());
    assertTrue(answer instanceof ApiException api && api.status() == 404, "the laptop is told it is not there: " + answer);
    assertEquals(1, count(stream, "share.withdrawn", id), "announced once");
    assertNull(log.outbox().pending().deletion("shares", id).await(), "nothing owed");
    assertNull(shares.find(couple.id(), id).await());
  }

  @Test
  void aDeletionOfPrivateWorkThatReadItBeforeAnotherOneFinishedAnnouncesNothing() {
    Api alice = server.register("Alice");
    Stream stream = Stream.self(alice.id());
    String id = UUID.randomUUID().toString();
    JsonObject sealed = new JsonObject().put("v", 1).put("iv", "aXY").put("ct", "Y3Q");
    parts.save(alice.id(), id, null, true, stored -> Future.succeededFuture(new JsonObject().put("sealed", sealed)))
        .compose(s -> partEvents.saved(id)).await();

    AtomicReference<Future<Boolean>> phone = new AtomicReference<>();
    faulty.beforeNext("insert", "pending_events", () -> {
      phone.set(partEvents.delete(alice.id(), id));
      return phone.get();
    });
    boolean laptop = partEvents.delete(alice.id(), id).await();

    assertTrue(phone.get().result(), "the phone deleted it");
    assertFalse(laptop, "the laptop did not: it was gone");
    assertEquals(1, count(stream, "part.deleted", id), "announced once");
    assertNull(log.outbox().pending().deletion("parts", id).await(), "nothing owed");
  }
}
