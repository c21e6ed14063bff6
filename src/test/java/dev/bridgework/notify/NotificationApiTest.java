package dev.bridgework.notify;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import dev.bridgework.testing.WsClient;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings, seen and unread, receipts and reminders over the HTTP API and the self stream. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class NotificationApiTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  static String id() {
    return UUID.randomUUID().toString();
  }

  static String share(Api api) {
    String shareId = id();
    var r = api.put("/api/shares/" + shareId, new JsonObject().put("title", "t").put("intent", "listen")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", "words"))));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return shareId;
  }

  static String field(io.vertx.ext.web.client.HttpResponse<?> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("field");
  }

  @Test
  void settingsStartQuietAndAreValidatedStrictly() {
    Api sam = server.register("Sam");
    JsonObject defaults = sam.get("/api/me/notifications").bodyAsJsonObject();
    assertEquals("never", defaults.getString("email"));
    assertFalse(defaults.getBoolean("receipts"));
    assertEquals("off", defaults.getJsonObject("checkin").getString("every"));

    List<Object[]> bad = List.of(
        new Object[] {new JsonObject().put("email", "hourly"), "email"},
        new Object[] {new JsonObject().put("email", 3), "email"},
        new Object[] {new JsonObject().put("zone", "Mars/Olympus"), "zone"},
        new Object[] {new JsonObject().put("zone", "+02:00"), "zone"},
        new Object[] {new JsonObject().put("digestAt", "25:00"), "digestAt"},
        new Object[] {new JsonObject().put("receipts", "yes"), "receipts"},
        new Object[] {new JsonObject().put("quietHours", new JsonObject().put("from", "22:00")), "quietHours.to"},
        new Object[] {new JsonObject().put("quietHours", new JsonObject().put("from", "22:00").put("to", "07:00").put("zone", "UTC")),
            "quietHours.zone"},
        new Object[] {new JsonObject().put("checkin", new JsonObject().put("weekday", "Funday")), "checkin.weekday"},
        new Object[] {new JsonObject().put("checkin", new JsonObject().put("channel", "sms")), "checkin.channel"},
        new Object[] {new JsonObject().put("streak", true), "streak"});
    for (Object[] b : bad) {
      var r = sam.put("/api/me/notifications", (JsonObject) b[0]);
      assertEquals(400, r.statusCode(), b[0].toString());
      assertEquals(b[1], field(r), r.bodyAsString());
    }
    assertEquals(defaults, sam.get("/api/me/notifications").bodyAsJsonObject(), "refusals change nothing");

    JsonObject chosen = new JsonObject().put("email", "digest").put("zone", "Europe/Berlin").put("digestAt", "08:30")
        .put("quietHours", new JsonObject().put("from", "22:00").put("to", "07:00")).put("receipts", true)
        .put("checkin", new JsonObject().put("every", "weekly").put("weekday", "sunday").put("at", "19:00").put("channel", "app"));
    var saved = sam.put("/api/me/notifications", chosen);
    assertEquals(200, saved.statusCode(), saved.bodyAsString());
    assertEquals(chosen, saved.bodyAsJsonObject());
    assertEquals(chosen, sam.get("/api/me/notifications").bodyAsJsonObject());
  }

  @Test
  void unreadIsWhatThePartnerAddedAndSeenIsTheSameOnEveryDevice() {
    Api sam = server.register("Sam");
    Api alex = server.register("Alex");
    Pairing.pair(sam, alex);
    Api alexPhone = alex.anotherDevice();
    try (WsClient phone = WsClient.open(alexPhone)) {
      phone.welcomeAndResume();
      String shareId = share(sam);
      String own = share(alex);
      JsonObject unread = alex.get("/api/me/unread").bodyAsJsonObject();
      assertEquals(1, unread.getInteger("count"), unread.encode());
      assertEquals(new JsonArray().add(shareId), unread.getJsonArray("shares"));
      assertEquals(new JsonArray().add(own), sam.get("/api/me/unread").bodyAsJsonObject().getJsonArray("shares"));
      assertFalse(unread.getJsonArray("shares").contains(own));

      var seen = alex.put("/api/me/seen", new JsonObject().put("couple", unread.getLong("head")));
      assertEquals(200, seen.statusCode(), seen.bodyAsString());
      JsonObject event = phone.await(m -> "seen.updated".equals(m.getString("kind")), Duration.ofSeconds(10));
      assertEquals("self", event.getString("stream"));
      assertEquals(unread.getLong("head"), event.getJsonObject("data").getLong("couple"));
      assertEquals(0, alexPhone.get("/api/me/unread").bodyAsJsonObject().getInteger("count"));

      // A reply of Sam's marks the share again; seen never moves backwards or past the head.
      var reply = sam.put("/api/shares/" + own + "/responses/" + id(), new JsonObject().put("kind", "comment").put("text", "hi"));
      assertEquals(201, reply.statusCode(), reply.bodyAsString());
      JsonObject again = alex.get("/api/me/unread").bodyAsJsonObject();
      assertEquals(new JsonArray().add(own), again.getJsonArray("replies"));
      assertEquals(200, alex.put("/api/me/seen", new JsonObject().put("couple", 1)).statusCode());
      assertEquals(1, alex.get("/api/me/unread").bodyAsJsonObject().getInteger("count"));
      var far = alex.put("/api/me/seen", new JsonObject().put("couple", 1_000_000)).bodyAsJsonObject();
      assertEquals(again.getLong("head"), far.getLong("couple"));
      assertEquals(400, alex.put("/api/me/seen", new JsonObject().put("couple", -1)).statusCode());
      assertEquals(400, alex.put("/api/me/seen", new JsonObject().put("everything", true)).statusCode());
    }
  }

  @Test
  void receiptsShowOnlyWhenBothTurnedThemOnAndNeverByDefault() {
    Api sam = server.register("Sam");
    Api alex = server.register("Alex");
    Pairing.pair(sam, alex);
    String shareId = share(sam);
    assertEquals(200, alex.put("/api/me/seen", new JsonObject().put("opened", new JsonArray().add(shareId))).statusCode());
    JsonObject off = sam.get("/api/me/receipts").bodyAsJsonObject();
    assertFalse(off.getBoolean("enabled"));
    assertTrue(off.getJsonArray("receipts").isEmpty());

    assertEquals(200, sam.put("/api/me/notifications", new JsonObject().put("receipts", true)).statusCode());
    assertFalse(sam.get("/api/me/receipts").bodyAsJsonObject().getBoolean("enabled"), "one side is not enough");
    assertEquals(200, alex.put("/api/me/notifications", new JsonObject().put("receipts", true)).statusCode());
    JsonObject on = sam.get("/api/me/receipts").bodyAsJsonObject();
    assertTrue(on.getBoolean("enabled"));
    assertTrue(on.getJsonArray("receipts").isEmpty(), "the opening before Alex turned receipts on was never kept");

    assertEquals(200, alex.put("/api/me/seen", new JsonObject().put("opened", new JsonArray().add(shareId))).statusCode());
    JsonArray receipts = sam.get("/api/me/receipts").bodyAsJsonObject().getJsonArray("receipts");
    assertEquals(1, receipts.size());
    assertEquals(shareId, receipts.getJsonObject(0).getString("shareId"));
    assertTrue(alex.get("/api/me/receipts").bodyAsJsonObject().getJsonArray("receipts").isEmpty(), "only for one's own shares");

    assertEquals(200, sam.put("/api/me/notifications", new JsonObject().put("receipts", false)).statusCode());
    assertFalse(sam.get("/api/me/receipts").bodyAsJsonObject().getBoolean("enabled"));
    assertEquals(409, server.register("Solo").get("/api/me/receipts").statusCode());
  }

  @Test
  void remindersCarryOnlyADueDateAndShowInTheAppWhenDue() {
    Api sam = server.register("Sam");
    String reminderId = id();
    String due = server.clock.instant().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    var r = sam.put("/api/me/reminders/" + reminderId, new JsonObject().put("dueAt", due).put("channel", "app"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(400, sam.put("/api/me/reminders/" + id(), new JsonObject().put("dueAt", due).put("channel", "app")
        .put("text", "what it is about")).statusCode(), "no text, ever");
    assertEquals(400, sam.put("/api/me/reminders/not-a-uuid", new JsonObject().put("dueAt", due).put("channel", "app")).statusCode());
    assertEquals(400, sam.put("/api/me/reminders/" + id(), new JsonObject().put("dueAt", "tomorrow").put("channel", "app")).statusCode());
    assertEquals(404, server.register("Other").put("/api/me/reminders/" + reminderId,
        new JsonObject().put("dueAt", due).put("channel", "app")).statusCode(), "someone else's id");

    assertTrue(sam.get("/api/me/unread").bodyAsJsonObject().getJsonArray("remindersDue").isEmpty());
    server.clock.advance(Duration.ofHours(2));
    assertEquals(new JsonArray().add(reminderId), sam.get("/api/me/unread").bodyAsJsonObject().getJsonArray("remindersDue"));
    assertEquals(1, sam.get("/api/me/reminders").bodyAsJsonObject().getJsonArray("reminders").size());
    assertEquals(204, sam.delete("/api/me/reminders/" + reminderId).statusCode());
    assertEquals(404, sam.delete("/api/me/reminders/" + reminderId).statusCode());
  }

  @Test
  void theCheckinRhythmIsDueInTheAppUntilTheFirstLookAfterIt() {
    Api sam = server.register("Sam");
    assertEquals(200, sam.put("/api/me/notifications", new JsonObject()
        .put("checkin", new JsonObject().put("every", "daily").put("channel", "app")
            .put("at", server.clock.instant().plus(Duration.ofHours(1)).atZone(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("HH:mm"))))).statusCode());
    var first = sam.get("/api/me/unread");
    assertEquals(200, first.statusCode(), first.bodyAsString());
    assertTrue(first.bodyAsJsonObject().getBoolean("checkinDue"), first.bodyAsString());
    assertEquals(200, sam.put("/api/me/seen", new JsonObject().put("checkin", true)).statusCode());
    var after = sam.get("/api/me/unread");
    assertEquals(Boolean.FALSE, after.bodyAsJsonObject().getBoolean("checkinDue"), after.bodyAsString());
    server.clock.advance(Duration.ofHours(2)); // (sessions end after 12 idle hours)
    assertEquals(Boolean.TRUE, sam.get("/api/me/unread").bodyAsJsonObject().getBoolean("checkinDue"));
  }

  /** Every document of the notification collections that mentions {@code text}, one a line. */
  static String notifyDocsMentioning(String text) {
    StringBuilder out = new StringBuilder();
    for (String name : List.of(NotifyStore.PEOPLE, NotifyStore.COUPLES, NotifyStore.REMINDER_IDS, Outbox.OUTBOX, Outbox.DUE)) {
      for (JsonObject doc : server.mongo().find(name, new JsonObject()).await()) {
        if (doc.encode().contains(text)) out.append(name).append(' ').append(doc.encode()).append('\n');
      }
    }
    return out.toString();
  }

  @Test
  void deletingTheAccountErasesTheirNotificationRecordsAndLeavesThePartnersAlone() {
    Api sam = server.register("Sam");
    Api alex = server.register("Alex");
    Pairing.pair(sam, alex);
    String soon = server.clock.instant().plus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    // Alex: a digest entry, then an instant one, a check-in rhythm by email, reminders by email and in the app,
    // receipts on and a seen state.
    assertEquals(200, alex.put("/api/me/notifications", new JsonObject().put("email", "digest").put("receipts", true)
        .put("checkin", new JsonObject().put("every", "daily").put("at", "09:00").put("channel", "email"))).statusCode());
    String first = share(sam);
    assertEquals(200, alex.put("/api/me/notifications", new JsonObject().put("email", "instant")).statusCode());
    String second = share(sam);
    String alexEmailReminder = id();
    String alexAppReminder = id();
    assertEquals(201, alex.put("/api/me/reminders/" + alexEmailReminder, new JsonObject().put("dueAt", soon).put("channel", "email")).statusCode());
    assertEquals(201, alex.put("/api/me/reminders/" + alexAppReminder, new JsonObject().put("dueAt", soon).put("channel", "app")).statusCode());
    assertEquals(200, alex.put("/api/me/seen", new JsonObject().put("couple", 1).put("opened", new JsonArray().add(first))).statusCode());
    String alexShare = share(alex);

    // Sam: choices of their own, a reminder by email, and a share of theirs that Alex replied to.
    assertEquals(200, sam.put("/api/me/notifications", new JsonObject().put("email", "instant").put("receipts", true)
        .put("zone", "Europe/Berlin")).statusCode());
    String samReminder = id();
    assertEquals(201, sam.put("/api/me/reminders/" + samReminder, new JsonObject().put("dueAt", soon).put("channel", "email")).statusCode());
    assertEquals(201, alex.put("/api/shares/" + second + "/responses/" + id(), new JsonObject().put("kind", "comment").put("text", "hi"))
        .statusCode());

    String before = notifyDocsMentioning(alex.id());
    for (String expected : List.of(NotifyStore.PEOPLE + " ", NotifyStore.REMINDER_IDS + " ", Outbox.OUTBOX + " {\"_id\":\"digest:",
        "\"_id\":\"share:" + second + ":" + alex.id(), "\"_id\":\"checkin:" + alex.id(), "\"_id\":\"reminder:" + alex.id(), Outbox.DUE + " ")) {
      assertTrue(before.contains(expected), "the setup stored " + expected + ":\n" + before);
    }
    JsonObject samSettings = sam.get("/api/me/notifications").bodyAsJsonObject();
    JsonObject samReminders = sam.get("/api/me/reminders").bodyAsJsonObject();
    JsonObject samPerson = server.mongo().findOne(NotifyStore.PEOPLE, new JsonObject().put("_id", sam.id()), null).await();

    var deleted = alex.delete("/api/me", new JsonObject().put("authKey", alex.keys().authKey()));
    assertEquals(204, deleted.statusCode(), deleted.bodyAsString());

    assertEquals("", notifyDocsMentioning(alex.id()), "no notification record of Alex's remains");
    assertEquals("", notifyDocsMentioning(alexShare), "nothing about Alex's withdrawn share remains");
    for (String reminder : List.of(alexEmailReminder, alexAppReminder)) {
      assertEquals("", notifyDocsMentioning(reminder), "Alex's reminder id is released");
    }
    // Sam's own records are untouched: choices, reminder, its claimed id and its pending email.
    assertEquals(samSettings, sam.get("/api/me/notifications").bodyAsJsonObject());
    assertEquals(samReminders, sam.get("/api/me/reminders").bodyAsJsonObject());
    JsonObject samAfter = server.mongo().findOne(NotifyStore.PEOPLE, new JsonObject().put("_id", sam.id()), null).await();
    assertEquals(samPerson, samAfter);
    assertTrue(notifyDocsMentioning(samReminder).contains(NotifyStore.REMINDER_IDS + " "));
    assertTrue(notifyDocsMentioning("reminder:" + sam.id() + ":" + samReminder).contains(Outbox.OUTBOX + " "),
        "Sam's reminder email is still pending");
    var reminderAgain = sam.put("/api/me/reminders/" + samReminder, new JsonObject().put("dueAt", soon).put("channel", "app"));
    assertEquals(200, reminderAgain.statusCode(), reminderAgain.bodyAsString());
  }
}
