package dev.bridgework.realtime;

import dev.bridgework.auth.UserRepository;
import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.notify.NotificationService;
import dev.bridgework.notify.NotifyConfig;
import dev.bridgework.share.ShareService;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.FaultyMongo;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * "No change without its event" for what a person's own devices hear about their notification
 * record (issue #13): {@code seen.updated} and {@code held.reminder}. The connection breaks between
 * the record's update and its event; the event is completed exactly once afterwards, by the retry
 * (which would otherwise find nothing left to change and stay silent) or by the sweep.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class SelfNoticeEventFaultTest {
  static TestServer server;
  static FaultyMongo faulty;
  static EventLog log;
  static CoupleRepository couples;
  static NotificationService notifications;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(SelfNoticeEventFaultTest::wire).onComplete(ctx.succeedingThenComplete());
  }

  /** The services under test, on the real store reached through {@link FaultyMongo}. */
  static void wire(TestServer started) {
    server = started;
    faulty = new FaultyMongo(server.mongo());
    log = new EventLog(server.vertx, faulty.client, server.clock, server.app.vault());
    couples = new CoupleRepository(faulty.client);
    ShareService shares = new ShareService(faulty.client, couples, server.app.vault(), log, server.clock, server.app.catalog(), List.of());
    notifications = new NotificationService(server.vertx, faulty.client, NotifyConfig.fromMap(NotifyConfig.defaults()), log, couples,
        shares, new UserRepository(faulty.client), server.clock, new byte[32]);
  }

  /** The service this class made; the server itself is closed with the extension's Vert.x. */
  @AfterAll
  static void stop() {
    if (notifications != null) notifications.close().await();
  }

  static List<JsonObject> gapless(Stream stream) {
    return StoredStream.gapless(server.app.events(), stream);
  }

  static long count(Stream stream, String kind) {
    return StoredStream.count(server.app.events(), stream, kind, null);
  }

  @Test
  void seenWhoseEventFailsIsCompletedOnceByTheRetryAndTheOtherDeviceHearsItOnce() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Couple couple = couples.findCouple(Couples.pair(alice, bob)).await();
    long head = server.app.events().head(Stream.couple(couple.id())).await();
    Stream self = Stream.self(alice.id());
    try (Ws phone = Ws.live(alice)) {
      faulty.failNext(5, "events");
      assertThrows(Exception.class, () -> notifications.markSeen(alice.id(), couple, head, List.of(), false).await());
      faulty.heal();
      phone.assertQuiet();
      // The retry moves nothing (the record says "seen up to head" already) and still completes the event.
      JsonObject seen = notifications.markSeen(alice.id(), couple, head, List.of(), false).await();
      assertEquals(head, seen.getLong("couple"));
      JsonObject event = phone.next("event");
      assertEquals("seen.updated", event.getString("kind"));
      assertEquals(head, event.getJsonObject("data").getLong("couple"));
      assertEquals(couple.id(), event.getJsonObject("data").getString("coupleId"));
      phone.assertQuiet();
    }
    assertEquals(1, count(self, "seen.updated"));
    notifications.markSeen(alice.id(), couple, head, List.of(), false).await();
    assertEquals(1, count(self, "seen.updated"));
  }

  @Test
  void heldReminderWhoseEventCannotBeNumberedIsCompletedOnceByTheSweep() {
    Api alice = server.register("Alice");
    Stream self = Stream.self(alice.id());
    String heldId = UUID.randomUUID().toString();
    Instant due = server.clock.instant().plus(Duration.ofHours(3));
    faulty.failNext(100, "streams");
    assertThrows(Exception.class, () -> notifications.heldReminders().save(alice.id(), heldId, due, "app").await());
    faulty.heal();
    assertEquals(0, count(self, "held.reminder"));
    try (Ws phone = Ws.live(alice)) {
      log.outbox().sweep(Duration.ZERO).await();
      JsonObject event = phone.next("event");
      assertEquals("held.reminder", event.getString("kind"));
      assertEquals(heldId, event.getJsonObject("data").getString("id"));
      assertEquals(heldId, event.getJsonObject("data").getJsonObject("reminder").getString("heldId"), "the event says what is stored");
      phone.assertQuiet();
      // Removed ("keep holding"): announced once, as no reminder.
      faulty.failNext(5, "events");
      assertThrows(Exception.class, () -> notifications.heldReminders().delete(alice.id(), heldId, true).await());
      faulty.heal();
      log.outbox().sweep(Duration.ZERO).await();
      JsonObject removed = phone.next("event");
      assertEquals("held.reminder", removed.getString("kind"));
      assertNull(removed.getJsonObject("data").getValue("reminder"));
      phone.assertQuiet();
    }
    assertEquals(0, log.outbox().sweep(Duration.ZERO).await());
    assertEquals(2, count(self, "held.reminder"));
  }
}
