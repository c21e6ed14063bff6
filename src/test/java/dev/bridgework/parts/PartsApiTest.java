package dev.bridgework.parts;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
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

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PartsApiTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  private static JsonObject critic() {
    return new JsonObject().put("name", "The Critic").put("role", "manager")
        .put("belief", "If I stop pushing, everything falls apart.").put("bodySense", "tight jaw")
        .put("feelingToward", "curious").put("fears", "being found lacking").put("needs", "rest").put("notes", "first met in May");
  }

  private static JsonObject stored(String id) {
    return server.mongo().findOne("parts", new JsonObject().put("_id", id), null).await();
  }

  private static JsonObject create(Api api, String id, JsonObject body) {
    var r = api.put("/api/parts/" + id, body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  @Test
  void ownerCreatesReadsUpdatesListsAndDeletesAPart() {
    Api alice = server.register("Alice");
    String id = newId();
    long head = selfHead(server, alice.id());

    JsonObject created = create(alice, id, critic());
    assertEquals(id, created.getString("id"));
    assertEquals(1L, created.getLong("version"));
    critic().forEach(e -> assertEquals(e.getValue(), created.getValue(e.getKey()), e.getKey()));
    assertNotNull(created.getString("createdAt"));
    assertEquals(created.getString("createdAt"), created.getString("updatedAt"));

    var read = alice.get("/api/parts/" + id);
    assertEquals(200, read.statusCode());
    assertEquals(created, read.bodyAsJsonObject());

    server.clock.advance(java.time.Duration.ofMinutes(1));
    var updated = alice.put("/api/parts/" + id, critic().put("needs", "to be thanked").put("version", 1));
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
    JsonObject v2 = updated.bodyAsJsonObject();
    assertEquals(2L, v2.getLong("version"));
    assertEquals("to be thanked", v2.getString("needs"));
    assertEquals(created.getString("createdAt"), v2.getString("createdAt"));
    assertFalse(v2.getString("updatedAt").equals(created.getString("updatedAt")));

    var list = alice.get("/api/parts");
    assertEquals(200, list.statusCode());
    assertEquals(new JsonArray().add(v2), list.bodyAsJsonObject().getJsonArray("parts"));

    var deleted = alice.delete("/api/parts/" + id);
    assertEquals(204, deleted.statusCode(), deleted.bodyAsString());
    assertNull(stored(id));
    assertError(alice.get("/api/parts/" + id), 404, "not_found", null);
    assertError(alice.delete("/api/parts/" + id), 404, "not_found", null);
    assertEquals(0, alice.get("/api/parts").bodyAsJsonObject().getJsonArray("parts").size());

    List<JsonObject> events = selfEvents(server, alice.id());
    assertEquals(head + 3, events.size());
    assertEquals("part.saved", events.get((int) head).getString("kind"));
    assertEquals(created, events.get((int) head).getJsonObject("data"));
    assertEquals(v2, events.get((int) head + 1).getJsonObject("data"));
    assertEquals("part.deleted", events.get((int) head + 2).getString("kind"));
    assertEquals(new JsonObject().put("id", id), events.get((int) head + 2).getJsonObject("data"));
    assertEquals("self", events.get((int) head + 2).getString("stream"));
  }

  @Test
  void onlyTheNameIsRequiredAndAbsentFieldsReadAsNull() {
    Api alice = server.register("Alice");
    JsonObject part = create(alice, newId(), new JsonObject().put("name", "Little one"));
    assertEquals("Little one", part.getString("name"));
    for (String field : List.of("role", "belief", "bodySense", "feelingToward", "fears", "needs", "notes")) {
      assertTrue(part.containsKey(field), field);
      assertNull(part.getValue(field), field);
    }
  }

  @Test
  void anIdenticalRepeatAnswersTheStoredPartAndChangesNothing() {
    Api alice = server.register("Alice");
    String id = newId();
    JsonObject created = create(alice, id, critic());
    long head = selfHead(server, alice.id());
    server.clock.advance(java.time.Duration.ofMinutes(5));

    for (JsonObject again : List.of(critic(), critic().put("version", 1), critic().put("version", 42),
        critic().put("id", id).put("createdAt", "2001-01-01T00:00:00.000Z"))) {
      var r = alice.put("/api/parts/" + id, again);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(created, r.bodyAsJsonObject());
    }
    assertEquals(1L, stored(id).getLong("version"));
    assertEquals(head, selfHead(server, alice.id()), "an identical repeat appends no event");
  }

  @Test
  void aStaleVersionFromAnotherDeviceIsAConflictWithTheCurrentPart() {
    Api phone = server.register("Alice");
    Api laptop = phone.anotherDevice();
    String id = newId();
    create(phone, id, critic());

    var fromPhone = phone.put("/api/parts/" + id, critic().put("notes", "from the phone").put("version", 1));
    assertEquals(200, fromPhone.statusCode());
    JsonObject current = fromPhone.bodyAsJsonObject();

    var fromLaptop = laptop.put("/api/parts/" + id, critic().put("notes", "from the laptop").put("version", 1));
    assertError(fromLaptop, 409, "version_conflict", null);
    assertEquals(current, fromLaptop.bodyAsJsonObject().getJsonObject("current"));

    var withoutVersion = laptop.put("/api/parts/" + id, critic().put("notes", "from the laptop"));
    assertError(withoutVersion, 409, "version_conflict", null);

    assertEquals(current, phone.get("/api/parts/" + id).bodyAsJsonObject());
    assertEquals(2L, stored(id).getLong("version"));

    var resolved = laptop.put("/api/parts/" + id, critic().put("notes", "merged").put("version", 2));
    assertEquals(200, resolved.statusCode());
    assertEquals(3L, resolved.bodyAsJsonObject().getLong("version"));
  }

  @Test
  void savingWithAVersionAfterTheDeleteDoesNotReviveIt() {
    Api alice = server.register("Alice");
    String id = newId();
    create(alice, id, critic());
    assertEquals(204, alice.anotherDevice().delete("/api/parts/" + id).statusCode());
    assertError(alice.put("/api/parts/" + id, critic().put("notes", "late autosave").put("version", 1)), 404, "not_found", null);
    assertNull(stored(id));
  }

  @Test
  void partnerAndStrangerGetNotFoundAndChangeNothing() {
    Api alice = server.register("Alice");
    Api partner = server.register("Bob");
    Api stranger = server.register("Stranger");
    String id = newId();
    JsonObject created = create(alice, id, critic());
    JsonObject before = stored(id);
    long head = selfHead(server, alice.id());

    for (Api other : List.of(partner, stranger)) {
      assertError(other.get("/api/parts/" + id), 404, "not_found", null);
      assertError(other.put("/api/parts/" + id, critic().put("name", "Taken over")), 404, "not_found", null);
      assertError(other.put("/api/parts/" + id, critic().put("version", 1).put("name", "Taken over")), 404, "not_found", null);
      assertError(other.put("/api/parts/" + id, critic()), 404, "not_found", null);
      assertError(other.delete("/api/parts/" + id), 404, "not_found", null);
      assertEquals(0, other.get("/api/parts").bodyAsJsonObject().getJsonArray("parts").size());
      assertEquals(0, selfHead(server, other.id()));
    }
    assertEquals(before, stored(id));
    assertEquals(created, alice.get("/api/parts/" + id).bodyAsJsonObject());
    assertEquals(head, selfHead(server, alice.id()));
  }

  @Test
  void withoutASessionEveryRouteIsUnauthenticated() {
    Api alice = server.register("Alice");
    String id = newId();
    create(alice, id, critic());
    Api nobody = server.client();
    assertError(nobody.get("/api/parts"), 401, "unauthenticated", null);
    assertError(nobody.get("/api/parts/" + id), 401, "unauthenticated", null);
    assertError(nobody.put("/api/parts/" + id, critic().put("name", "X")), 401, "unauthenticated", null);
    assertError(nobody.put("/api/parts/" + newId(), critic()), 401, "unauthenticated", null);
    assertError(nobody.delete("/api/parts/" + id), 401, "unauthenticated", null);
    assertEquals("The Critic", alice.get("/api/parts/" + id).bodyAsJsonObject().getString("name"));
  }

  @Test
  void invalidPartsAreRefusedNamingTheFieldAndNothingIsStored() {
    Api alice = server.register("Alice");
    String id = newId();
    assertInvalid(alice.put("/api/parts/" + id, new JsonObject()), "name");
    assertInvalid(alice.put("/api/parts/" + id, new JsonObject().put("name", "")), "name");
    assertInvalid(alice.put("/api/parts/" + id, new JsonObject().put("name", "   ")), "name");
    assertInvalid(alice.put("/api/parts/" + id, new JsonObject().put("name", "x".repeat(101))), "name");
    assertInvalid(alice.put("/api/parts/" + id, new JsonObject().put("name", 5)), "name");
    assertInvalid(alice.put("/api/parts/" + id, critic().put("role", "boss")), "role");
    assertInvalid(alice.put("/api/parts/" + id, critic().put("role", 1)), "role");
    assertInvalid(alice.put("/api/parts/" + id, critic().put("belief", "x".repeat(20_001))), "belief");
    assertInvalid(alice.put("/api/parts/" + id, critic().put("notes", new JsonArray())), "notes");
    assertInvalid(alice.put("/api/parts/" + id, critic().put("fears", "nul\u0000")), "fears");
    assertInvalid(alice.put("/api/parts/" + id, critic().put("colour", "blue")), "colour");
    assertInvalid(alice.put("/api/parts/" + id, critic().put("ownerId", alice.id())), "ownerId");
    assertInvalid(alice.put("/api/parts/" + id, critic().put("version", "1")), "version");
    assertInvalid(alice.put("/api/parts/" + id, critic().put("version", -1)), "version");
    assertInvalid(alice.put("/api/parts/not-a-uuid", critic()), "id");
    assertInvalid(alice.get("/api/parts/not-a-uuid"), "id");
    assertInvalid(alice.delete("/api/parts/not-a-uuid"), "id");
    assertError(alice.raw(io.vertx.core.http.HttpMethod.PUT, "/api/parts/" + id,
        io.vertx.core.buffer.Buffer.buffer("{\"name\":"), null, "application/json"), 400, "invalid_json", null);
    assertNull(stored(id));
    assertEquals(0, selfHead(server, alice.id()));

    // The longest allowed values are fine.
    JsonObject longest = critic().put("name", "n".repeat(100)).put("notes", "y".repeat(20_000));
    assertEquals(201, alice.put("/api/parts/" + id, longest).statusCode());
  }

  @Test
  void theDatabaseHoldsNoPlaintextOfAPart() {
    Api alice = server.register("Alice");
    String name = "Keeper-of-the-" + UUID.randomUUID();
    String secret = "I learned to stay small in the house on Larkspur Street " + UUID.randomUUID();
    String id = newId();
    create(alice, id, critic().put("name", name).put("notes", secret));
    alice.put("/api/parts/" + id, critic().put("name", name).put("notes", secret + " again").put("version", 1));
    String dump = server.dumpDatabase();
    assertFalse(dump.contains(name), "the part's name is stored sealed");
    assertFalse(dump.contains(secret), "the part's notes are stored sealed");
    assertFalse(dump.contains("If I stop pushing"), "the part's belief is stored sealed");
    assertTrue(dump.contains("\"role\":\"manager\""), "enums stay in clear");
    assertTrue(stored(id).getString("sealed").startsWith("e1:"));
    assertEquals(secret + " again", alice.get("/api/parts/" + id).bodyAsJsonObject().getString("notes"));
  }

  @Test
  void twoDevicesSavingTheSameVersionAtOnceNeverBothWin() throws Exception {
    Api phone = server.register("Alice");
    Api laptop = phone.anotherDevice();
    String id = newId();
    create(phone, id, critic());
    for (int round = 1; round <= 5; round++) {
      long version = round;
      var a = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> phone.put("/api/parts/" + id, critic().put("notes", "phone " + version).put("version", version)));
      var b = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> laptop.put("/api/parts/" + id, critic().put("notes", "laptop " + version).put("version", version)));
      List<Integer> statuses = List.of(a.get().statusCode(), b.get().statusCode());
      assertTrue(statuses.contains(200) && statuses.contains(409), statuses.toString());
      var winner = a.get().statusCode() == 200 ? a.get() : b.get();
      assertEquals(version + 1, winner.bodyAsJsonObject().getLong("version"));
      assertEquals(winner.bodyAsJsonObject(), phone.get("/api/parts/" + id).bodyAsJsonObject());
    }
  }

  @Test
  void exportAnswersTheOwnersPartsDecryptedAndEraseRemovesOnlyThem() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    JsonObject first = create(alice, newId(), critic());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    JsonObject second = create(alice, newId(), new JsonObject().put("name", "The Exile"));
    JsonObject bobs = create(bob, newId(), critic());
    PartsService service = new PartsService(server.mongo(), server.app.vault(), server.app.events(), server.clock);

    assertEquals(new JsonArray().add(second).add(first), service.exportOf(alice.id()).await());
    service.eraseAll(alice.id()).await();
    assertEquals(new JsonArray(), service.exportOf(alice.id()).await());
    assertEquals(0, alice.get("/api/parts").bodyAsJsonObject().getJsonArray("parts").size());
    assertEquals(new JsonArray().add(bobs), bob.get("/api/parts").bodyAsJsonObject().getJsonArray("parts"));
  }
}
