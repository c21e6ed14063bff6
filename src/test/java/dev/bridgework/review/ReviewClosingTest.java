package dev.bridgework.review;

import dev.bridgework.realtime.Stream;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closing a joint review (docs/REVIEW.md "Closing"): discussed items, cleared flags, carried-over items. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ReviewClosingTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  record Couple(Api alice, Api bob, String id) {}

  static Couple couple() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    var created = alice.post("/api/couple", new JsonObject());
    String code = created.bodyAsJsonObject().getJsonObject("invite").getString("code");
    var joined = bob.post("/api/couple/join", new JsonObject().put("code", code));
    assertEquals(200, joined.statusCode(), joined.bodyAsString());
    return new Couple(alice, bob, joined.bodyAsJsonObject().getJsonObject("couple").getString("id"));
  }

  static String newShare(Api author, String title, String intent) {
    String id = UUID.randomUUID().toString();
    var r = author.put("/api/shares/" + id, new JsonObject().put("title", title).put("intent", intent)
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", title + ", in my words."))));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    return id;
  }

  static void flag(Api api, String shareId) {
    assertEquals(200, api.put("/api/shares/" + shareId + "/counseling", new JsonObject().put("flag", true)).statusCode());
  }

  static JsonObject startReview(Api api) {
    var r = api.post("/api/reviews", new JsonObject());
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static JsonObject ok(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static String error(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> r, int status) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  static JsonObject share(Api api, String id) {
    var r = api.get("/api/shares/" + id);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static List<JsonObject> events(String coupleId) {
    Stream stream = Stream.couple(coupleId);
    long head = server.app.events().head(stream).await();
    return head == 0 ? List.of() : server.app.events().read(stream, 1, head).await();
  }

  @Test
  void closingMarksItemsDiscussedAndClearsTheirFlagsExceptCarriedOverOnes() {
    Couple c = couple();
    String settled = newShare(c.alice(), "Sunday mornings", "discuss");
    String carried = newShare(c.bob(), "Money worries", "discuss");
    String added = newShare(c.bob(), "Not flagged", "listen");
    flag(c.alice(), settled);
    flag(c.bob(), carried);
    JsonObject review = startReview(c.alice());
    String id = review.getString("id");
    ok(c.alice().put("/api/reviews/" + id + "/agenda",
        new JsonObject().put("shareIds", new JsonArray().add(settled).add(carried).add(added))));
    assertNull(share(c.alice(), settled).getValue("discussedAt"), "not discussed before the close");
    long before = events(c.id()).size();

    JsonObject closed = ok(c.bob().post("/api/reviews/" + id + "/close",
        new JsonObject().put("carryOver", new JsonArray().add(carried))));
    assertEquals("closed", closed.getString("status"));

    JsonObject s1 = share(c.bob(), settled);
    assertFalse(s1.getBoolean("counseling"), "a discussed item is no longer flagged");
    assertEquals(closed.getString("closedAt"), s1.getString("discussedAt"));
    JsonObject s2 = share(c.alice(), carried);
    assertTrue(s2.getBoolean("counseling"), "a carried-over item stays flagged");
    assertNull(s2.getValue("discussedAt"), "a carried-over item is not marked discussed");
    JsonObject s3 = share(c.alice(), added);
    assertFalse(s3.getBoolean("counseling"));
    assertEquals(closed.getString("closedAt"), s3.getString("discussedAt"));

    // The couple stream tells both screens: review.closed, then one share.flagged per changed share.
    List<JsonObject> after = events(c.id()).subList((int) before, events(c.id()).size());
    List<String> kinds = after.stream().map(e -> e.getString("kind")).toList();
    assertEquals(List.of("review.closed", "share.flagged", "share.flagged"), kinds, after.toString());
    assertTrue(after.get(1).getJsonObject("data").containsKey("discussedAt"));

    // The next review starts with what was carried over, and nothing that was settled.
    JsonObject next = startReview(c.alice());
    assertEquals(List.of(carried), next.getJsonArray("agenda").stream().map(o -> ((JsonObject) o).getString("shareId")).toList());
  }

  @Test
  void anEmptyBodyStillClosesAndClearsEveryFlag() {
    Couple c = couple();
    String s = newShare(c.alice(), "A quiet evening", "respond");
    flag(c.bob(), s);
    String id = startReview(c.alice()).getString("id");
    JsonObject closed = ok(c.alice().post("/api/reviews/" + id + "/close", new JsonObject()));
    assertFalse(share(c.alice(), s).getBoolean("counseling"));
    assertEquals(closed.getString("closedAt"), share(c.bob(), s).getString("discussedAt"));
    // Closing again answers the closed review and changes no share.
    long head = events(c.id()).size();
    ok(c.alice().post("/api/reviews/" + id + "/close",
        new JsonObject().put("carryOver", new JsonArray().add(s))));
    assertEquals(head, events(c.id()).size());
    assertFalse(share(c.alice(), s).getBoolean("counseling"));
  }

  @Test
  void aCarryOverThatIsNotOnTheAgendaIsRefusedAndChangesNothing() {
    Couple c = couple();
    String s = newShare(c.alice(), "On the agenda", "discuss");
    flag(c.alice(), s);
    String id = startReview(c.alice()).getString("id");
    String url = "/api/reviews/" + id + "/close";
    assertEquals("invalid", error(c.alice().post(url,
        new JsonObject().put("carryOver", new JsonArray().add(UUID.randomUUID().toString()))), 400));
    assertEquals("invalid", error(c.alice().post(url, new JsonObject().put("carryOver", "all")), 400));
    assertEquals("invalid", error(c.alice().post(url, new JsonObject().put("carryOver", new JsonArray().add(7))), 400));
    assertEquals("invalid", error(c.alice().post(url, new JsonObject().put("carryAll", true)), 400));
    assertEquals("open", ok(c.alice().get("/api/reviews/" + id)).getString("status"));
    assertTrue(share(c.alice(), s).getBoolean("counseling"));
  }
}
