package dev.bridgework.reflection;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.testing.Checks.assertError;
import static dev.bridgework.testing.Checks.assertInvalid;
import static dev.bridgework.testing.Checks.selfEvents;
import static dev.bridgework.testing.Checks.selfHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reflections: saving with autosave and conflicts, ownership, validation against the exercise, encryption. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReflectionApiTest {
  /** mirror-recent-moment: what-happened (text), what-you-felt (emotions), how-strong (scale 0..10), ... */
  static final String MIRROR = "mirror-recent-moment";
  /** parts-meet-the-loudest: name-the-part (part), ... */
  static final String PARTS = "parts-meet-the-loudest";
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }

  static JsonObject draft(String text) {
    return new JsonObject().put("exerciseId", MIRROR).put("status", "draft").put("answers", new JsonObject()
        .put("what-happened", text)
        .put("what-you-felt", new JsonArray().add("lonely").add("a feeling of my own"))
        .put("how-strong", 7));
  }

  static JsonObject stored(String id) {
    return server.mongo().findOne("reflections", new JsonObject().put("_id", id), null).await();
  }

  static JsonObject create(Api api, String id, JsonObject body) {
    var r = api.put("/api/reflections/" + id, body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static long count(Api owner) {
    return server.mongo().count("reflections", new JsonObject().put("ownerId", owner.id())).await();
  }

  @Test
  void ownerCreatesReadsUpdatesAndDeletesAReflection() {
    Api alice = server.register("Alice");
    String id = newId();
    long head = selfHead(server, alice.id());

    JsonObject created = create(alice, id, draft("We ate dinner in silence."));
    assertEquals(id, created.getString("id"));
    assertEquals(MIRROR, created.getString("exerciseId"));
    assertEquals(draft("We ate dinner in silence.").getJsonObject("answers"), created.getJsonObject("answers"));
    assertEquals("draft", created.getString("status"));
    assertEquals(1L, created.getLong("version"));
    assertNotNull(created.getString("createdAt"));
    assertEquals(created.getString("createdAt"), created.getString("updatedAt"));

    assertEquals(created, alice.get("/api/reflections/" + id).bodyAsJsonObject());

    server.clock.advance(Duration.ofSeconds(3));
    JsonObject body = draft("We ate dinner in silence, and I felt far away.").put("status", "complete").put("version", 1);
    var updated = alice.put("/api/reflections/" + id, body);
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
    JsonObject v2 = updated.bodyAsJsonObject();
    assertEquals(2L, v2.getLong("version"));
    assertEquals("complete", v2.getString("status"));
    assertEquals("We ate dinner in silence, and I felt far away.", v2.getJsonObject("answers").getString("what-happened"));
    assertEquals(created.getString("createdAt"), v2.getString("createdAt"));
    assertFalse(created.getString("updatedAt").equals(v2.getString("updatedAt")));
    assertEquals(v2, alice.get("/api/reflections/" + id).bodyAsJsonObject());

    var list = alice.get("/api/reflections").bodyAsJsonObject();
    assertEquals(new JsonArray().add(v2), list.getJsonArray("reflections"));
    assertTrue(list.containsKey("next"));
    assertNull(list.getValue("next"));

    assertEquals(204, alice.delete("/api/reflections/" + id).statusCode());
    assertNull(stored(id));
    assertError(alice.get("/api/reflections/" + id), 404, "not_found", null);
    assertError(alice.delete("/api/reflections/" + id), 404, "not_found", null);

    List<JsonObject> events = selfEvents(server, alice.id());
    assertEquals(head + 3, events.size());
    assertEquals("reflection.saved", events.get((int) head).getString("kind"));
    assertEquals(created, events.get((int) head).getJsonObject("data"));
    assertEquals("reflection.saved", events.get((int) head + 1).getString("kind"));
    assertEquals(v2, events.get((int) head + 1).getJsonObject("data"));
    assertEquals("reflection.deleted", events.get((int) head + 2).getString("kind"));
    assertEquals(new JsonObject().put("id", id), events.get((int) head + 2).getJsonObject("data"));
    events.forEach(e -> assertEquals("self", e.getString("stream")));
  }

  @Test
  void anyStepMayBeLeftOutAndNullClearsOne() {
    Api alice = server.register("Alice");
    String id = newId();
    JsonObject empty = create(alice, id, new JsonObject().put("exerciseId", MIRROR).put("answers", new JsonObject())
        .put("status", "complete"));
    assertEquals(new JsonObject(), empty.getJsonObject("answers"));
    var cleared = alice.put("/api/reflections/" + id, new JsonObject().put("exerciseId", MIRROR).put("status", "draft")
        .put("answers", new JsonObject().put("what-happened", null).put("how-strong", 0)).put("version", 1));
    assertEquals(200, cleared.statusCode(), cleared.bodyAsString());
    assertEquals(new JsonObject().put("what-happened", null).put("how-strong", 0), cleared.bodyAsJsonObject().getJsonObject("answers"));
  }

  @Test
  void anIdenticalRepeatAnswersTheStoredReflectionWhateverItsVersion() {
    Api alice = server.register("Alice");
    String id = newId();
    JsonObject created = create(alice, id, draft("Same words."));
    long head = selfHead(server, alice.id());
    server.clock.advance(Duration.ofMinutes(1));
    for (JsonObject again : List.of(draft("Same words."), draft("Same words.").put("version", 1),
        draft("Same words.").put("version", 17), reordered(draft("Same words.")),
        // Server-set fields echoed back are ignored; a whole-number double is the same scale value.
        draft("Same words.").put("id", id).put("createdAt", "x").put("updatedAt", "y"))) {
      var r = alice.put("/api/reflections/" + id, again);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(created, r.bodyAsJsonObject());
    }
    JsonObject asDouble = draft("Same words.");
    asDouble.getJsonObject("answers").put("how-strong", 7.0);
    assertEquals(created, alice.put("/api/reflections/" + id, asDouble).bodyAsJsonObject());
    assertEquals(1L, stored(id).getLong("version"));
    assertEquals(head, selfHead(server, alice.id()), "nothing changed, so no event");
  }

  /** The same body with its answers in another key order. */
  private static JsonObject reordered(JsonObject body) {
    JsonObject answers = body.getJsonObject("answers");
    JsonObject reversed = new JsonObject();
    List<String> names = new java.util.ArrayList<>(answers.fieldNames());
    java.util.Collections.reverse(names);
    names.forEach(n -> reversed.put(n, answers.getValue(n)));
    return new JsonObject().put("status", body.getString("status")).put("answers", reversed)
        .put("exerciseId", body.getString("exerciseId"));
  }

  @Test
  void aStaleVersionFromAnotherDeviceIsAConflictAndOverwritesNothing() {
    Api phone = server.register("Alice");
    Api laptop = phone.anotherDevice();
    String id = newId();
    create(phone, id, draft("First draft."));

    var fromPhone = phone.put("/api/reflections/" + id, draft("Edited on the phone.").put("version", 1));
    assertEquals(200, fromPhone.statusCode(), fromPhone.bodyAsString());
    JsonObject current = fromPhone.bodyAsJsonObject();
    long head = selfHead(server, phone.id());

    var fromLaptop = laptop.put("/api/reflections/" + id, draft("Edited on the laptop.").put("version", 1));
    assertError(fromLaptop, 409, "version_conflict", null);
    assertEquals(current, fromLaptop.bodyAsJsonObject().getJsonObject("current"));
    // "Omit when creating": without a version, an existing reflection is a conflict too.
    var blind = laptop.put("/api/reflections/" + id, draft("Edited on the laptop."));
    assertError(blind, 409, "version_conflict", null);
    assertEquals(current, blind.bodyAsJsonObject().getJsonObject("current"));

    assertEquals(current, laptop.get("/api/reflections/" + id).bodyAsJsonObject());
    assertEquals(2L, stored(id).getLong("version"));
    assertEquals(head, selfHead(server, phone.id()));

    var merged = laptop.put("/api/reflections/" + id, draft("Merged.").put("version", 2));
    assertEquals(200, merged.statusCode());
    assertEquals(3L, merged.bodyAsJsonObject().getLong("version"));
  }

  @Test
  void twoDevicesSavingTheSameVersionAtOnceNeverBothWin() throws Exception {
    Api phone = server.register("Alice");
    Api laptop = phone.anotherDevice();
    String id = newId();
    create(phone, id, draft("Start."));
    for (long version = 1; version <= 6; version++) {
      long v = version;
      var a = CompletableFuture.supplyAsync(() -> phone.put("/api/reflections/" + id, draft("phone " + v).put("version", v)));
      var b = CompletableFuture.supplyAsync(() -> laptop.put("/api/reflections/" + id, draft("laptop " + v).put("version", v)));
      List<Integer> statuses = List.of(a.get().statusCode(), b.get().statusCode());
      assertTrue(statuses.contains(200) && statuses.contains(409), statuses.toString());
      var winner = a.get().statusCode() == 200 ? a.get() : b.get();
      var loser = a.get().statusCode() == 200 ? b.get() : a.get();
      assertEquals(v + 1, winner.bodyAsJsonObject().getLong("version"));
      assertEquals(winner.bodyAsJsonObject(), loser.bodyAsJsonObject().getJsonObject("current"));
      assertEquals(winner.bodyAsJsonObject(), phone.get("/api/reflections/" + id).bodyAsJsonObject());
    }
  }

  @Test
  void aDeletedReflectionIsNotRevivedByALateAutosave() {
    Api phone = server.register("Alice");
    String id = newId();
    create(phone, id, draft("Soon gone."));
    assertEquals(204, phone.anotherDevice().delete("/api/reflections/" + id).statusCode());
    assertError(phone.put("/api/reflections/" + id, draft("Late autosave.").put("version", 1)), 404, "not_found", null);
    assertNull(stored(id));
  }

  @Test
  void partnerAndStrangerGetNotFoundForEveryRouteAndChangeNothing() {
    Api alice = server.register("Alice");
    Api partner = server.register("Bob");
    Api stranger = server.register("Stranger");
    String id = newId();
    JsonObject created = create(alice, id, draft("Only mine."));
    JsonObject before = stored(id);
    long head = selfHead(server, alice.id());

    for (Api other : List.of(partner, stranger)) {
      assertError(other.get("/api/reflections/" + id), 404, "not_found", null);
      assertError(other.put("/api/reflections/" + id, draft("Overwritten.")), 404, "not_found", null);
      assertError(other.put("/api/reflections/" + id, draft("Overwritten.").put("version", 1)), 404, "not_found", null);
      assertError(other.put("/api/reflections/" + id, draft("Only mine.")), 404, "not_found", null);
      assertError(other.delete("/api/reflections/" + id), 404, "not_found", null);
      assertEquals(0, other.get("/api/reflections").bodyAsJsonObject().getJsonArray("reflections").size());
      assertEquals(0, other.get("/api/reflections?exerciseId=" + MIRROR).bodyAsJsonObject().getJsonArray("reflections").size());
      assertEquals(0, count(other));
      assertEquals(0, selfHead(server, other.id()));
    }
    assertEquals(before, stored(id));
    assertEquals(created, alice.get("/api/reflections/" + id).bodyAsJsonObject());
    assertEquals(head, selfHead(server, alice.id()));
  }

  @Test
  void withoutASessionEveryRouteIsUnauthenticated() {
    Api alice = server.register("Alice");
    String id = newId();
    JsonObject created = create(alice, id, draft("Mine."));
    Api nobody = server.client();
    assertError(nobody.get("/api/reflections"), 401, "unauthenticated", null);
    assertError(nobody.get("/api/reflections/" + id), 401, "unauthenticated", null);
    assertError(nobody.put("/api/reflections/" + id, draft("Changed.").put("version", 1)), 401, "unauthenticated", null);
    assertError(nobody.put("/api/reflections/" + newId(), draft("New.")), 401, "unauthenticated", null);
    assertError(nobody.delete("/api/reflections/" + id), 401, "unauthenticated", null);
    assertEquals(created, alice.get("/api/reflections/" + id).bodyAsJsonObject());
    assertEquals(1, count(alice));
  }

  @Test
  void answersAreValidatedAgainstTheExerciseStepsAndNothingIsStored() {
    Api alice = server.register("Alice");
    String id = newId();
    String put = "/api/reflections/" + id;
    assertInvalid(alice.put(put, draft("x").put("exerciseId", "no-such-exercise")), "exerciseId");
    assertInvalid(alice.put(put, draft("x").put("exerciseId", 12)), "exerciseId");
    assertInvalid(alice.put(put, draft("x").put("exerciseId", null)), "exerciseId");
    assertInvalid(alice.put(put, withAnswer("some-step", "hello")), "answers.some-step");
    assertInvalid(alice.put(put, withAnswer("what-happened", 42)), "answers.what-happened");
    assertInvalid(alice.put(put, withAnswer("what-happened", "x".repeat(20_001))), "answers.what-happened");
    assertInvalid(alice.put(put, withAnswer("what-happened", "nul \u0000")), "answers.what-happened");
    assertInvalid(alice.put(put, withAnswer("how-strong", 11)), "answers.how-strong");
    assertInvalid(alice.put(put, withAnswer("how-strong", -1)), "answers.how-strong");
    assertInvalid(alice.put(put, withAnswer("how-strong", 5.5)), "answers.how-strong");
    assertInvalid(alice.put(put, withAnswer("how-strong", "5")), "answers.how-strong");
    assertInvalid(alice.put(put, withAnswer("how-strong", true)), "answers.how-strong");
    assertInvalid(alice.put(put, withAnswer("what-you-felt", "sad")), "answers.what-you-felt");
    assertInvalid(alice.put(put, withAnswer("what-you-felt", new JsonArray().add(3))), "answers.what-you-felt");
    assertInvalid(alice.put(put, withAnswer("what-you-felt", new JsonArray().add(""))), "answers.what-you-felt");
    assertInvalid(alice.put(put, withAnswer("what-you-felt", new JsonArray().add("x".repeat(51)))), "answers.what-you-felt");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 31; i++) tooMany.add("feeling " + i);
    assertInvalid(alice.put(put, withAnswer("what-you-felt", tooMany)), "answers.what-you-felt");
    assertInvalid(alice.put(put, draft("x").put("answers", "not an object")), "answers");
    assertInvalid(alice.put(put, draft("x").put("answers", new JsonArray())), "answers");
    assertInvalid(alice.put(put, draft("x").put("status", "finished")), "status");
    assertInvalid(alice.put(put, draft("x").put("status", null)), "status");
    assertInvalid(alice.put(put, new JsonObject().put("exerciseId", MIRROR).put("answers", new JsonObject())), "status");
    assertInvalid(alice.put(put, new JsonObject().put("exerciseId", MIRROR).put("status", "draft")), "answers");
    assertInvalid(alice.put(put, draft("x").put("mood", "fine")), "mood");
    assertInvalid(alice.put(put, draft("x").put("version", "1")), "version");
    assertInvalid(alice.put(put, draft("x").put("version", 1.5)), "version");
    assertInvalid(alice.put("/api/reflections/not-a-uuid", draft("x")), "id");
    assertInvalid(alice.get("/api/reflections/not-a-uuid"), "id");
    assertInvalid(alice.delete("/api/reflections/not-a-uuid"), "id");
    assertError(alice.raw(io.vertx.core.http.HttpMethod.PUT, put, io.vertx.core.buffer.Buffer.buffer("[1,2]"), null,
        "application/json"), 400, "invalid_json", null);
    assertNull(stored(id));
    assertEquals(0, selfHead(server, alice.id()));

    // The edges of each rule are allowed.
    JsonObject edges = draft("x".repeat(20_000));
    JsonArray thirty = new JsonArray();
    for (int i = 0; i < 30; i++) thirty.add("f".repeat(50 - String.valueOf(i).length()) + i);
    edges.getJsonObject("answers").put("how-strong", 10).put("what-you-felt", thirty);
    assertEquals(201, alice.put(put, edges).statusCode());
  }

  private static JsonObject withAnswer(String step, Object value) {
    JsonObject body = draft("Fine text.");
    body.getJsonObject("answers").put(step, value);
    return body;
  }

  @Test
  void aReflectionStaysWithItsExercise() {
    Api alice = server.register("Alice");
    String id = newId();
    create(alice, id, draft("Mirror."));
    var moved = alice.put("/api/reflections/" + id, new JsonObject().put("exerciseId", "free-blank-page")
        .put("answers", new JsonObject()).put("status", "draft").put("version", 1));
    assertInvalid(moved, "exerciseId");
    assertEquals(MIRROR, stored(id).getString("exerciseId"));
  }

  @Test
  void aPartAnswerMustBeOneOfTheCallersOwnParts() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String alicePart = newId();
    String bobPart = newId();
    assertEquals(201, alice.put("/api/parts/" + alicePart, new JsonObject().put("name", "The Critic")).statusCode());
    assertEquals(201, bob.put("/api/parts/" + bobPart, new JsonObject().put("name", "Bob's part")).statusCode());

    String id = newId();
    assertInvalid(alice.put("/api/reflections/" + id, partsReflection(bobPart)), "answers.name-the-part");
    assertInvalid(alice.put("/api/reflections/" + id, partsReflection(newId())), "answers.name-the-part");
    assertInvalid(alice.put("/api/reflections/" + id, partsReflection("the critic")), "answers.name-the-part");
    assertNull(stored(id));

    JsonObject withPart = create(alice, id, partsReflection(alicePart.toUpperCase()));
    assertEquals(alicePart, withPart.getJsonObject("answers").getString("name-the-part"));
    var none = alice.put("/api/reflections/" + id, partsReflection(null).put("version", 1));
    assertEquals(200, none.statusCode());
    assertNull(none.bodyAsJsonObject().getJsonObject("answers").getValue("name-the-part"));
  }

  @Test
  void aReflectionPointingAtADeletedPartStillReadsAndSaves() {
    Api alice = server.register("Alice");
    String partId = newId();
    assertEquals(201, alice.put("/api/parts/" + partId, new JsonObject().put("name", "The Worrier")).statusCode());
    String id = newId();
    JsonObject created = create(alice, id, partsReflection(partId));
    assertEquals(204, alice.delete("/api/parts/" + partId).statusCode());

    // The answer keeps the id (the app shows the part as removed); reading is unaffected.
    var read = alice.get("/api/reflections/" + id);
    assertEquals(200, read.statusCode());
    assertEquals(created, read.bodyAsJsonObject());
    assertEquals(partId, read.bodyAsJsonObject().getJsonObject("answers").getString("name-the-part"));

    // Autosave of other steps keeps working with the unchanged answer...
    JsonObject edited = partsReflection(partId).put("version", 1);
    edited.getJsonObject("answers").put("notice-loudest", "It went quiet.");
    assertEquals(200, alice.put("/api/reflections/" + id, edited).statusCode());
    // ...but a new answer cannot point at a deleted part.
    String other = newId();
    assertInvalid(alice.put("/api/reflections/" + other, partsReflection(partId)), "answers.name-the-part");
  }

  private static JsonObject partsReflection(String partId) {
    return new JsonObject().put("exerciseId", PARTS).put("status", "draft").put("answers", new JsonObject()
        .put("notice-loudest", "A voice saying hurry.").put("name-the-part", partId));
  }

  @Test
  void theDatabaseHoldsNoPlaintextOfAnswers() {
    Api alice = server.register("Alice");
    String sentence = "When he looked at his phone I felt like furniture " + UUID.randomUUID();
    String feeling = "unmoored-" + UUID.randomUUID();
    String id = newId();
    JsonObject body = draft(sentence);
    body.getJsonObject("answers").getJsonArray("what-you-felt").add(feeling);
    create(alice, id, body);
    alice.put("/api/reflections/" + id, draft(sentence + " again").put("version", 1));
    assertTrue(selfHead(server, alice.id()) >= 2, "the events were stored");
    String dump = server.dumpDatabase();
    assertFalse(dump.contains(sentence), "answers are stored sealed, events included");
    assertFalse(dump.contains(feeling), "emotion answers are stored sealed");
    assertFalse(dump.contains("furniture"));
    assertTrue(stored(id).getString("sealed").startsWith("e1:"));
    assertFalse(stored(id).containsKey("answers"));
    assertEquals(sentence + " again", alice.get("/api/reflections/" + id).bodyAsJsonObject()
        .getJsonObject("answers").getString("what-happened"));
  }

  @Test
  void exportAnswersTheOwnersReflectionsDecryptedAndEraseRemovesOnlyThem() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    JsonObject first = create(alice, newId(), draft("First."));
    server.clock.advance(Duration.ofSeconds(1));
    JsonObject second = create(alice, newId(), draft("Second."));
    JsonObject bobs = create(bob, newId(), draft("Bob's."));
    ReflectionService service = new ReflectionService(server.mongo(), server.app.vault(), server.app.events(), server.clock,
        dev.bridgework.exercise.ExerciseCatalog.loadFromClasspath());

    assertEquals(new JsonArray().add(second).add(first), service.exportOf(alice.id()).await());
    service.eraseAll(alice.id()).await();
    assertEquals(new JsonArray(), service.exportOf(alice.id()).await());
    assertEquals(0, count(alice));
    assertEquals(new JsonArray().add(bobs), bob.get("/api/reflections").bodyAsJsonObject().getJsonArray("reflections"));
  }
}
