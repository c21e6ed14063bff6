package dev.bridgework.prompt;

import dev.bridgework.couple.Pairing;
import dev.bridgework.realtime.Stream;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import dev.bridgework.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answer apart, reveal together (docs/PROMPTS.md), against the real in-process server: nothing of a
 * held answer reaches anyone before both are in (HTTP, both partners' sockets frame by frame, the
 * export, a review and its brief, the database's sizes), both answers arrive at once as one pair
 * share, and submissions, withdrawals and cancels racing each other reveal exactly once or not at all.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class PromptApiTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  record Couple(Api a, Api b, String id) {}

  static Couple couple() {
    Api a = server.register("Ada");
    Api b = server.register("Bo");
    return new Couple(a, b, Pairing.pair(a, b));
  }

  static String propose(Api api, String catalogId) {
    String id = UUID.randomUUID().toString();
    var r = api.put("/api/prompts/" + id, new JsonObject().put("promptId", catalogId));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  static JsonObject answers(String text) {
    return new JsonObject().put("answers", new JsonObject().put("moment", text));
  }

  static HttpResponse<Buffer> submit(Api api, String promptId, String text) {
    return api.put("/api/prompts/" + promptId + "/answer", answers(text));
  }

  /** The request without waiting: for racing two partners' requests against each other. */
  static Future<HttpResponse<Buffer>> async(Api api, HttpMethod method, String path, JsonObject body) {
    var request = api.http().request(method, path).timeout(30_000);
    if (body == null) return request.send();
    return request.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer());
  }

  static List<JsonObject> coupleEvents(String coupleId) {
    Stream stream = Stream.couple(coupleId);
    long head = server.app.events().head(stream).await();
    return server.app.events().read(stream, 1, head).await();
  }

  static long count(List<JsonObject> events, String kind, String id) {
    return events.stream().filter(e -> kind.equals(e.getString("kind")) && id.equals(e.getJsonObject("data").getString("id"))).count();
  }

  static JsonObject storedPrompt(String id) {
    return server.mongo().findOne("prompts", new JsonObject().put("_id", id), null).await();
  }

  @Test
  void theSecondSubmissionRevealsBothAnswersAsOnePairShareOnBothSockets() {
    Couple c = couple();
    try (WsClient wa = WsClient.open(c.a()); WsClient wb = WsClient.open(c.b())) {
      wa.welcomeAndResume();
      wb.welcomeAndResume();
      String id = propose(c.a(), "mirror-small-moment");
      var first = submit(c.a(), id, "Ada's moment: the quiet dinner");
      assertEquals(200, first.statusCode(), first.bodyAsString());
      JsonObject open = first.bodyAsJsonObject();
      assertEquals("open", open.getString("status"));
      assertEquals(true, open.getJsonObject("answered").getBoolean(c.a().id()));
      assertEquals(false, open.getJsonObject("answered").getBoolean(c.b().id()));
      assertNull(open.getString("shareId"));

      var second = submit(c.b(), id, "Bo's moment: the car ride");
      assertEquals(200, second.statusCode(), second.bodyAsString());
      JsonObject revealed = second.bodyAsJsonObject();
      assertEquals("revealed", revealed.getString("status"));
      String shareId = revealed.getString("shareId");
      assertNotNull(shareId);

      for (WsClient ws : List.of(wa, wb)) {
        JsonObject created = ws.await(f -> "share.created".equals(f.getString("kind")), Duration.ofSeconds(10));
        JsonObject share = created.getJsonObject("data");
        assertEquals("pair", share.getString("kind"));
        assertEquals(shareId, share.getString("id"));
        assertEquals(id, share.getString("promptId"));
        JsonArray excerpts = share.getJsonArray("excerpts");
        assertEquals(2, excerpts.size());
        assertEquals(c.a().id(), excerpts.getJsonObject(0).getString("authorId"), "the proposer's answer first");
        assertEquals("Ada's moment: the quiet dinner", excerpts.getJsonObject(0).getString("text"));
        assertEquals(c.b().id(), excerpts.getJsonObject(1).getString("authorId"));
        JsonObject event = ws.await(f -> "prompt.revealed".equals(f.getString("kind")), Duration.ofSeconds(10));
        assertEquals(shareId, event.getJsonObject("data").getString("shareId"));
      }
      // Both see the one pair in the joint space, and the prompt keeps no copy of the words.
      for (Api p : List.of(c.a(), c.b())) {
        var list = p.get("/api/shares").bodyAsJsonObject().getJsonArray("shares");
        assertEquals(1, list.size());
        assertEquals(shareId, list.getJsonObject(0).getString("id"));
      }
      assertTrue(storedPrompt(id).getJsonObject("answers").isEmpty());
      assertEquals(409, submit(c.a(), id, "again").statusCode());
      assertEquals(409, c.b().delete("/api/prompts/" + id + "/answer").statusCode());
      assertEquals(409, c.b().delete("/api/prompts/" + id).statusCode());
    }
  }

  @Test
  void neitherAnswerLeaksBeforeBothAreInThroughAnyDoor() {
    Couple c = couple();
    String secret = "held-secret-" + UUID.randomUUID();
    try (WsClient wa = WsClient.open(c.a()); WsClient wb = WsClient.open(c.b())) {
      wa.welcomeAndResume();
      wb.welcomeAndResume();
      // A flagged share and an open review, so the agenda and the brief have something to show.
      String shareId = UUID.randomUUID().toString();
      assertEquals(201, c.a().put("/api/shares/" + shareId, new JsonObject().put("title", "t").put("intent", "listen")
          .put("excerpts", new JsonArray().add(new JsonObject().put("text", "shared words")))).statusCode());
      assertEquals(200, c.a().put("/api/shares/" + shareId + "/counseling", new JsonObject().put("flag", true)).statusCode());
      var review = c.b().post("/api/reviews", new JsonObject());
      assertEquals(201, review.statusCode(), review.bodyAsString());
      String reviewId = review.bodyAsJsonObject().getString("id");

      String id = propose(c.b(), "after-a-hard-moment");
      var r = c.a().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers", new JsonObject()
          .put("felt", secret + " felt").put("needed", secret + " needed").put("part", "").put("next-step", secret)));
      assertEquals(200, r.statusCode(), r.bodyAsString());
      String stored = storedPrompt(id).getString("shareId");

      List<String> bodies = new ArrayList<>();
      for (Api p : List.of(c.a(), c.b())) {
        for (String path : List.of("/api/prompts", "/api/prompts/" + id, "/api/shares", "/api/me/export", "/api/reviews/" + reviewId,
            "/api/reviews/current", "/api/reviews/" + reviewId + "/brief?format=md", "/api/reviews/" + reviewId + "/brief?format=html")) {
          var got = p.get(path);
          assertEquals(200, got.statusCode(), path + " " + got.bodyAsString());
          bodies.add(path + " " + got.bodyAsString());
        }
        assertEquals(404, p.get("/api/shares/" + stored).statusCode(), "the future pair share does not exist yet");
        // Putting the hidden share's id on the agenda is refused: it is no share of this couple yet.
        assertEquals(400, p.put("/api/reviews/" + reviewId + "/agenda", new JsonObject().put("shareIds", new JsonArray().add(stored)))
            .statusCode());
      }
      for (WsClient ws : List.of(wa, wb)) {
        ws.await(f -> "prompt.updated".equals(f.getString("kind")), Duration.ofSeconds(10));
        ws.drain().forEach(f -> bodies.add("frame " + f.encode()));
      }
      // A socket opened now replays the whole stream: nothing there either.
      try (WsClient late = WsClient.open(c.b())) {
        late.awaitType("welcome", Duration.ofSeconds(10));
        late.send(new JsonObject().put("type", "resume").put("self", 0).put("couple", 0));
        late.awaitType("synced", Duration.ofSeconds(10));
        late.drain().forEach(f -> bodies.add("replay " + f.encode()));
      }
      for (String body : bodies) {
        assertFalse(body.contains(secret), "leaked: " + body);
        assertFalse(body.contains("felt\":") && body.contains(secret), body);
      }
      JsonObject prompt = c.b().get("/api/prompts/" + id).bodyAsJsonObject();
      assertEquals(Set(c.a().id(), c.b().id()), prompt.getJsonObject("answered").fieldNames());
      assertFalse(prompt.containsKey("answers"));
      // The database holds it sealed, and at one fixed size whatever was written.
      String dump = server.dumpDatabase();
      assertFalse(dump.contains(secret));
      String otherId = propose(c.a(), "after-a-hard-moment");
      assertEquals(200, c.b().put("/api/prompts/" + otherId + "/answer", new JsonObject().put("answers",
          new JsonObject().put("felt", "x"))).statusCode());
      int longOne = storedPrompt(id).getJsonObject("answers").getString(c.a().id()).length();
      int shortOne = storedPrompt(otherId).getJsonObject("answers").getString(c.b().id()).length();
      assertEquals(longOne, shortOne, "a held answer's stored size says nothing about its length");
    }
  }

  private static java.util.Set<String> Set(String... s) {
    return java.util.Set.of(s);
  }

  @Test
  void submittingAtTheSameInstantRevealsExactlyOnce() {
    Couple c = couple();
    for (int round = 0; round < 25; round++) {
      String id = propose(round % 2 == 0 ? c.a() : c.b(), "data-longing");
      JsonObject a = new JsonObject().put("answers", new JsonObject().put("longing", "a" + round));
      JsonObject b = new JsonObject().put("answers", new JsonObject().put("longing", "b" + round));
      var fa = async(c.a(), HttpMethod.PUT, "/api/prompts/" + id + "/answer", a);
      var fb = async(c.b(), HttpMethod.PUT, "/api/prompts/" + id + "/answer", b);
      Future.join(fa, fb).await();
      assertEquals(200, fa.result().statusCode(), fa.result().bodyAsString());
      assertEquals(200, fb.result().statusCode(), fb.result().bodyAsString());
      JsonObject prompt = c.a().get("/api/prompts/" + id).bodyAsJsonObject();
      assertEquals("revealed", prompt.getString("status"), "round " + round);
      String shareId = prompt.getString("shareId");
      var share = c.b().get("/api/shares/" + shareId);
      assertEquals(200, share.statusCode());
      JsonArray texts = share.bodyAsJsonObject().getJsonArray("excerpts");
      assertEquals(2, texts.size(), "round " + round + ": " + texts.encode());
      List<JsonObject> events = coupleEvents(c.id());
      assertEquals(1, count(events, "share.created", shareId), "round " + round + ": revealed once");
      assertEquals(1, count(events, "prompt.revealed", id), "round " + round);
    }
  }

  @Test
  void aWithdrawalRacingTheRevealEitherWithdrawsFirstOrLosesCleanly() {
    Couple c = couple();
    int withdrawn = 0;
    int revealed = 0;
    for (int round = 0; round < 25; round++) {
      String id = propose(c.a(), "data-longing");
      assertEquals(200, c.a().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers",
          new JsonObject().put("longing", "first " + round))).statusCode());
      var submit = async(c.b(), HttpMethod.PUT, "/api/prompts/" + id + "/answer",
          new JsonObject().put("answers", new JsonObject().put("longing", "second " + round)));
      var withdraw = async(c.a(), HttpMethod.DELETE, "/api/prompts/" + id + "/answer", null);
      Future.join(submit, withdraw).await();
      JsonObject prompt = c.b().get("/api/prompts/" + id).bodyAsJsonObject();
      List<JsonObject> events = coupleEvents(c.id());
      if (withdraw.result().statusCode() == 204) {
        withdrawn++;
        assertEquals(200, submit.result().statusCode(), submit.result().bodyAsString());
        assertEquals("open", prompt.getString("status"));
        assertEquals(false, prompt.getJsonObject("answered").getBoolean(c.a().id()));
        assertEquals(true, prompt.getJsonObject("answered").getBoolean(c.b().id()));
        assertEquals(0, count(events, "prompt.revealed", id));
        assertFalse(c.a().get("/api/shares").bodyAsString().contains("first " + round));
      } else {
        revealed++;
        assertEquals(409, withdraw.result().statusCode(), withdraw.result().bodyAsString());
        assertEquals("prompt_revealed", Pairing.errorCode(withdraw.result()));
        assertEquals("revealed", prompt.getString("status"));
        assertEquals(1, count(events, "share.created", prompt.getString("shareId")));
      }
    }
    assertEquals(25, withdrawn + revealed);
  }

  @Test
  void aCancelRacingTheRevealEitherCancelsFirstOrLosesCleanly() {
    Couple c = couple();
    for (int round = 0; round < 20; round++) {
      String id = propose(c.a(), "trust-next-step");
      assertEquals(200, c.a().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers",
          new JsonObject().put("step", "walk " + round))).statusCode());
      var submit = async(c.b(), HttpMethod.PUT, "/api/prompts/" + id + "/answer",
          new JsonObject().put("answers", new JsonObject().put("step", "call " + round)));
      var cancel = async(c.a(), HttpMethod.DELETE, "/api/prompts/" + id, null);
      Future.join(submit, cancel).await();
      List<JsonObject> events = coupleEvents(c.id());
      if (cancel.result().statusCode() == 204) {
        assertEquals(404, submit.result().statusCode(), submit.result().bodyAsString());
        assertEquals(404, c.b().get("/api/prompts/" + id).statusCode());
        assertEquals(0, count(events, "prompt.revealed", id));
        assertNull(storedPrompt(id));
      } else {
        assertEquals(409, cancel.result().statusCode(), cancel.result().bodyAsString());
        assertEquals(200, submit.result().statusCode());
        assertEquals("revealed", submit.result().bodyAsJsonObject().getString("status"));
        assertEquals(1, count(events, "prompt.revealed", id));
      }
    }
  }

  @Test
  void thePairIsAJointItemBothCanAcknowledgeFlagAndBringToTheBriefAndEitherCanWithdraw() {
    Couple c = couple();
    String id = propose(c.a(), "parts-loudest");
    assertEquals(200, c.a().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers",
        new JsonObject().put("part", "A part of me wants to fix it"))).statusCode());
    String shareId = c.b().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers",
        new JsonObject().put("part", "A part of me goes quiet"))).bodyAsJsonObject().getString("shareId");
    // Both acknowledge each other's answer; comments too.
    for (Api p : List.of(c.a(), c.b())) {
      var ack = p.put("/api/shares/" + shareId + "/responses/" + UUID.randomUUID(), new JsonObject().put("kind", "ack").put("ack", "hear_you"));
      assertEquals(201, ack.statusCode(), ack.bodyAsString());
    }
    // Nobody edits the pair.
    var edit = c.a().put("/api/shares/" + shareId, new JsonObject().put("title", "mine now").put("intent", "listen")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", "x"))).put("version", 1));
    assertEquals(403, edit.statusCode(), edit.bodyAsString());
    assertEquals(200, c.b().put("/api/shares/" + shareId + "/counseling", new JsonObject().put("flag", true)).statusCode());
    var review = c.a().post("/api/reviews", new JsonObject());
    assertEquals(201, review.statusCode());
    String reviewId = review.bodyAsJsonObject().getString("id");
    assertEquals(shareId, review.bodyAsJsonObject().getJsonArray("agenda").getJsonObject(0).getString("shareId"));
    String brief = c.b().get("/api/reviews/" + reviewId + "/brief?format=md").bodyAsString();
    assertTrue(brief.contains("Ada answered:") && brief.contains("A part of me wants to fix it"), brief);
    assertTrue(brief.contains("Bo answered:") && brief.contains("A part of me goes quiet"), brief);
    assertTrue(brief.contains("Answered apart, revealed together"), brief);
    // Each exports only their own answer.
    String exportB = c.b().get("/api/me/export").bodyAsString();
    assertTrue(exportB.contains("A part of me goes quiet"));
    assertFalse(exportB.contains("A part of me wants to fix it"));
    // The partner who did not propose it may take it back too: both answers go, everywhere.
    assertEquals(204, c.b().delete("/api/shares/" + shareId).statusCode());
    assertEquals(404, c.a().get("/api/shares/" + shareId).statusCode());
    String dump = server.dumpDatabase();
    assertFalse(dump.contains("A part of me"));
    assertTrue(c.a().get("/api/reviews/" + reviewId).bodyAsJsonObject().getJsonArray("agenda").isEmpty());
  }

  @Test
  void badRequestsAreRefusedAndRetriesAreHarmless() {
    Couple c = couple();
    assertEquals(400, c.a().put("/api/prompts/" + UUID.randomUUID(), new JsonObject().put("promptId", "no-such-prompt")).statusCode());
    assertEquals(400, c.a().put("/api/prompts/not-a-uuid", new JsonObject().put("promptId", "data-longing")).statusCode());
    String id = propose(c.a(), "data-longing");
    assertEquals(200, c.a().put("/api/prompts/" + id, new JsonObject().put("promptId", "data-longing")).statusCode());
    assertEquals(409, c.b().put("/api/prompts/" + id, new JsonObject().put("promptId", "trust-next-step")).statusCode());
    assertEquals(400, c.a().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers",
        new JsonObject().put("nope", "x"))).statusCode());
    assertEquals(400, c.a().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers",
        new JsonObject().put("longing", "  "))).statusCode());
    assertEquals(400, c.a().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers",
        new JsonObject().put("longing", "x".repeat(20_001)))).statusCode());
    assertEquals(404, c.a().delete("/api/prompts/" + id + "/answer").statusCode(), "nothing to withdraw yet");
    assertEquals(200, c.a().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers",
        new JsonObject().put("longing", "to be heard"))).statusCode());
    assertEquals(200, c.a().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers",
        new JsonObject().put("longing", "to be heard"))).statusCode(), "the same answer again is harmless");
    var changed = c.a().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers",
        new JsonObject().put("longing", "something else")));
    assertEquals(409, changed.statusCode());
    assertEquals("already_answered", Pairing.errorCode(changed));
    assertEquals(204, c.a().delete("/api/prompts/" + id + "/answer").statusCode());
    assertEquals(200, c.a().put("/api/prompts/" + id + "/answer", new JsonObject().put("answers",
        new JsonObject().put("longing", "something else"))).statusCode());
    assertEquals(204, c.b().delete("/api/prompts/" + id).statusCode(), "either partner may cancel");
    assertEquals(404, c.a().get("/api/prompts/" + id).statusCode());
    assertFalse(server.dumpDatabase().contains("something else"));
    Api alone = server.register("Alone");
    assertEquals(409, alone.get("/api/prompts").statusCode());
    assertEquals(200, alone.get("/api/prompt-catalog").statusCode());
  }

  @Test
  void heldWordsAreSealedAndTheirOwnersAlone() {
    Couple c = couple();
    String id = UUID.randomUUID().toString();
    JsonObject content = new JsonObject().put("type", "share").put("share", new JsonObject().put("title", "held-title-secret"));
    var saved = c.a().put("/api/held/" + id, new JsonObject().put("sealed", c.a().keys().seal("held", id, content)));
    assertEquals(201, saved.statusCode(), saved.bodyAsString());
    assertEquals(content, c.a().open("held", id, c.a().get("/api/held/" + id).bodyAsJsonObject().getJsonObject("sealed")));
    assertEquals(404, c.b().get("/api/held/" + id).statusCode());
    assertFalse(c.b().get("/api/held").bodyAsString().contains(id));
    assertFalse(c.b().get("/api/shares").bodyAsString().contains(id));
    assertEquals(400, c.a().put("/api/held/" + UUID.randomUUID(), new JsonObject().put("title", "clear")).statusCode());
    assertFalse(server.dumpDatabase().contains("held-title-secret"));
    assertEquals(204, c.a().delete("/api/held/" + id).statusCode());
  }
}
