package dev.bridgework.share;

import dev.bridgework.realtime.Stream;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
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

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.couple.Pairing.errorCode;
import static dev.bridgework.couple.Pairing.pair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ShareApiTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  /** Two partners, a stranger who is not paired, and another couple. */
  record People(Api alice, Api bob, String coupleId, Api carol, Api dan, Api erin, String otherCoupleId) {}

  static People people() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Api carol = server.register("Carol");
    Api dan = server.register("Dan");
    Api erin = server.register("Erin");
    return new People(alice, bob, pair(alice, bob), carol, dan, erin, pair(dan, erin));
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }

  static JsonObject share(String title, String... texts) {
    JsonArray excerpts = new JsonArray();
    for (String t : texts) excerpts.add(new JsonObject().put("text", t));
    return new JsonObject().put("title", title).put("excerpts", excerpts).put("intent", "respond");
  }

  static String unique(String label) {
    return label + "-" + UUID.randomUUID();
  }

  static JsonObject storedShare(String id) {
    return server.mongo().findOne("shares", new JsonObject().put("_id", id), null).await();
  }

  static List<JsonObject> coupleEvents(String coupleId) {
    Stream stream = Stream.couple(coupleId);
    long head = server.app.events().head(stream).await();
    return head == 0 ? List.of() : server.app.events().read(stream, 1, head).await();
  }

  static List<String> kinds(String coupleId) {
    return coupleEvents(coupleId).stream().map(e -> e.getString("kind")).toList();
  }

  static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, errorCode(r), r.bodyAsString());
  }

  static void assertInvalid(HttpResponse<Buffer> r, String field) {
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("invalid", error.getString("code"));
    assertEquals(field, error.getString("field"), r.bodyAsString());
  }

  static String insertReflection(Api owner, String exerciseId) {
    String id = newId();
    var r = owner.saveReflection(id, exerciseId, new JsonObject(), "draft", null);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  @Test
  void theAuthorSharesAndThePartnerSeesIt() {
    People p = people();
    String id = newId();
    String title = unique("title");
    JsonObject body = share(title, "first words", "second words").put("note", "just so you know").put("intent", "listen");
    var created = p.alice().put("/api/shares/" + id, body);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject s = created.bodyAsJsonObject();
    assertEquals(id, s.getString("id"));
    assertEquals(p.alice().id(), s.getString("authorId"));
    assertNull(s.getValue("reflectionId"));
    assertTrue(s.containsKey("reflectionId"));
    assertEquals(title, s.getString("title"));
    assertEquals(new JsonArray().add(new JsonObject().put("stepId", null).put("text", "first words"))
        .add(new JsonObject().put("stepId", null).put("text", "second words")), s.getJsonArray("excerpts"));
    assertEquals("just so you know", s.getString("note"));
    assertEquals("listen", s.getString("intent"));
    assertFalse(s.getBoolean("counseling"));
    assertEquals(new JsonArray(), s.getJsonArray("responses"));
    assertEquals(1L, s.getLong("version"));
    assertNotNull(s.getString("createdAt"));
    assertEquals(s.getString("createdAt"), s.getString("updatedAt"));

    var seen = p.bob().get("/api/shares/" + id);
    assertEquals(200, seen.statusCode());
    assertEquals(s, seen.bodyAsJsonObject());
    assertEquals(new JsonObject().put("shares", new JsonArray().add(s)), p.bob().get("/api/shares").bodyAsJsonObject());
    assertEquals(new JsonObject().put("shares", new JsonArray().add(s)), p.alice().get("/api/shares").bodyAsJsonObject());

    // Stored sealed with the couple's key; the words are nowhere in plain text.
    JsonObject stored = storedShare(id);
    assertTrue(stored.getString("title").startsWith("e2:"));
    assertTrue(stored.getString("excerpts").startsWith("e2:"));
    assertTrue(stored.getString("note").startsWith("e2:"));
    assertFalse(server.dumpDatabase().contains(title));
    assertFalse(server.dumpDatabase().contains("second words"));

    List<JsonObject> events = coupleEvents(p.coupleId());
    assertEquals(List.of("couple.joined", "share.created"), kinds(p.coupleId()));
    assertEquals(s, events.get(1).getJsonObject("data"));
  }

  @Test
  void bothPartnersSharesAreListedNewestFirst() {
    People p = people();
    String first = newId();
    String second = newId();
    String third = newId();
    assertEquals(201, p.alice().put("/api/shares/" + first, share("one", "a")).statusCode());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    assertEquals(201, p.bob().put("/api/shares/" + second, share("two", "b")).statusCode());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    assertEquals(201, p.alice().put("/api/shares/" + third, share("three", "c")).statusCode());
    for (Api api : List.of(p.alice(), p.bob())) {
      JsonArray list = api.get("/api/shares").bodyAsJsonObject().getJsonArray("shares");
      assertEquals(List.of(third, second, first), list.stream().map(o -> ((JsonObject) o).getString("id")).toList());
    }
    // The other couple sees none of it.
    assertEquals(new JsonArray(), p.dan().get("/api/shares").bodyAsJsonObject().getJsonArray("shares"));
  }

  @Test
  void repeatingAnIdenticalPutIsHarmless() {
    People p = people();
    String id = newId();
    JsonObject body = share(unique("t"), "same words");
    JsonObject created = p.alice().put("/api/shares/" + id, body).bodyAsJsonObject();
    var again = p.alice().put("/api/shares/" + id, body);
    assertEquals(200, again.statusCode());
    assertEquals(created, again.bodyAsJsonObject());
    // Whatever version it carries, and with the server's fields echoed back.
    JsonObject echoed = created.copy().put("version", 77).put("authorId", "someone").put("counseling", true);
    echoed.remove("reflectionId");
    var echo = p.alice().put("/api/shares/" + id, echoed);
    assertEquals(200, echo.statusCode(), echo.bodyAsString());
    assertEquals(created, echo.bodyAsJsonObject());
    assertEquals(List.of("couple.joined", "share.created"), kinds(p.coupleId()));
  }

  @Test
  void editsFollowTheVersionRules() {
    People p = people();
    String id = newId();
    p.alice().put("/api/shares/" + id, share("draft title", "words"));
    server.clock.advance(java.time.Duration.ofSeconds(5));
    var edited = p.alice().put("/api/shares/" + id, share("better title", "better words").put("version", 1));
    assertEquals(200, edited.statusCode(), edited.bodyAsString());
    JsonObject v2 = edited.bodyAsJsonObject();
    assertEquals(2L, v2.getLong("version"));
    assertEquals("better title", v2.getString("title"));
    assertNotEquals(v2.getString("createdAt"), v2.getString("updatedAt"));

    var stale = p.alice().put("/api/shares/" + id, share("stale title", "stale").put("version", 1));
    assertError(stale, 409, "version_conflict");
    assertEquals(v2, stale.bodyAsJsonObject().getJsonObject("current"));
    var noVersion = p.alice().put("/api/shares/" + id, share("no version", "x"));
    assertError(noVersion, 409, "version_conflict");
    assertEquals(v2, p.bob().get("/api/shares/" + id).bodyAsJsonObject());
    assertEquals(List.of("couple.joined", "share.created", "share.updated"), kinds(p.coupleId()));
  }

  @Test
  void thePartnerCanReadButNotChangeTheAuthorsShare() {
    People p = people();
    String id = newId();
    JsonObject created = p.alice().put("/api/shares/" + id, share("mine", "my words")).bodyAsJsonObject();
    server.settled();
    JsonObject before = storedShare(id);
    assertError(p.bob().put("/api/shares/" + id, share("hijacked", "other words").put("version", 1)), 403, "not_author");
    assertError(p.bob().delete("/api/shares/" + id), 403, "not_author");
    assertEquals(before, storedShare(id));
    assertEquals(created, p.bob().get("/api/shares/" + id).bodyAsJsonObject());
  }

  @Test
  void strangersAndOtherCouplesGetNotFoundEverywhere() {
    People p = people();
    String id = newId();
    String rid = newId();
    p.alice().put("/api/shares/" + id, share("private to us", "words"));
    p.bob().put("/api/shares/" + id + "/responses/" + rid, new JsonObject().put("kind", "ack").put("ack", "hear_you"));
    server.settled();
    JsonObject before = storedShare(id);
    List<String> kindsBefore = kinds(p.coupleId());
    for (Api outsider : List.of(p.carol(), p.dan(), p.erin())) {
      List<HttpResponse<Buffer>> answers = List.of(
          outsider.get("/api/shares/" + id),
          outsider.put("/api/shares/" + id, share("taken over", "x")),
          outsider.put("/api/shares/" + id, share("taken over", "x").put("version", 1)),
          outsider.delete("/api/shares/" + id),
          outsider.put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", true)),
          outsider.put("/api/shares/" + id + "/responses/" + newId(), new JsonObject().put("kind", "comment").put("text", "hi")),
          outsider.put("/api/shares/" + id + "/responses/" + rid, new JsonObject().put("kind", "ack").put("ack", "thank_you")),
          outsider.delete("/api/shares/" + id + "/responses/" + rid));
      for (var r : answers) assertError(r, 404, "not_found");
    }
    assertEquals(before, storedShare(id));
    assertEquals(kindsBefore, kinds(p.coupleId()));
    assertEquals(List.of("couple.joined"), kinds(p.otherCoupleId()));
    assertEquals(new JsonArray(), p.dan().get("/api/shares").bodyAsJsonObject().getJsonArray("shares"));
  }

  @Test
  void everyShareRouteNeedsASession() {
    Api anonymous = server.client();
    String id = newId();
    for (var r : List.of(anonymous.get("/api/shares"), anonymous.get("/api/shares/" + id), anonymous.put("/api/shares/" + id, share("t", "x")),
        anonymous.delete("/api/shares/" + id), anonymous.put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", true)),
        anonymous.put("/api/shares/" + id + "/responses/" + newId(), new JsonObject().put("kind", "ack").put("ack", "hear_you")),
        anonymous.delete("/api/shares/" + id + "/responses/" + newId()))) {
      assertError(r, 401, "unauthenticated");
    }
  }

  @Test
  void badShareBodiesAreRefusedNamingTheField() {
    People p = people();
    String id = newId();
    Api alice = p.alice();
    String path = "/api/shares/" + id;
    String bobsReflection = insertReflection(p.bob(), "mirror-recent-moment");
    String mine = insertReflection(alice, "mirror-recent-moment");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 21; i++) tooMany.add(new JsonObject().put("text", "x"));
    assertInvalid(alice.put(path, share("", "x")), "title");
    assertInvalid(alice.put(path, share("t".repeat(201), "x")), "title");
    assertInvalid(alice.put(path, share("t", "x").put("title", 5)), "title");
    assertInvalid(alice.put(path, share("t", "x").putNull("title")), "title");
    assertInvalid(alice.put(path, share("t")), "excerpts");
    assertInvalid(alice.put(path, share("t", "x").put("excerpts", tooMany)), "excerpts");
    assertInvalid(alice.put(path, share("t", "x").put("excerpts", "words")), "excerpts");
    assertInvalid(alice.put(path, share("t", "x").put("excerpts", new JsonArray().add("words"))), "excerpts[0]");
    assertInvalid(alice.put(path, share("t", "ok", "")), "excerpts[1].text");
    assertInvalid(alice.put(path, share("t", "x".repeat(20_001))), "excerpts[0].text");
    assertInvalid(alice.put(path, share("t", "x").put("excerpts", new JsonArray().add(new JsonObject().put("text", "x").put("mood", "sad")))), "excerpts[0].mood");
    assertInvalid(alice.put(path, share("t", "x").put("excerpts", new JsonArray().add(new JsonObject().put("text", "x").put("stepId", "what-happened")))), "excerpts[0].stepId");
    assertInvalid(alice.put(path, share("t", "x").put("intent", "shout")), "intent");
    assertInvalid(alice.put(path, share("t", "x").putNull("intent")), "intent");
    JsonObject noIntent = share("t", "x");
    noIntent.remove("intent");
    assertInvalid(alice.put(path, noIntent), "intent");
    assertInvalid(alice.put(path, share("t", "x").put("note", "n".repeat(20_001))), "note");
    assertInvalid(alice.put(path, share("t", "x").put("visibility", "all")), "visibility");
    assertInvalid(alice.put(path, share("t", "x").put("version", "one")), "version");
    assertInvalid(alice.put(path, share("t", "x").put("reflectionId", "not-a-uuid")), "reflectionId");
    assertInvalid(alice.put(path, share("t", "x").put("reflectionId", newId())), "reflectionId");
    assertInvalid(alice.put(path, share("t", "x").put("reflectionId", bobsReflection)), "reflectionId");
    assertInvalid(alice.put(path, share("t", "x").put("reflectionId", mine)
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", "x").put("stepId", "name-the-part")))), "excerpts[0].stepId");
    assertInvalid(alice.put("/api/shares/not-a-uuid", share("t", "x")), "id");
    var notJson = alice.raw(io.vertx.core.http.HttpMethod.PUT, path, Buffer.buffer("{"), null, "application/json");
    assertError(notJson, 400, "invalid_json");
    assertNull(storedShare(id));
    assertEquals(List.of("couple.joined"), kinds(p.coupleId()));
  }

  @Test
  void aShareCanQuoteStepsOfTheAuthorsOwnReflectionAsASnapshot() {
    People p = people();
    String reflectionId = insertReflection(p.alice(), "mirror-recent-moment");
    String id = newId();
    JsonObject body = share("from my reflection", "x").put("reflectionId", reflectionId).put("excerpts", new JsonArray()
        .add(new JsonObject().put("stepId", "what-happened").put("text", "reworded for you"))
        .add(new JsonObject().put("text", "and something new")));
    var created = p.alice().put("/api/shares/" + id, body);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject s = created.bodyAsJsonObject();
    assertEquals(reflectionId, s.getString("reflectionId"));
    assertEquals("what-happened", s.getJsonArray("excerpts").getJsonObject(0).getString("stepId"));

    // Later private edits (and even deleting the reflection) never reach the share.
    server.mongo().updateCollection("reflections", new JsonObject().put("_id", reflectionId),
        new JsonObject().put("$set", new JsonObject().put("sealed", new JsonObject().put("v", 1).put("iv", "changed").put("ct", "changed"))
            .put("exerciseId", "parts-meet-the-loudest"))
            .put("$inc", new JsonObject().put("version", 1))).await();
    assertEquals(s, p.bob().get("/api/shares/" + id).bodyAsJsonObject());
    server.mongo().removeDocument("reflections", new JsonObject().put("_id", reflectionId)).await();
    assertEquals(s, p.bob().get("/api/shares/" + id).bodyAsJsonObject());
    // The author can still edit the share, keeping its link and steps.
    var edited = p.alice().put("/api/shares/" + id, body.copy().put("title", "retitled").put("version", 1));
    assertEquals(200, edited.statusCode(), edited.bodyAsString());
    assertEquals(reflectionId, edited.bodyAsJsonObject().getString("reflectionId"));
  }

  @Test
  void responsesFollowWhoMayDoWhat() {
    People p = people();
    String id = newId();
    p.alice().put("/api/shares/" + id, share("listen to me", "words"));
    String ack = newId();
    String path = "/api/shares/" + id + "/responses/";

    var acked = p.bob().put(path + ack, new JsonObject().put("kind", "ack").put("ack", "hear_you"));
    assertEquals(201, acked.statusCode(), acked.bodyAsString());
    JsonObject response = acked.bodyAsJsonObject().getJsonArray("responses").getJsonObject(0);
    assertEquals(ack, response.getString("id"));
    assertEquals(p.bob().id(), response.getString("authorId"));
    assertEquals("ack", response.getString("kind"));
    assertEquals("hear_you", response.getString("ack"));
    assertNull(response.getValue("text"));
    assertNotNull(response.getString("createdAt"));
    assertEquals(1L, acked.bodyAsJsonObject().getLong("version")); // the author's version is untouched

    var repeat = p.bob().put(path + ack, new JsonObject().put("kind", "ack").put("ack", "hear_you").put("id", ack));
    assertEquals(200, repeat.statusCode());
    assertEquals(acked.bodyAsJsonObject(), repeat.bodyAsJsonObject());

    assertError(p.alice().put(path + newId(), new JsonObject().put("kind", "ack").put("ack", "thank_you")), 403, "forbidden");

    String comment = newId();
    String secret = unique("comment");
    var commented = p.alice().put(path + comment, new JsonObject().put("kind", "comment").put("text", secret));
    assertEquals(201, commented.statusCode());
    assertEquals(2, commented.bodyAsJsonObject().getJsonArray("responses").size());
    assertFalse(server.dumpDatabase().contains(secret));

    // Changing one's own response updates it in place.
    var changed = p.bob().put(path + ack, new JsonObject().put("kind", "comment").put("text", "tell me more?"));
    assertEquals(200, changed.statusCode());
    JsonObject updated = changed.bodyAsJsonObject().getJsonArray("responses").getJsonObject(0);
    assertEquals("comment", updated.getString("kind"));
    assertNull(updated.getValue("ack"));
    assertEquals("tell me more?", updated.getString("text"));
    assertEquals(response.getString("createdAt"), updated.getString("createdAt"));

    // Someone else's response: visible, not changeable.
    assertError(p.alice().put(path + ack, new JsonObject().put("kind", "comment").put("text", "edited")), 403, "forbidden");
    assertError(p.alice().delete(path + ack), 403, "forbidden");
    assertError(p.bob().delete(path + comment), 403, "forbidden");

    assertEquals(204, p.bob().delete(path + ack).statusCode());
    assertError(p.bob().delete(path + ack), 404, "not_found");
    JsonObject after = p.alice().get("/api/shares/" + id).bodyAsJsonObject();
    assertEquals(1, after.getJsonArray("responses").size());
    assertEquals(comment, after.getJsonArray("responses").getJsonObject(0).getString("id"));
    assertEquals(List.of("couple.joined", "share.created", "response.created", "response.created", "response.created", "response.deleted"),
        kinds(p.coupleId()));
  }

  @Test
  void badResponseBodiesAreRefusedNamingTheField() {
    People p = people();
    String id = newId();
    p.alice().put("/api/shares/" + id, share("t", "words"));
    String path = "/api/shares/" + id + "/responses/" + newId();
    Api bob = p.bob();
    assertInvalid(bob.put(path, new JsonObject()), "kind");
    assertInvalid(bob.put(path, new JsonObject().put("kind", "hug")), "kind");
    assertInvalid(bob.put(path, new JsonObject().put("kind", "ack")), "ack");
    assertInvalid(bob.put(path, new JsonObject().put("kind", "ack").put("ack", "whatever")), "ack");
    assertInvalid(bob.put(path, new JsonObject().put("kind", "ack").put("ack", "hear_you").put("text", "x")), "text");
    assertInvalid(bob.put(path, new JsonObject().put("kind", "comment")), "text");
    assertInvalid(bob.put(path, new JsonObject().put("kind", "comment").put("text", "")), "text");
    assertInvalid(bob.put(path, new JsonObject().put("kind", "comment").put("text", "x".repeat(20_001))), "text");
    assertInvalid(bob.put(path, new JsonObject().put("kind", "comment").put("text", "x").put("ack", "hear_you")), "ack");
    assertInvalid(bob.put(path, new JsonObject().put("kind", "comment").put("text", "x").put("emoji", "<3")), "emoji");
    assertInvalid(bob.put("/api/shares/" + id + "/responses/nope", new JsonObject().put("kind", "ack").put("ack", "hear_you")), "rid");
    assertError(bob.put("/api/shares/" + newId() + "/responses/" + newId(), new JsonObject().put("kind", "ack").put("ack", "hear_you")), 404, "not_found");
    assertEquals(0, storedShare(id).getJsonArray("responses").size());
  }

  @Test
  void eitherPartnerFlagsForCounseling() {
    People p = people();
    String id = newId();
    p.alice().put("/api/shares/" + id, share("for counseling?", "words"));
    var flagged = p.bob().put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", true));
    assertEquals(200, flagged.statusCode(), flagged.bodyAsString());
    assertTrue(flagged.bodyAsJsonObject().getBoolean("counseling"));
    assertEquals(1L, flagged.bodyAsJsonObject().getLong("version"));
    var again = p.alice().put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", true));
    assertEquals(200, again.statusCode());
    assertEquals(flagged.bodyAsJsonObject(), again.bodyAsJsonObject());
    var unflagged = p.alice().put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", false));
    assertFalse(unflagged.bodyAsJsonObject().getBoolean("counseling"));
    assertInvalid(p.alice().put("/api/shares/" + id + "/counseling", new JsonObject()), "flag");
    assertInvalid(p.alice().put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", "yes")), "flag");
    assertInvalid(p.alice().put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", true).put("why", "x")), "why");
    assertEquals(List.of("couple.joined", "share.created", "share.flagged", "share.flagged"), kinds(p.coupleId()));
    // The author's later edit keeps the flag (PUT ignores an echoed "counseling").
    var edit = p.alice().put("/api/shares/" + id, share("edited", "words").put("version", 1).put("counseling", true));
    assertEquals(200, edit.statusCode());
    assertFalse(edit.bodyAsJsonObject().getBoolean("counseling"));
  }

  @Test
  void withdrawalErasesTheTextEverywhereIncludingHistory() {
    People p = people();
    String id = newId();
    String keep = newId();
    String title = unique("withdrawn-title");
    String excerpt = unique("withdrawn-excerpt");
    String note = unique("withdrawn-note");
    String edited = unique("withdrawn-edit");
    String comment = unique("withdrawn-comment");
    String kept = unique("kept-title");
    p.alice().put("/api/shares/" + keep, share(kept, "stays"));
    p.alice().put("/api/shares/" + id, share(title, excerpt).put("note", note));
    p.alice().put("/api/shares/" + id, share(title, excerpt, edited).put("note", note).put("version", 1));
    p.bob().put("/api/shares/" + id + "/responses/" + newId(), new JsonObject().put("kind", "comment").put("text", comment));
    p.bob().put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", true));
    JsonObject sealed = storedShare(id);
    List<String> sealedValues = new ArrayList<>(List.of(sealed.getString("title"), sealed.getString("excerpts"), sealed.getString("note"),
        sealed.getJsonArray("responses").getJsonObject(0).getString("text")));
    for (JsonObject e : server.mongo().find("events", new JsonObject().put("key", p.coupleId())).await()) {
      if (e.getInteger("seq") > 2) sealedValues.add(e.getString("sealed"));
    }

    assertEquals(204, p.alice().delete("/api/shares/" + id).statusCode());
    assertError(p.alice().get("/api/shares/" + id), 404, "not_found");
    assertError(p.bob().get("/api/shares/" + id), 404, "not_found");
    assertError(p.alice().delete("/api/shares/" + id), 404, "not_found");
    JsonArray list = p.bob().get("/api/shares").bodyAsJsonObject().getJsonArray("shares");
    assertEquals(1, list.size());
    assertEquals(kept, list.getJsonObject(0).getString("title"));

    String dump = server.dumpDatabase();
    for (String text : List.of(title, excerpt, note, edited, comment)) assertFalse(dump.contains(text), text);
    for (String value : sealedValues) assertFalse(dump.contains(value), "a sealed copy is still stored");
    assertNull(storedShare(id));

    // The history is still numbered and complete, but the withdrawn share is only its id.
    List<JsonObject> events = coupleEvents(p.coupleId());
    assertEquals(List.of("couple.joined", "share.created", "share.created", "share.updated", "response.created", "share.flagged", "share.withdrawn"),
        events.stream().map(e -> e.getString("kind")).toList());
    for (JsonObject e : events.subList(2, 7)) assertEquals(new JsonObject().put("id", id), e.getJsonObject("data"));
    assertEquals(kept, events.get(1).getJsonObject("data").getString("title"));
    for (JsonObject e : events) {
      for (String text : List.of(title, excerpt, note, edited, comment)) assertFalse(e.encode().contains(text));
    }
  }

  @Test
  void dissolvingErasesEverySharedWordAndBothCanShareAgainWithSomeoneNew() {
    People p = people();
    String id = newId();
    String title = unique("dissolved-title");
    String excerpt = unique("dissolved-excerpt");
    String comment = unique("dissolved-comment");
    p.alice().put("/api/shares/" + id, share(title, excerpt).put("note", unique("note")));
    p.bob().put("/api/shares/" + newId(), share(unique("bob-title"), unique("bob-words")));
    p.bob().put("/api/shares/" + id + "/responses/" + newId(), new JsonObject().put("kind", "comment").put("text", comment));
    List<String> sealedValues = new ArrayList<>();
    for (JsonObject doc : server.mongo().find("shares", new JsonObject().put("coupleId", p.coupleId())).await()) {
      sealedValues.add(doc.getString("title"));
      sealedValues.add(doc.getString("excerpts"));
    }
    String otherCouplesShare = newId();
    String otherTitle = unique("other-couple");
    p.dan().put("/api/shares/" + otherCouplesShare, share(otherTitle, "theirs"));

    assertEquals(204, p.bob().delete("/api/couple").statusCode());
    String dump = server.dumpDatabase();
    for (String value : sealedValues) assertFalse(dump.contains(value));
    assertFalse(dump.contains(p.coupleId()), "nothing keyed by the dissolved couple remains");
    assertEquals(0L, server.mongo().count("shares", new JsonObject().put("coupleId", p.coupleId())).await());
    assertError(p.alice().get("/api/shares"), 409, "not_paired");
    assertError(p.alice().get("/api/shares/" + id), 404, "not_found");
    // The other couple is untouched.
    assertEquals(otherTitle, p.dan().get("/api/shares/" + otherCouplesShare).bodyAsJsonObject().getString("title"));

    // Pair again (Alice with Carol): a fresh joint space with nothing of the old one.
    String fresh = pair(p.alice(), p.carol());
    assertEquals(new JsonArray(), p.carol().get("/api/shares").bodyAsJsonObject().getJsonArray("shares"));
    assertEquals(201, p.alice().put("/api/shares/" + newId(), share("a new start", "words")).statusCode());
    assertEquals(List.of("couple.joined", "share.created"), kinds(fresh));
    assertEquals(201, p.bob().post("/api/couple", null).statusCode());
  }

  @Test
  void aShareIdOfAnotherCoupleCannotBeTakenOver() {
    People p = people();
    String id = newId();
    p.alice().put("/api/shares/" + id, share("ours", "words"));
    assertError(p.dan().put("/api/shares/" + id, share("theirs", "words")), 404, "not_found");
    assertEquals("ours", p.bob().get("/api/shares/" + id).bodyAsJsonObject().getString("title"));
    assertEquals(new JsonArray(), p.dan().get("/api/shares").bodyAsJsonObject().getJsonArray("shares"));
    JsonObject list = server.mongo().findOne("share_lists", new JsonObject().put("_id", p.otherCoupleId()), null).await();
    assertTrue(list == null || list.getJsonArray("ids").isEmpty());
  }

  @Test
  void concurrentResponsesFromBothPartnersAreAllKept() {
    People p = people();
    String id = newId();
    p.alice().put("/api/shares/" + id, share("many at once", "words"));
    List<io.vertx.core.Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(p.alice().http().put("/api/shares/" + id + "/responses/" + newId()).sendJsonObject(new JsonObject().put("kind", "comment").put("text", "a" + i)));
      all.add(p.bob().http().put("/api/shares/" + id + "/responses/" + newId()).sendJsonObject(new JsonObject().put("kind", "comment").put("text", "b" + i)));
    }
    io.vertx.core.Future.join(all).await();
    for (var f : all) assertEquals(201, f.result().statusCode(), f.result().bodyAsString());
    assertEquals(8, p.alice().get("/api/shares/" + id).bodyAsJsonObject().getJsonArray("responses").size());
  }

  @Test
  void aShareHoldsAtMostAHundredResponses() {
    People p = people();
    String id = newId();
    p.alice().put("/api/shares/" + id, share("popular", "words"));
    JsonArray planted = new JsonArray();
    for (int i = 0; i < 99; i++) {
      planted.add(new JsonObject().put("id", newId()).put("authorId", p.bob().id()).put("kind", "ack").put("ack", "hear_you")
          .putNull("text").put("createdAt", "2026-01-01T00:00:00.000Z"));
    }
    server.mongo().updateCollection("shares", new JsonObject().put("_id", id),
        new JsonObject().put("$set", new JsonObject().put("responses", planted))).await();
    String path = "/api/shares/" + id + "/responses/";
    assertEquals(201, p.bob().put(path + newId(), new JsonObject().put("kind", "ack").put("ack", "thank_you")).statusCode());
    assertInvalid(p.alice().put(path + newId(), new JsonObject().put("kind", "comment").put("text", "one too many")), "responses");
    assertEquals(100, storedShare(id).getJsonArray("responses").size());
    // Changing an existing one is still fine.
    String first = planted.getJsonObject(0).getString("id");
    assertEquals(200, p.bob().put(path + first, new JsonObject().put("kind", "ack").put("ack", "understand_more")).statusCode());
  }
}
