package dev.bridgework.held;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import dev.bridgework.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Hold this and remind me later" over the HTTP API (docs/PROMPTS.md "Held for later"): a reminder
 * is only a time, shown to its owner once due (in {@code /api/me/unread} as {@code heldDue} and on the
 * held item), exactly once, gone when the item is sent or let go; the partner learns nothing.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class HeldReminderApiTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  static String id() {
    return UUID.randomUUID().toString();
  }

  /** A share held for later, sealed as the web app seals it. */
  static String hold(Api api, String words) {
    String id = id();
    JsonObject content = new JsonObject().put("type", "share").put("shareId", id())
        .put("share", new JsonObject().put("title", words).put("intent", "listen")
            .put("excerpts", new JsonArray().add(new JsonObject().put("text", words))));
    var r = api.put("/api/held/" + id, new JsonObject().put("sealed", api.keys().seal("held", id, content)));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  static HttpResponse<Buffer> remind(Api api, String heldId, Instant at, String channel) {
    JsonObject body = new JsonObject().put("dueAt", at.toString());
    if (channel != null) body.put("channel", channel);
    return api.put("/api/held/" + heldId + "/reminder", body);
  }

  static JsonArray heldDue(Api api) {
    var r = api.get("/api/me/unread");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("heldDue");
  }

  static String field(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("field");
  }

  @Test
  void aDueReminderShowsOnceNotBeforeItsTimeAndGoesWithTheSentItem() {
    Api alex = server.register("Alex");
    Api sam = server.register("Sam");
    Pairing.pair(alex, sam);
    String heldId = hold(alex, "Planted held words");
    Instant at = server.clock.instant().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MILLIS);

    var r = remind(alex, heldId, at, "app");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(new JsonObject().put("heldId", heldId).put("dueAt", at.toString()).put("channel", "app").put("due", false),
        r.bodyAsJsonObject());
    assertEquals(200, remind(alex, heldId, at, "app").statusCode(), "the same again changes nothing");
    assertEquals(new JsonArray(), heldDue(alex), "not before its time");
    JsonObject item = alex.get("/api/held/" + heldId).bodyAsJsonObject();
    assertFalse(item.getJsonObject("reminder").getBoolean("due"));

    server.clock.advance(Duration.ofHours(3));
    assertEquals(new JsonArray().add(heldId), heldDue(alex), "due: listed once");
    assertEquals(new JsonArray().add(heldId), heldDue(alex), "and still once when asked again");
    JsonObject listed = alex.get("/api/held").bodyAsJsonObject().getJsonArray("held").getJsonObject(0);
    assertEquals(heldId, listed.getString("id"));
    assertTrue(listed.getJsonObject("reminder").getBoolean("due"));
    assertEquals(0, alex.get("/api/me/unread").bodyAsJsonObject().getInteger("count"), "a held reminder is not the partner's news");

    // Sam sees nothing of it: not in unread, not the item, not the reminder, and cannot change it.
    String samUnread = sam.get("/api/me/unread").bodyAsString();
    assertEquals(new JsonArray(), new JsonObject(samUnread).getJsonArray("heldDue"));
    assertFalse(samUnread.contains(heldId));
    assertEquals(404, sam.get("/api/held/" + heldId).statusCode());
    assertEquals(404, remind(sam, heldId, at, "email").statusCode());
    assertEquals(404, sam.delete("/api/held/" + heldId + "/reminder").statusCode());
    assertEquals("app", alex.get("/api/held/" + heldId).bodyAsJsonObject().getJsonObject("reminder").getString("channel"));

    // Sent: the web app shares it and deletes the held item; the reminder goes with it.
    assertEquals(204, alex.delete("/api/held/" + heldId).statusCode());
    assertEquals(new JsonArray(), heldDue(alex));
    assertEquals(404, alex.delete("/api/held/" + heldId + "/reminder").statusCode());
    assertEquals(404, remind(alex, heldId, at, "app").statusCode(), "no reminder for an item that is gone");
    JsonObject person = server.mongo().findOne("notify_people", new JsonObject().put("_id", alex.id()), null).await();
    assertFalse(person.encode().contains(heldId), "the reminder is gone: " + person.encode());
    assertEquals(0, server.mongo().count("notify_outbox", new JsonObject().put("heldId", heldId)).await());
  }

  @Test
  void snoozingMovesTheReminderAndKeepHoldingWithoutOneRemovesIt() {
    Api alex = server.register("Alex");
    String heldId = hold(alex, "words");
    Instant now = server.clock.instant();
    assertEquals(201, remind(alex, heldId, now.minusSeconds(1), null).statusCode(), "a time already past is due at once");
    assertEquals(new JsonArray().add(heldId), heldDue(alex));

    // Snoozed by two hours (the test clock is the server's; sessions would expire over days).
    var snoozed = remind(alex, heldId, now.plus(Duration.ofHours(2)), "app");
    assertEquals(200, snoozed.statusCode(), snoozed.bodyAsString());
    assertFalse(snoozed.bodyAsJsonObject().getBoolean("due"));
    assertEquals(new JsonArray(), heldDue(alex), "snoozed: gone until the new time");
    server.clock.advance(Duration.ofHours(2));
    assertEquals(new JsonArray().add(heldId), heldDue(alex));

    assertEquals(204, alex.delete("/api/held/" + heldId + "/reminder").statusCode());
    assertEquals(new JsonArray(), heldDue(alex));
    JsonObject item = alex.get("/api/held/" + heldId).bodyAsJsonObject();
    assertTrue(item.containsKey("reminder"));
    assertNull(item.getValue("reminder"), "still held, with no reminder");
    assertEquals(404, alex.delete("/api/held/" + heldId + "/reminder").statusCode());

    // Let go: the item and any reminder go.
    assertEquals(201, remind(alex, heldId, server.clock.instant(), "app").statusCode());
    assertEquals(204, alex.delete("/api/held/" + heldId).statusCode());
    assertEquals(new JsonArray(), heldDue(alex));
  }

  @Test
  void badInputIsA400NamingTheFieldAndChangesNothing() {
    Api alex = server.register("Alex");
    String heldId = hold(alex, "words");
    Instant soon = server.clock.instant().plus(Duration.ofHours(1));
    String path = "/api/held/" + heldId + "/reminder";
    List<Object[]> cases = List.of(
        new Object[] {new JsonObject(), "dueAt"},
        new Object[] {new JsonObject().put("dueAt", "this evening"), "dueAt"},
        new Object[] {new JsonObject().put("dueAt", 12), "dueAt"},
        new Object[] {new JsonObject().put("dueAt", server.clock.instant().plus(Duration.ofDays(400)).toString()), "dueAt"},
        new Object[] {new JsonObject().put("dueAt", soon.toString()).put("channel", "sms"), "channel"},
        new Object[] {new JsonObject().put("dueAt", soon.toString()).put("note", "why"), "note"});
    for (Object[] c : cases) {
      var r = alex.put(path, (JsonObject) c[0]);
      assertEquals(400, r.statusCode(), c[0] + " -> " + r.bodyAsString());
      assertEquals(c[1], field(r), r.bodyAsString());
    }
    assertEquals(400, alex.put("/api/held/not-a-uuid/reminder", new JsonObject().put("dueAt", soon.toString())).statusCode());
    assertEquals(404, remind(alex, id(), soon, "app").statusCode(), "no such held item");
    assertNull(alex.get("/api/held/" + heldId).bodyAsJsonObject().getValue("reminder"), "nothing was stored");
    assertEquals(401, server.client().put(path, new JsonObject().put("dueAt", soon.toString())).statusCode());
  }

  @Test
  void theOwnersOtherDevicesHearOfItAndThePartnersSocketHearsNothing() {
    Api alex = server.register("Alex");
    Api sam = server.register("Sam");
    Pairing.pair(alex, sam);
    String heldId = hold(alex, "words");
    Instant at = server.clock.instant().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);
    try (WsClient phone = WsClient.open(alex.anotherDevice()); WsClient partner = WsClient.open(sam)) {
      phone.welcomeAndResume();
      partner.welcomeAndResume();
      assertEquals(201, remind(alex, heldId, at, "app").statusCode());
      JsonObject event = phone.await(m -> "held.reminder".equals(m.getString("kind")), Duration.ofSeconds(10));
      assertEquals(heldId, event.getJsonObject("data").getString("id"));
      assertEquals(at.toString(), event.getJsonObject("data").getJsonObject("reminder").getString("dueAt"));
      assertEquals(204, alex.delete("/api/held/" + heldId + "/reminder").statusCode());
      JsonObject gone = phone.await(m -> "held.reminder".equals(m.getString("kind"))
          && m.getJsonObject("data").getValue("reminder") == null, Duration.ofSeconds(10));
      assertEquals(heldId, gone.getJsonObject("data").getString("id"));
      // A couple event after Alex's, so anything of Alex's would have reached Sam's socket by now.
      String shareId = id();
      assertEquals(201, alex.put("/api/shares/" + shareId, new JsonObject().put("title", "t").put("intent", "listen")
          .put("excerpts", new JsonArray().add(new JsonObject().put("text", "x")))).statusCode());
      partner.await(m -> {
        assertFalse(m.encode().contains(heldId) || "held.reminder".equals(m.getString("kind")), m.encode());
        return "share.created".equals(m.getString("kind"));
      }, Duration.ofSeconds(10));
    }
  }
}
