package dev.bridgework.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Email notifications against an SMTP server inside the test JVM (GreenMail). The test server never
 * sends on a timer here (scan interval of a day): each test moves the {@code TestClock} and asks for
 * one pass with {@code runDue()}, which completes once the SMTP server accepted what it sent.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class NotificationEmailTest {
  GreenMail smtp;
  TestServer server;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    // The server sends to this SMTP server; the extension closes it (and its Vert.x) after the test.
    TestServer.start(vertx, mailSettings()).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stopSmtp() {
    smtp.stop();
  }

  Map<String, String> mailSettings() {
    Map<String, String> s = new HashMap<>();
    s.put("mail.host", "127.0.0.1");
    s.put("mail.port", String.valueOf(smtp.getSmtp().getPort()));
    s.put("mail.tls", "none");
    s.put("mail.from", "Bridgework <bridgework@example.test>");
    s.put("app.baseUrl", "http://localhost:9");
    s.put("notify.scanInterval", "1d");
    s.put("notify.instantDelay", "2m");
    return s;
  }

  static String id() {
    return UUID.randomUUID().toString();
  }

  static JsonObject shareBody(String title, String text, String note) {
    return new JsonObject().put("title", title).put("excerpts", new JsonArray().add(new JsonObject().put("text", text)))
        .put("note", note).put("intent", "respond");
  }

  static JsonObject settings(Api api, JsonObject body) {
    var r = api.put("/api/me/notifications", body);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static String putShare(Api api, String title, String text, String note) {
    String shareId = id();
    var r = api.put("/api/shares/" + shareId, shareBody(title, text, note));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return shareId;
  }

  void runDue() {
    server.app.notifications().runDue().await();
  }

  List<MimeMessage> mailsTo(Api api) {
    List<MimeMessage> out = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      try {
        if (m.getAllRecipients()[0].toString().contains(api.email())) out.add(m);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /** Every header and every decoded part of the message, as one string. */
  static String everything(MimeMessage m) throws Exception {
    StringBuilder out = new StringBuilder(GreenMailUtil.getWholeMessage(m));
    for (Enumeration<Header> e = m.getAllHeaders(); e.hasMoreElements(); ) {
      Header h = e.nextElement();
      out.append('\n').append(h.getName()).append(": ").append(h.getValue());
    }
    appendContent(m.getContent(), out);
    return out.toString();
  }

  static void appendContent(Object content, StringBuilder out) throws Exception {
    if (content instanceof Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart part = mp.getBodyPart(i);
        out.append('\n').append(part.getContentType()).append('\n');
        appendContent(part.getContent(), out);
      }
    } else {
      out.append('\n').append(content);
    }
  }

  static String plainText(MimeMessage m) throws Exception {
    Object content = m.getContent();
    if (content instanceof Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart p = mp.getBodyPart(i);
        if (p.isMimeType("text/plain")) return (String) p.getContent();
        if (p.getContent() instanceof Multipart inner) {
          for (int j = 0; j < inner.getCount(); j++) {
            if (inner.getBodyPart(j).isMimeType("text/plain")) return (String) inner.getBodyPart(j).getContent();
          }
        }
      }
      return null;
    }
    return m.isMimeType("text/plain") ? (String) content : null;
  }

  @Test
  void theRightPeopleGetTheRightEmailsAndNoneCarriesAnythingAnyoneWrote() throws Exception {
    Api sam = server.register("Sam");
    Api alex = server.register("Alex");
    Pairing.pair(sam, alex);
    settings(sam, new JsonObject().put("email", "instant"));
    settings(alex, new JsonObject().put("email", "instant"));
    List<String> planted = new ArrayList<>();
    String tag = UUID.randomUUID().toString().substring(0, 8);
    for (String what : List.of("title", "excerpt", "note", "reply", "reviewnote", "private")) planted.add("Planted" + what + tag);

    // Private work of Alex's (sealed by the client; it must never be announced at all).
    var priv = alex.saveReflection(id(), "free-reflection", new JsonObject().put("free", planted.get(5)), "complete", null);
    assertTrue(priv.statusCode() == 201 || priv.statusCode() == 400, priv.bodyAsString());
    String shareId = putShare(sam, planted.get(0), planted.get(1), planted.get(2));
    assertEquals(201, alex.put("/api/shares/" + shareId + "/responses/" + id(),
        new JsonObject().put("kind", "comment").put("text", planted.get(3))).statusCode());
    assertEquals(200, sam.put("/api/shares/" + shareId + "/counseling", new JsonObject().put("flag", true)).statusCode());
    var review = sam.post("/api/reviews", new JsonObject());
    assertEquals(201, review.statusCode(), review.bodyAsString());
    String reviewId = review.bodyAsJsonObject().getString("id");
    var note = alex.put("/api/reviews/" + reviewId + "/notes/" + shareId, new JsonObject().put("text", planted.get(4)));
    assertEquals(200, note.statusCode(), note.bodyAsString());

    runDue();
    assertEquals(0, smtp.getReceivedMessages().length, "nothing before the short delay has passed");
    server.clock.advance(Duration.ofMinutes(3));
    runDue();

    List<String> toAlex = subjects(mailsTo(alex));
    List<String> toSam = subjects(mailsTo(sam));
    assertEquals(List.of("Sam shared something with you", "Your joint review changed"), toAlex);
    assertEquals(List.of("Alex replied", "Your joint review changed"), toSam);
    for (MimeMessage m : smtp.getReceivedMessages()) {
      String all = everything(m);
      for (String p : planted) assertFalse(all.contains(p), "an email carries '" + p + "':\n" + all);
      assertTrue(m.getHeader("List-Unsubscribe")[0].startsWith("<http://localhost:9/api/unsubscribe?token="));
      assertEquals("List-Unsubscribe=One-Click", m.getHeader("List-Unsubscribe-Post")[0]);
      String text = plainText(m);
      assertNotNull(text, "a plain-text part");
      assertTrue(text.contains("http://localhost:9/"), text);
    }
    runDue();
    assertEquals(4, smtp.getReceivedMessages().length, "each sent once");
  }

  static List<String> subjects(List<MimeMessage> messages) throws Exception {
    List<String> out = new ArrayList<>();
    for (MimeMessage m : messages) out.add(m.getSubject());
    out.sort(String::compareTo);
    return out;
  }

  @Test
  void aDigestComesOnceAtTheChosenTimeAndQuietHoursHoldInstantEmailsBack() throws Exception {
    Api sam = server.register("Sam");
    Api alex = server.register("Alex");
    Pairing.pair(sam, alex);
    ZoneId zone = ZoneId.of("America/New_York");
    DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
    var local = server.clock.instant().atZone(zone);
    settings(alex, new JsonObject().put("email", "digest").put("zone", zone.getId())
        .put("digestAt", local.plusHours(2).format(hhmm)));
    putShare(sam, "one", "first words", null);
    putShare(sam, "two", "second words", null);
    server.clock.advance(Duration.ofMinutes(100));
    runDue();
    assertEquals(0, mailsTo(alex).size(), "no digest before its time");
    server.clock.advance(Duration.ofMinutes(25));
    runDue();
    List<MimeMessage> digest = mailsTo(alex);
    assertEquals(1, digest.size());
    assertEquals("What arrived in Bridgework", digest.get(0).getSubject());
    assertTrue(plainText(digest.get(0)).contains("2 new shares"), plainText(digest.get(0)));

    // Quiet hours from an hour ago until three hours from now, in Sam's own zone.
    var samLocal = server.clock.instant().atZone(ZoneId.of("Asia/Tokyo"));
    settings(sam, new JsonObject().put("email", "instant").put("zone", "Asia/Tokyo").put("quietHours",
        new JsonObject().put("from", samLocal.minusHours(1).format(hhmm)).put("to", samLocal.plusHours(3).format(hhmm))));
    assertEquals(200, alex.put("/api/shares/" + putShare(alex, "mine", "words", null) + "/counseling",
        new JsonObject().put("flag", true)).statusCode());
    server.clock.advance(Duration.ofMinutes(10));
    runDue();
    assertEquals(0, mailsTo(sam).size(), "held back during quiet hours");
    server.clock.advance(Duration.ofHours(3));
    runDue();
    assertEquals(List.of("Alex shared something with you"), subjects(mailsTo(sam)));
  }

  @Test
  void aWithdrawnShareCancelsItsPendingEmail() {
    Api sam = server.register("Sam");
    Api alex = server.register("Alex");
    Pairing.pair(sam, alex);
    settings(alex, new JsonObject().put("email", "instant"));
    String shareId = putShare(sam, "soon withdrawn", "words", null);
    assertEquals(1, server.mongo().count("notify_outbox", new JsonObject()).await());
    assertEquals(204, sam.delete("/api/shares/" + shareId).statusCode());
    assertEquals(0, server.mongo().count("notify_outbox", new JsonObject()).await());
    server.clock.advance(Duration.ofMinutes(5));
    runDue();
    assertEquals(0, smtp.getReceivedMessages().length);
  }

  @Test
  void seenInTheAppBeforeItsTimeMeansNoEmail() {
    Api sam = server.register("Sam");
    Api alex = server.register("Alex");
    Pairing.pair(sam, alex);
    settings(alex, new JsonObject().put("email", "instant"));
    putShare(sam, "seen already", "words", null);
    JsonObject unread = alex.get("/api/me/unread").bodyAsJsonObject();
    assertEquals(1, unread.getInteger("count"));
    assertEquals(200, alex.put("/api/me/seen", new JsonObject().put("couple", unread.getLong("head"))).statusCode());
    server.clock.advance(Duration.ofMinutes(5));
    runDue();
    assertEquals(0, smtp.getReceivedMessages().length);
  }

  @Test
  void oneClickUnsubscribeWorksWithoutASessionAndATamperedTokenChangesNothing() throws Exception {
    Api sam = server.register("Sam");
    Api alex = server.register("Alex");
    Pairing.pair(sam, alex);
    settings(alex, new JsonObject().put("email", "instant"));
    settings(sam, new JsonObject().put("email", "instant"));
    putShare(sam, "a share", "words", null);
    server.clock.advance(Duration.ofMinutes(5));
    runDue();
    MimeMessage mail = mailsTo(alex).get(0);
    String url = mail.getHeader("List-Unsubscribe")[0];
    String path = url.substring("<http://localhost:9".length(), url.length() - 1);
    String token = path.substring(path.indexOf("token=") + 6);
    Api nobody = server.client();

    // Tampered: Sam's id with Alex's signature, a flipped signature, garbage.
    String samPart = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sam.id().getBytes());
    String sig = token.substring(token.indexOf('.') + 1);
    // The second-to-last character replaced by another (choosing by that character itself, or a token
    // whose second-to-last character is already the replacement would stay valid: a 1-in-64 flake).
    char second = token.charAt(token.length() - 2);
    String flipped = token.substring(0, token.length() - 2) + (second == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
    for (String bad : List.of(samPart + "." + sig, flipped, "nonsense", "")) {
      var r = oneClick(nobody, "/api/unsubscribe?token=" + bad);
      assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, bad + " -> " + r.statusCode());
    }
    assertEquals("instant", sam.get("/api/me/notifications").bodyAsJsonObject().getString("email"));
    assertEquals("instant", alex.get("/api/me/notifications").bodyAsJsonObject().getString("email"));

    var page = nobody.get(path);
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("method=\"post\""), page.bodyAsString());
    assertEquals("instant", alex.get("/api/me/notifications").bodyAsJsonObject().getString("email"), "GET changes nothing");

    var r = oneClick(nobody, path);
    assertEquals(204, r.statusCode(), r.bodyAsString());
    assertEquals("never", alex.get("/api/me/notifications").bodyAsJsonObject().getString("email"));
    assertEquals("instant", sam.get("/api/me/notifications").bodyAsJsonObject().getString("email"));

    putShare(sam, "another", "words", null);
    server.clock.advance(Duration.ofMinutes(5));
    runDue();
    assertEquals(1, mailsTo(alex).size(), "no more email after unsubscribing");
  }

  static io.vertx.ext.web.client.HttpResponse<Buffer> oneClick(Api api, String path) {
    return api.raw(HttpMethod.POST, path, Buffer.buffer("List-Unsubscribe=One-Click"), MultiMap.caseInsensitiveMultiMap(),
        "application/x-www-form-urlencoded");
  }

  @Test
  void aRestartMidQueueSendsEachEmailExactlyOnce(Vertx vertx, @TempDir Path dir) throws Exception {
    Map<String, String> settings = mailSettings();
    settings.put("data.dir", dir.toString());
    // This test restarts on the same data directory: the in-memory server makes way for file-backed ones.
    server.close();
    server = TestServer.startOn(vertx, settings);
    Api sam = server.register("Sam");
    Api alex = server.register("Alex");
    Pairing.pair(sam, alex);
    settings(alex, new JsonObject().put("email", "instant"));
    putShare(sam, "first", "words", null);
    server.clock.advance(Duration.ofMinutes(3));
    runDue();
    assertEquals(1, smtp.getReceivedMessages().length);
    putShare(sam, "second", "words", null);
    String third = putShare(sam, "third", "words", null);
    // A node that claimed the third and died mid-send: its lease holds for ten minutes.
    long leaseUntil = server.clock.instant().plus(Duration.ofMinutes(10)).toEpochMilli();
    assertEquals(1L, server.mongo().updateCollection("notify_outbox",
        new JsonObject().put("_id", "share:" + third + ":" + alex.id()),
        new JsonObject().put("$set", new JsonObject().put("leaseUntil", leaseUntil).put("leaseOwner", "dead-node"))).await().getDocModified());
    server.close();

    server = TestServer.startOn(vertx, settings);
    // A new TestClock starts at the real time again: move it past the second's due time (the first clock was 3 min ahead).
    server.clock.advance(Duration.ofMinutes(6));
    runDue();
    assertEquals(2, smtp.getReceivedMessages().length, "the second, not the first again, not the leased third");
    server.clock.advance(Duration.ofMinutes(10));
    runDue();
    runDue();
    MimeMessage[] all = smtp.getReceivedMessages();
    assertEquals(3, all.length);
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (MimeMessage m : all) ids.add(m.getHeader("X-Bridgework-Message")[0].replaceAll("@.*", ""));
    assertEquals(3, ids.size(), ids.toString());
    assertEquals(0, server.mongo().count("notify_outbox", new JsonObject()).await());
  }
}
