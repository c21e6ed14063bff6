package dev.bridgework.realtime;

import dev.bridgework.auth.Throttle;
import dev.bridgework.counselor.CounselorService;
import dev.bridgework.counselor.Grant;
import dev.bridgework.review.Brief;
import dev.bridgework.review.BriefRenderer;
import dev.bridgework.review.JointSpace;
import dev.bridgework.review.Review;
import dev.bridgework.review.ReviewRepository;
import dev.bridgework.review.ReviewService;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.FaultyMongo;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "No change without its event" for counselor links (issue #13), as {@link EventFaultTest} proves
 * it for shares, responses, reviews and private work: the database connection breaks between a
 * grant's write and its event; the change is stored, and its event is completed exactly once, by
 * the sweep or by the next request about that grant; the partner's open socket sees it once.
 *
 * <p>The services are built as Application builds them, over the running server's database, but
 * through {@link FaultyMongo}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class CounselorEventFaultTest {
  static TestServer server;
  static FaultyMongo faulty;
  static EventLog log;
  static ReviewService reviews;
  static CounselorService counselors;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(CounselorEventFaultTest::wire).onComplete(ctx.succeedingThenComplete());
  }

  /** The services under test, on the real store reached through {@link FaultyMongo}. */
  static void wire(TestServer started) {
    server = started;
    faulty = new FaultyMongo(server.mongo());
    log = new EventLog(server.vertx, faulty.client, server.clock, server.app.vault());
    reviews = new ReviewService(new ReviewRepository(faulty.client, server.app.vault()), new JointSpace() {
      @Override
      public Future<JointSpace.Couple> coupleOf(String userId) {
        return Future.failedFuture("not used");
      }

      @Override
      public Future<List<JsonObject>> sharesOf(String coupleId) {
        return Future.succeededFuture(List.of());
      }
    }, log, new BriefRenderer(), server.vertx, server.clock);
    counselors = new CounselorService(faulty.client, server.app.vault(), reviews, log,
        new Throttle(faulty.client, server.clock, 20, Duration.ofMinutes(15)), server.clock);
  }

  static List<JsonObject> gapless(Stream stream) {
    return StoredStream.gapless(server.app.events(), stream);
  }

  static long count(Stream stream, String kind, String grantId) {
    return StoredStream.count(server.app.events(), stream, kind, grantId);
  }

  static JsonObject storedGrant(String grantId) {
    return server.mongo().findOne("counselor_grants", new JsonObject().put("_id", grantId), null).await();
  }

  static JsonObject event(Ws socket, String kind, String grantId) {
    JsonObject event = socket.next("event");
    assertEquals(kind, event.getString("kind"), event.encode());
    assertEquals(grantId, event.getJsonObject("data").getString("id"));
    return event;
  }

  @Test
  void grantChangesWhoseEventsFailAreAnnouncedExactlyOnceAfterRecovery() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String coupleId = Couples.pair(alice, bob);
    JointSpace.Couple couple = new JointSpace.Couple(coupleId,
        List.of(new Brief.Member(alice.id(), "Alice"), new Brief.Member(bob.id(), "Bob")));
    Review review = reviews.start(couple, alice.id()).await();
    Stream stream = Stream.couple(coupleId);
    String grantId;
    try (Ws bobSocket = Ws.live(bob)) {
      long head = server.app.events().head(stream).await();

      // Proposed: the grant is stored, its event's number taken, and every attempt to store the event fails.
      faulty.failNext(5, "events");
      assertThrows(Exception.class, () -> counselors.propose(couple, alice.id(), review.id(), "Dr. K", 14).await());
      faulty.heal();
      List<JsonObject> grants = server.mongo().find("counselor_grants", new JsonObject().put("coupleId", coupleId)).await();
      assertEquals(1, grants.size(), "the change is stored");
      grantId = grants.get(0).getString("_id");
      assertEquals(head + 1, server.app.events().head(stream).await(), "its number is taken");
      assertEquals(List.of(), server.app.events().read(stream, head + 1, head + 1).await(), "and not filled yet");
      bobSocket.assertQuiet();
      assertEquals(1, log.outbox().sweep(Duration.ZERO).await(), "the sweep takes it up");
      JsonObject proposed = event(bobSocket, CounselorService.PROPOSED, grantId);
      assertEquals(head + 1, proposed.getLong("seq"), "the taken number, filled");
      assertEquals(Grant.PENDING, proposed.getJsonObject("data").getString("status"));
      bobSocket.assertQuiet();

      // Consented: the stream's counter cannot be reached, so nothing is even numbered.
      faulty.failNext(100, "streams");
      assertThrows(Exception.class, () -> counselors.consent(couple, bob.id(), grantId).await());
      faulty.heal();
      assertEquals(Grant.ACTIVE, storedGrant(grantId).getString("status"), "the change is stored");
      assertEquals(0, count(stream, CounselorService.ACTIVATED, grantId));
      bobSocket.assertQuiet();
      // Bob's retry finds the grant active (it answers it) and completes the owed event first.
      assertEquals(Grant.ACTIVE, counselors.consent(couple, bob.id(), grantId).await().status());
      assertEquals(Grant.ACTIVE, event(bobSocket, CounselorService.ACTIVATED, grantId).getJsonObject("data").getString("status"));
      bobSocket.assertQuiet();

      // Revoked: the event's insert fails; any later request about the grant completes it.
      faulty.failNext(5, "events");
      assertThrows(Exception.class, () -> counselors.revoke(couple, alice.id(), grantId).await());
      faulty.heal();
      assertEquals(Grant.REVOKED, storedGrant(grantId).getString("status"));
      assertEquals(Grant.REVOKED, counselors.get(couple, grantId).await().status());
      assertEquals(Grant.REVOKED, event(bobSocket, CounselorService.REVOKED, grantId).getJsonObject("data").getString("status"));
      bobSocket.assertQuiet();
    }

    // Exactly once each, whatever runs again: the sweep, the same requests.
    assertEquals(0, log.outbox().sweep(Duration.ZERO).await());
    counselors.consent(couple, bob.id(), grantId).otherwiseEmpty().await();
    counselors.revoke(couple, alice.id(), grantId).await();
    assertEquals(1, count(stream, CounselorService.PROPOSED, grantId));
    assertEquals(1, count(stream, CounselorService.ACTIVATED, grantId));
    assertEquals(1, count(stream, CounselorService.REVOKED, grantId));
    assertEquals(List.of(), log.outbox().pending().all().await(), "nothing left owed");
    assertTrue(storedGrant(grantId).getJsonObject("pendingEvents", new JsonObject()).isEmpty(), "no mark left on the grant");
  }
}
