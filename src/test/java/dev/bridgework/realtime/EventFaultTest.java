package dev.bridgework.realtime;

import dev.bridgework.auth.Throttle;
import dev.bridgework.auth.UserRepository;
import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.review.Brief;
import dev.bridgework.review.BriefRenderer;
import dev.bridgework.review.JointSpace;
import dev.bridgework.review.Review;
import dev.bridgework.review.ReviewRepository;
import dev.bridgework.review.ReviewService;
import dev.bridgework.share.ResponseDraft;
import dev.bridgework.share.Share;
import dev.bridgework.share.ShareDraft;
import dev.bridgework.share.ShareService;
import dev.bridgework.storage.OwnedCollection;
import dev.bridgework.storage.PendingEvents;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.FaultyMongo;
import dev.bridgework.testing.Inbox;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "No change without its event" under faults (issue #13): the database connection breaks between
 * a document write and its event, for shares, responses, reviews and private work. The change is
 * stored; the event is then completed exactly once, by a retry of the same request or by the
 * sweep; the stream stays gapless; a partner's open socket sees it once.
 *
 * <p>The services are built as Application builds them, over the running server's database, but
 * through {@link FaultyMongo}: the real client, whose writes into a chosen collection fail while
 * armed (a dropped connection as the driver reports it).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class EventFaultTest {
  static TestServer server;
  static FaultyMongo faulty;
  static EventLog log;
  static ShareService shares;
  static ReviewService reviews;
  static CoupleRepository couples;
  static OwnedCollection parts;
  static SelfEvents partEvents;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(EventFaultTest::wire).onComplete(ctx.succeedingThenComplete());
  }

  /** The services under test, on the real store reached through {@link FaultyMongo}. */
  static void wire(TestServer started) {
    server = started;
    faulty = new FaultyMongo(server.mongo());
    log = new EventLog(server.vertx, faulty.client, server.clock, server.app.vault());
    couples = new CoupleRepository(faulty.client);
    shares = new ShareService(faulty.client, couples, server.app.vault(), log, server.clock, server.app.catalog(), List.of());
    ReviewRepository reviewRepo = new ReviewRepository(faulty.client, server.app.vault());
    reviews = new ReviewService(reviewRepo, new JointSpace() {
      @Override
      public Future<JointSpace.Couple> coupleOf(String userId) {
        return Future.failedFuture("not used");
      }

      @Override
      public Future<List<JsonObject>> sharesOf(String coupleId) {
        return shares.sharesOf(coupleId).map(list -> list.stream().map(Share::toJson).toList());
      }
    }, log, new BriefRenderer(), server.vertx, server.clock);
    parts = new OwnedCollection(faulty.client, server.app.vault(), server.clock, "parts", "part", List.of(), List.of("role"));
    partEvents = new SelfEvents(log, parts, "part.saved", "part.deleted");
  }

  static ShareDraft draft(String title, Long version) {
    return new ShareDraft(null, title, List.of(new Share.Excerpt(null, "words of " + title)), null, "discuss", version);
  }

  /** The whole stream, checked gapless; answers its events. */
  static List<JsonObject> gapless(Stream stream) {
    return StoredStream.gapless(server.app.events(), stream);
  }

  static long count(Stream stream, String kind, String id) {
    return StoredStream.count(server.app.events(), stream, kind, id);
  }

  static long pendingEntries() {
    return log.outbox().pending().all().await().size();
  }

  record Pair(Api alice, Api bob, Couple couple) {}

  static Pair pair() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String coupleId = Couples.pair(alice, bob);
    return new Pair(alice, bob, couples.findCouple(coupleId).await());
  }

  @Test
  void shareWhoseEventInsertFailsIsCompletedOnceByTheRetryAndThePartnerSeesItOnce() {
    Pair p = pair();
    Stream stream = Stream.couple(p.couple().id());
    String id = UUID.randomUUID().toString();
    long head = server.app.events().head(stream).await();
    try (Ws bob = Ws.live(p.bob())) {
      // The number is taken, then every attempt to store the event fails: the worst place to break.
      faulty.failNext(5, "events");
      assertThrows(Exception.class, () -> shares.save(p.couple(), p.alice().id(), id, draft("first", null)).await());
      faulty.heal();
      assertNotNull(shares.find(p.couple().id(), id).await(), "the change is stored");
      assertEquals(head + 1, server.app.events().head(stream).await(), "its number is taken");
      assertTrue(server.app.events().read(stream, head + 1, head + 1).await().isEmpty(), "and not filled yet");
      bob.assertQuiet();

      ShareService.Saved again = shares.save(p.couple(), p.alice().id(), id, draft("first", null)).await();
      assertEquals(1L, again.share().version());
      JsonObject event = bob.next("event");
      assertEquals(head + 1, event.getLong("seq"), "the taken number, filled");
      assertEquals("share.created", event.getString("kind"));
      assertEquals("first", event.getJsonObject("data").getString("title"), "the event says what is stored");
      bob.assertQuiet();
    }
    assertEquals(1, count(stream, "share.created", id));
    // A third identical request changes nothing and appends nothing.
    shares.save(p.couple(), p.alice().id(), id, draft("first", null)).await();
    assertEquals(1, count(stream, "share.created", id));
    assertEquals(0, pendingEntries());
  }

  /**
   * A create's clean-up follows its answer, unjournaled (docs/PERFORMANCE.md "The share path's
   * database work"): the event is stored and published, the 201 given, and then clearing the mark
   * breaks off, leaving the mark, the op bound to its number and the entry listed, as a crash before
   * the next commit would. The sweep completes them, finding the event stored: no second event.
   */
  @Test
  void shareWhoseCleanUpAfterTheAnswerBreaksOffIsCompletedByTheSweepWithoutASecondEvent() {
    Pair p = pair();
    Stream stream = Stream.couple(p.couple().id());
    String id = UUID.randomUUID().toString();
    try (Ws bob = Ws.live(p.bob())) {
      Future<Void> brokeOff = faulty.failNextCall("updateCollection", "shares");
      assertTrue(shares.save(p.couple(), p.alice().id(), id, draft("first", null)).await().created());
      JsonObject event = bob.next("event");
      assertEquals("share.created", event.getString("kind"));
      assertEquals(id, event.getJsonObject("data").getString("id"));
      Inbox.await(brokeOff, Duration.ofSeconds(10)); // the clean-up ran, and its first step failed: the rest is skipped
      JsonObject doc = server.mongo().findOne("shares", new JsonObject().put("_id", id), null).await();
      List<PendingEvents.Mark> marks = PendingEvents.marksOf(doc);
      assertEquals(1, marks.size(), "the mark is still there");
      String op = marks.get(0).op();
      JsonObject counter = server.mongo().findOne("streams", new JsonObject().put("_id", stream.id()), null).await();
      assertEquals(event.getLong("seq"), counter.getJsonObject("ops").getLong(op), "the op is still bound to its number");
      assertNotNull(server.mongo().findOne(PendingEvents.COLLECTION, new JsonObject().put("_id", op), null).await(), "still listed");

      log.outbox().sweep(Duration.ZERO).await();
      bob.assertQuiet();
      assertTrue(PendingEvents.marksOf(server.mongo().findOne("shares", new JsonObject().put("_id", id), null).await()).isEmpty());
      assertNull(server.mongo().findOne("streams", new JsonObject().put("_id", stream.id()), null).await().getJsonObject("ops").getValue(op),
          "the op forgotten");
      assertNull(server.mongo().findOne(PendingEvents.COLLECTION, new JsonObject().put("_id", op), null).await(), "unlisted");
    } finally {
      faulty.heal();
    }
    assertEquals(1, count(stream, "share.created", id));
    gapless(stream);
  }

  @Test
  void responseWhoseEventCannotBeNumberedIsCompletedOnceByTheSweep() {
    Pair p = pair();
    Stream stream = Stream.couple(p.couple().id());
    String id = UUID.randomUUID().toString();
    shares.save(p.couple(), p.alice().id(), id, draft("to answer", null)).await();
    String responseId = UUID.randomUUID().toString();
    try (Ws alice = Ws.live(p.alice())) {
      // The counter cannot be reached: the response is stored with its mark, nothing is numbered.
      faulty.failNext(100, "streams");
      assertThrows(Exception.class, () -> shares.respond(p.couple(), p.bob().id(), id, responseId,
          new ResponseDraft("comment", null, "bob's answer")).await());
      faulty.heal();
      assertEquals(0, count(stream, "response.created", id));
      assertEquals(1, log.outbox().sweep(Duration.ZERO).await());
      JsonObject event = alice.next("event");
      assertEquals("response.created", event.getString("kind"));
      assertEquals("bob's answer", event.getJsonObject("data").getJsonArray("responses").getJsonObject(0).getString("text"));
      alice.assertQuiet();
    }
    assertEquals(1, count(stream, "response.created", id));
    // The sweep again, and the request again: nothing more.
    assertEquals(0, log.outbox().sweep(Duration.ZERO).await());
    shares.respond(p.couple(), p.bob().id(), id, responseId, new ResponseDraft("comment", null, "bob's answer")).await();
    assertEquals(1, count(stream, "response.created", id));
  }

  @Test
  void withdrawalWhoseEventFailsIsCompletedByTheRetryAndItsWordsAreGoneFromHistory() {
    Pair p = pair();
    Stream stream = Stream.couple(p.couple().id());
    String id = UUID.randomUUID().toString();
    String secret = "secret-" + UUID.randomUUID();
    shares.save(p.couple(), p.alice().id(), id, draft(secret, null)).await();
    faulty.failNext(5, "events");
    assertThrows(Exception.class, () -> shares.withdraw(p.couple(), p.alice().id(), id).await());
    faulty.heal();
    // Retried: answered as done (not 404), announced once.
    shares.withdraw(p.couple(), p.alice().id(), id).await();
    assertEquals(1, count(stream, "share.withdrawn", id));
    assertFalse(server.dumpDatabase().contains(secret), "the words are gone from the share and from every event");
    assertEquals(0, pendingEntries());
  }

  @Test
  void reviewNoteWhoseEventFailsIsCompletedOnceByTheSweepAndThenByNothing() {
    Pair p = pair();
    Stream stream = Stream.couple(p.couple().id());
    String id = UUID.randomUUID().toString();
    shares.save(p.couple(), p.alice().id(), id, draft("for the review", null)).await();
    shares.flag(p.couple(), id, true).await();
    JointSpace.Couple couple = new JointSpace.Couple(p.couple().id(),
        List.of(new Brief.Member(p.alice().id(), "Alice"), new Brief.Member(p.bob().id(), "Bob")));
    Review review = reviews.start(couple, p.alice().id()).await();
    long before = gapless(stream).size();
    faulty.failNext(5, "events");
    assertThrows(Exception.class, () -> reviews.setNote(couple, p.bob().id(), review.id(), id, "my note").await());
    faulty.heal();
    log.outbox().sweep(Duration.ZERO).await();
    List<JsonObject> events = gapless(stream);
    assertEquals(before + 1, events.size());
    JsonObject last = events.get(events.size() - 1);
    assertEquals("review.updated", last.getString("kind"));
    assertTrue(last.getJsonObject("data").encode().contains("my note"));
    // The same request again: the note is there, nothing more is appended.
    reviews.setNote(couple, p.bob().id(), review.id(), id, "my note").await();
    assertEquals(before + 1, gapless(stream).size());
  }

  @Test
  void privateWorkWhoseEventFailsIsCompletedOnceByTheRetryAndItsDeletionByTheSweep() {
    Api alice = server.register("Alice");
    Stream stream = Stream.self(alice.id());
    String id = UUID.randomUUID().toString();
    JsonObject sealed = new JsonObject().put("v", 1).put("iv", "aXY").put("ct", "Y3Q");
    try (Ws phone = Ws.live(alice)) {
      faulty.failNext(5, "events");
      // The owner is answered (the item is stored); its event is owed.
      OwnedCollection.Saved saved = parts.save(alice.id(), id, null, true, stored -> Future.succeededFuture(
          new JsonObject().put("sealed", sealed))).compose(s -> partEvents.saved(id).map(s)).await();
      faulty.heal();
      assertTrue(saved.created());
      parts.save(alice.id(), id, null, true, stored -> Future.succeededFuture(new JsonObject().put("sealed", sealed)))
          .compose(s -> partEvents.saved(id).map(s)).await();
      JsonObject event = phone.next("event");
      assertEquals("part.saved", event.getString("kind"));
      assertEquals(sealed, event.getJsonObject("data").getJsonObject("sealed"));
      phone.assertQuiet();
    }
    assertEquals(1, count(stream, "part.saved", id));

    faulty.failNext(5, "events");
    assertTrue(partEvents.delete(alice.id(), id).await(), "deleted, its event left to the sweep");
    faulty.heal();
    assertEquals(1, log.outbox().sweep(Duration.ZERO).await());
    assertEquals(1, count(stream, "part.deleted", id));
    assertEquals(0, log.outbox().sweep(Duration.ZERO).await());
    assertEquals(1, count(stream, "part.deleted", id));
    assertEquals(0, pendingEntries());
  }

  @Test
  void aChangeWhoseDocumentWriteFailedIsDroppedBySweepAndAnnouncesNothing() {
    Pair p = pair();
    Stream stream = Stream.couple(p.couple().id());
    String id = UUID.randomUUID().toString();
    long before = gapless(stream).size();
    faulty.failNext(1, "shares");
    assertThrows(Exception.class, () -> shares.save(p.couple(), p.alice().id(), id, draft("never stored", null)).await());
    faulty.heal();
    log.outbox().sweep(Duration.ZERO).await();
    assertEquals(before, gapless(stream).size(), "no event for a change that was not stored");
    assertEquals(0, pendingEntries());
    assertTrue(PendingEvents.marksOf(null).isEmpty());
  }
}
