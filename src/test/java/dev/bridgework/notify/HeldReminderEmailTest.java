package dev.bridgework.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The email of "hold this and remind me later" (docs/NOTIFICATIONS.md), against GreenMail like
 * {@link NotificationEmailTest}: once per due time, after quiet hours, never a word of what is held,
 * nothing once the item is sent or let go or email is turned off, and nothing to the partner.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class HeldReminderEmailTest {
  static final String SUBJECT = "Something you held is waiting for you";
  GreenMail smtp;
  TestServer server;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    // The server sends to this SMTP server; the extension closes it (and its Vert.x) after the test.
    TestServer.start(vertx, Map.of("mail.host", "127.0.0.1", "mail.port", String.valueOf(smtp.getSmtp().getPort()),
        "mail.tls", "none", "mail.from", "Bridgework <bridgework@example.test>", "app.baseUrl", "http://localhost:9",
        "notify.scanInterval", "1d")).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stopSmtp() {
    smtp.stop();
  }

  void runDue() {
    server.app.notifications().runDue().await();
  }

  List<MimeMessage> mailsTo(Api api) throws Exception {
    List<MimeMessage> out = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      if (m.getAllRecipients()[0].toString().contains(api.email())) out.add(m);
    }
    return out;
  }

  static String hold(Api api, String words) {
    String id = UUID.randomUUID().toString();
    JsonObject content = new JsonObject().put("type", "share").put("shareId", UUID.randomUUID().toString())
        .put("share", new JsonObject().put("title", words).put("intent", "listen")
            .put("excerpts", new JsonArray().add(new JsonObject().put("text", words))));
    assertEquals(201, api.put("/api/held/" + id, new JsonObject().put("sealed", api.keys().seal("held", id, content))).statusCode());
    return id;
  }

  static void remind(Api api, String heldId, Instant at, String channel, int status) {
    var r = api.put("/api/held/" + heldId + "/reminder", new JsonObject().put("dueAt", at.toString()).put("channel", channel));
    assertEquals(status, r.statusCode(), r.bodyAsString());
  }

  @Test
  void aHeldReminderIsEmailedOncePerDueTimeAndSaysNothingOfWhatIsHeld() throws Exception {
    Api alex = server.register("Alex");
    Api sam = server.register("Sam");
    Pairing.pair(alex, sam);
    NotificationEmailTest.settings(alex, new JsonObject().put("email", "instant"));
    NotificationEmailTest.settings(sam, new JsonObject().put("email", "instant"));
    String planted = "Planted held words " + UUID.randomUUID();
    String heldId = hold(alex, planted);
    remind(alex, heldId, server.clock.instant().plus(Duration.ofHours(2)), "email", 201);

    runDue();
    server.clock.advance(Duration.ofMinutes(119));
    runDue();
    assertEquals(0, smtp.getReceivedMessages().length, "nothing before its time");
    server.clock.advance(Duration.ofMinutes(2));
    runDue();
    runDue();
    List<MimeMessage> toAlex = mailsTo(alex);
    assertEquals(1, toAlex.size(), "exactly once");
    assertEquals(SUBJECT, toAlex.get(0).getSubject());
    String text = NotificationEmailTest.plainText(toAlex.get(0));
    assertTrue(text.contains("You asked to be reminded about something you held."), text);
    assertFalse(NotificationEmailTest.everything(toAlex.get(0)).contains(planted), "no word of what is held");
    assertEquals(0, mailsTo(sam).size(), "the partner hears nothing of it");

    // Snoozed: one more email at the new time, and only then.
    remind(alex, heldId, server.clock.instant().plus(Duration.ofHours(1)), "email", 200);
    runDue();
    assertEquals(1, mailsTo(alex).size());
    server.clock.advance(Duration.ofMinutes(61));
    runDue();
    runDue();
    assertEquals(2, mailsTo(alex).size());
    assertEquals(0, mailsTo(sam).size());
  }

  @Test
  void sentLetGoOrEmailOffMeansNoEmailAndQuietHoursHoldItBack() throws Exception {
    Api alex = server.register("Alex");
    NotificationEmailTest.settings(alex, new JsonObject().put("email", "digest"));
    Instant soon = server.clock.instant().plus(Duration.ofMinutes(30));
    String sent = hold(alex, "sent");
    String appOnly = hold(alex, "app only");
    String laterOff = hold(alex, "email turned off later");
    remind(alex, sent, soon, "email", 201);
    remind(alex, appOnly, soon, "app", 201);
    remind(alex, laterOff, soon, "email", 201);
    assertEquals(204, alex.delete("/api/held/" + sent).statusCode());
    NotificationEmailTest.settings(alex, new JsonObject().put("email", "never"));
    server.clock.advance(Duration.ofMinutes(31));
    runDue();
    assertEquals(0, mailsTo(alex).size(), "sent, in the app only, or email turned off");
    JsonArray due = alex.get("/api/me/unread").bodyAsJsonObject().getJsonArray("heldDue");
    assertEquals(2, due.size(), due.encode());
    assertTrue(due.contains(appOnly) && due.contains(laterOff), "still shown in the app: " + due.encode());

    // Quiet hours from an hour ago until three hours from now, in Alex's own zone.
    DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
    var local = server.clock.instant().atZone(ZoneId.of("Asia/Tokyo"));
    NotificationEmailTest.settings(alex, new JsonObject().put("email", "instant").put("zone", "Asia/Tokyo").put("quietHours",
        new JsonObject().put("from", local.minusHours(1).format(hhmm)).put("to", local.plusHours(3).format(hhmm))));
    String quiet = hold(alex, "during quiet hours");
    remind(alex, quiet, server.clock.instant().plus(Duration.ofMinutes(10)), "email", 201);
    server.clock.advance(Duration.ofMinutes(11));
    runDue();
    assertEquals(0, mailsTo(alex).size(), "held back during quiet hours");
    assertTrue(alex.get("/api/me/unread").bodyAsJsonObject().getJsonArray("heldDue").contains(quiet), "but due in the app");
    server.clock.advance(Duration.ofHours(3));
    runDue();
    assertEquals(List.of(SUBJECT), NotificationEmailTest.subjects(mailsTo(alex)));
  }
}
