package dev.bridgework.checkin;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import dev.bridgework.web.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.testing.Checks.assertError;
import static dev.bridgework.testing.Checks.assertInvalid;
import static dev.bridgework.testing.Checks.selfEvents;
import static dev.bridgework.testing.Checks.selfHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CheckinApiTest {
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

  private static JsonObject checkin(String note) {
    return new JsonObject().put("emotions", new JsonArray().add("tired").add("hopeful")).put("intensity", 6).put("note", note);
  }

  private static JsonObject stored(String id) {
    return server.mongo().findOne("checkins", new JsonObject().put("_id", id), null).await();
  }

  private static JsonObject create(Api api, String id, JsonObject body) {
    var r = api.put("/api/checkins/" + id, body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static List<String> ids(Api api, String query) {
    var r = api.get("/api/checkins" + query);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    List<String> ids = new ArrayList<>();
    r.bodyAsJsonObject().getJsonArray("checkins").forEach(o -> ids.add(((JsonObject) o).getString("id")));
    return ids;
  }

  private static String enc(Instant i) {
    return URLEncoder.encode(i.toString(), StandardCharsets.UTF_8);
  }

  @Test
  void aCheckInDefaultsToTheServersTimeAndAnIdenticalRepeatIsHarmless() {
    Api alice = server.register("Alice");
    String id = newId();
    long head = selfHead(server, alice.id());
    String now = Times.format(server.clock.instant());
    JsonObject created = create(alice, id, checkin("Long day."));
    assertEquals(id, created.getString("id"));
    assertEquals(new JsonArray().add("tired").add("hopeful"), created.getJsonArray("emotions"));
    assertEquals(6, created.getInteger("intensity"));
    assertEquals("Long day.", created.getString("note"));
    assertEquals(now, created.getString("at"));
    assertEquals(now, created.getString("createdAt"));
    assertEquals(1L, created.getLong("version"));

    server.clock.advance(Duration.ofMinutes(10));
    var again = alice.put("/api/checkins/" + id, checkin("Long day."));
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(created, again.bodyAsJsonObject(), "a repeat without 'at' keeps the stored time");
    assertEquals(1L, stored(id).getLong("version"));

    List<JsonObject> events = selfEvents(server, alice.id());
    assertEquals(head + 1, events.size(), "the repeat appended nothing");
    assertEquals("checkin.saved", events.get((int) head).getString("kind"));
    assertEquals(created, events.get((int) head).getJsonObject("data"));
  }

  @Test
  void anUpdateAnswers200AndAStaleVersionIsAConflict() {
    Api phone = server.register("Alice");
    Api laptop = phone.anotherDevice();
    String id = newId();
    JsonObject created = create(phone, id, checkin("Before."));

    var changed = laptop.put("/api/checkins/" + id, checkin("After.").put("intensity", 3));
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    JsonObject v2 = changed.bodyAsJsonObject();
    assertEquals(2L, v2.getLong("version"));
    assertEquals(3, v2.getInteger("intensity"));
    assertEquals(created.getString("at"), v2.getString("at"));

    var stale = phone.put("/api/checkins/" + id, checkin("Stale.").put("version", 1));
    assertError(stale, 409, "version_conflict", null);
    assertEquals(v2, stale.bodyAsJsonObject().getJsonObject("current"));
    assertEquals(v2, phone.get("/api/checkins").bodyAsJsonObject().getJsonArray("checkins").getJsonObject(0));

    String at = "2025-03-01T08:30:00Z";
    var moved = phone.put("/api/checkins/" + id, checkin("After.").put("intensity", 3).put("at", at).put("version", 2));
    assertEquals(200, moved.statusCode());
    assertEquals("2025-03-01T08:30:00.000Z", moved.bodyAsJsonObject().getString("at"));
    assertEquals(3L, moved.bodyAsJsonObject().getLong("version"));
  }

  @Test
  void theRangeQueryIncludesFromExcludesToAndListsNewestFirst() {
    Api alice = server.register("Alice");
    Instant t0 = Instant.parse("2025-06-01T09:00:00Z");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String id = newId();
      create(alice, id, checkin("hour " + i).put("at", t0.plus(Duration.ofHours(i)).toString()));
      ids.add(id);
    }
    assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1), ids.get(0)), ids(alice, ""));
    assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1)), ids(alice, "?from=" + enc(t0.plus(Duration.ofHours(1)))));
    assertEquals(List.of(ids.get(1), ids.get(0)), ids(alice, "?to=" + enc(t0.plus(Duration.ofHours(2)))));
    assertEquals(List.of(ids.get(2), ids.get(1)),
        ids(alice, "?from=" + enc(t0.plus(Duration.ofHours(1))) + "&to=" + enc(t0.plus(Duration.ofHours(3)))));
    assertEquals(List.of(ids.get(1)), ids(alice, "?from=" + enc(t0.plus(Duration.ofMinutes(59)))
        + "&to=" + enc(t0.plus(Duration.ofMinutes(61)))));
    // Sub-millisecond bounds stay exact: 1 ns after an instant excludes it, 1 ns after as 'to' includes it.
    assertEquals(List.of(ids.get(3), ids.get(2)), ids(alice, "?from=" + enc(t0.plus(Duration.ofHours(1)).plusNanos(1))));
    assertEquals(List.of(ids.get(0)), ids(alice, "?to=" + enc(t0.plusNanos(1))));
    assertEquals(List.of(), ids(alice, "?from=" + enc(t0.plus(Duration.ofHours(5)))));
    assertEquals(List.of(ids.get(1)), ids(alice, "?from=2025-06-01T12:00:00%2B02:00&to=2025-06-01T11:00:00.001%2B01:00"));
  }

  @Test
  void invalidRangeValuesAreRefusedNamingTheParameter() {
    Api alice = server.register("Alice");
    assertInvalid(alice.get("/api/checkins?from=yesterday"), "from");
    assertInvalid(alice.get("/api/checkins?to=2025-13-01T00:00:00Z"), "to");
    assertInvalid(alice.get("/api/checkins?from="), "from");
    assertInvalid(alice.get("/api/checkins?from=2025-06-01T00:00:00Z&from=2025-06-02T00:00:00Z"), "from");
    assertInvalid(alice.get("/api/checkins?to=2025-06-01"), "to");
  }

  @Test
  void invalidCheckInsAreRefusedNamingTheFieldAndNothingIsStored() {
    Api alice = server.register("Alice");
    String id = newId();
    String put = "/api/checkins/" + id;
    assertInvalid(alice.put(put, checkin("x").put("intensity", 11)), "intensity");
    assertInvalid(alice.put(put, checkin("x").put("intensity", -1)), "intensity");
    assertInvalid(alice.put(put, checkin("x").put("intensity", 5.5)), "intensity");
    assertInvalid(alice.put(put, checkin("x").put("intensity", "5")), "intensity");
    assertInvalid(alice.put(put, checkin("x").put("intensity", null)), "intensity");
    assertInvalid(alice.put(put, checkin("x").put("emotions", "sad")), "emotions");
    assertInvalid(alice.put(put, checkin("x").put("emotions", new JsonArray().add(1))), "emotions");
    assertInvalid(alice.put(put, checkin("x").put("emotions", new JsonArray().add(""))), "emotions");
    assertInvalid(alice.put(put, checkin("x").put("emotions", new JsonArray().add("y".repeat(51)))), "emotions");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 31; i++) tooMany.add("word" + i);
    assertInvalid(alice.put(put, checkin("x").put("emotions", tooMany)), "emotions");
    assertInvalid(alice.put(put, new JsonObject().put("intensity", 3)), "emotions");
    assertInvalid(alice.put(put, checkin("x".repeat(20_001))), "note");
    assertInvalid(alice.put(put, checkin("x").put("note", 7)), "note");
    assertInvalid(alice.put(put, checkin("x").put("at", "tomorrow")), "at");
    assertInvalid(alice.put(put, checkin("x").put("at", 1700000000)), "at");
    assertInvalid(alice.put(put, checkin("x").put("mood", "ok")), "mood");
    assertInvalid(alice.put(put, checkin("x").put("version", "2")), "version");
    assertInvalid(alice.put("/api/checkins/not-a-uuid", checkin("x")), "id");
    assertNull(stored(id));
    assertEquals(0, selfHead(server, alice.id()));

    JsonObject minimal = create(alice, id, new JsonObject().put("emotions", new JsonArray()).put("intensity", 0));
    assertNull(minimal.getValue("note"));
    assertEquals(new JsonArray(), minimal.getJsonArray("emotions"));
  }

  @Test
  void partnerAndStrangerGetNotFoundAndChangeNothing() {
    Api alice = server.register("Alice");
    Api partner = server.register("Bob");
    Api stranger = server.register("Stranger");
    String id = newId();
    JsonObject created = create(alice, id, checkin("Mine alone."));
    JsonObject before = stored(id);
    for (Api other : List.of(partner, stranger)) {
      assertError(other.put("/api/checkins/" + id, checkin("Taken over.")), 404, "not_found", null);
      assertError(other.put("/api/checkins/" + id, checkin("Mine alone.")), 404, "not_found", null);
      assertError(other.put("/api/checkins/" + id, checkin("Taken over.").put("version", 1)), 404, "not_found", null);
      assertEquals(List.of(), ids(other, ""));
      assertEquals(0, selfHead(server, other.id()));
    }
    assertEquals(before, stored(id));
    assertEquals(new JsonArray().add(created), alice.get("/api/checkins").bodyAsJsonObject().getJsonArray("checkins"));
  }

  @Test
  void withoutASessionEveryRouteIsUnauthenticated() {
    Api alice = server.register("Alice");
    String id = newId();
    create(alice, id, checkin("Mine."));
    Api nobody = server.client();
    assertError(nobody.get("/api/checkins"), 401, "unauthenticated", null);
    assertError(nobody.get("/api/checkins?from=2025-01-01T00:00:00Z"), 401, "unauthenticated", null);
    assertError(nobody.put("/api/checkins/" + id, checkin("Changed.")), 401, "unauthenticated", null);
    assertError(nobody.put("/api/checkins/" + newId(), checkin("New.")), 401, "unauthenticated", null);
    assertEquals(1L, stored(id).getLong("version"));
    assertEquals("Mine.", alice.get("/api/checkins").bodyAsJsonObject().getJsonArray("checkins").getJsonObject(0).getString("note"));
  }

  @Test
  void theDatabaseHoldsNoPlaintextOfNotesOrEmotions() {
    Api alice = server.register("Alice");
    String note = "Cried in the car park after the school run " + UUID.randomUUID();
    String word = "hollowed-" + UUID.randomUUID().toString().substring(0, 8);
    String id = newId();
    create(alice, id, checkin(note).put("emotions", new JsonArray().add(word)).put("intensity", 9));
    String dump = server.dumpDatabase();
    assertFalse(dump.contains(note), "the note is stored sealed, events included");
    assertFalse(dump.contains(word), "emotions are stored sealed");
    assertTrue(stored(id).getString("sealed").startsWith("e1:"));
    assertEquals(9, stored(id).getInteger("intensity"), "numbers stay in clear for range queries");
  }

  @Test
  void exportAnswersTheOwnersCheckInsDecryptedAndEraseRemovesOnlyThem() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    JsonObject first = create(alice, newId(), checkin("First."));
    server.clock.advance(Duration.ofSeconds(1));
    JsonObject second = create(alice, newId(), checkin("Second."));
    JsonObject bobs = create(bob, newId(), checkin("Bob's."));
    CheckinService service = new CheckinService(server.mongo(), server.app.vault(), server.app.events(), server.clock);

    assertEquals(new JsonArray().add(second).add(first), service.exportOf(alice.id()).await());
    service.eraseAll(alice.id()).await();
    assertEquals(new JsonArray(), service.exportOf(alice.id()).await());
    assertEquals(List.of(), ids(alice, ""));
    assertEquals(new JsonArray().add(bobs), bob.get("/api/checkins").bodyAsJsonObject().getJsonArray("checkins"));
  }
}
