package dev.bridgework.checkin;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.SealedWorkContract;
import dev.bridgework.web.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.testing.Checks.assertInvalid;
import static dev.bridgework.testing.Checks.selfEvents;
import static dev.bridgework.testing.Checks.selfHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Check-ins: emotions, intensity and note are sealed by the client; the time {@code at} stays in the
 * clear for range queries. The shared rules are in {@link SealedWorkContract}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class CheckinApiTest extends SealedWorkContract {
  @Override
  protected String kind() {
    return "checkin";
  }

  @Override
  protected String path() {
    return "/api/checkins";
  }

  @Override
  protected String plural() {
    return "checkins";
  }

  @Override
  protected JsonObject content(String note) {
    return checkin(note);
  }

  static JsonObject checkin(String note) {
    return new JsonObject().put("emotions", new JsonArray().add("tired").add("hopeful")).put("intensity", 6).put("note", note);
  }

  @Override
  protected Map<String, Object> contentFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    checkin("In the clear.").forEach(e -> fields.put(e.getKey(), e.getValue()));
    return fields;
  }

  private List<String> ids(Api api, String query) {
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
  void aCheckInDefaultsToTheServersTimeAndARepeatWithoutAtKeepsIt() {
    Api alice = server.register("Alice");
    String id = newId();
    long head = selfHead(server, alice.id());
    String now = Times.format(server.clock.instant());
    JsonObject body = alice.checkinBody(id, null, checkin("Long day."), null);
    var r = alice.put("/api/checkins/" + id, body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject created = r.bodyAsJsonObject();
    assertEquals(now, created.getString("at"));
    assertEquals(now, created.getString("createdAt"));
    JsonObject opened = alice.openCheckin(created);
    assertEquals(new JsonArray().add("tired").add("hopeful"), opened.getJsonArray("emotions"));
    assertEquals(6, opened.getInteger("intensity"));
    assertEquals("Long day.", opened.getString("note"));

    server.clock.advance(Duration.ofMinutes(10));
    var again = alice.put("/api/checkins/" + id, body);
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(created, again.bodyAsJsonObject(), "a repeat without 'at' keeps the stored time");
    assertEquals(head + 1, selfEvents(server, alice.id()).size(), "the repeat appended nothing");
  }

  @Test
  void theTimeMovesWithAnUpdateAndIsValidated() {
    Api alice = server.register("Alice");
    String id = newId();
    assertInvalid(alice.saveCheckin(id, "tomorrow", checkin("x"), null), "at");
    assertInvalid(alice.put("/api/checkins/" + id, alice.checkinBody(id, null, checkin("x"), null).put("at", 1700000000)), "at");
    assertNull(stored(id));
    assertEquals(201, alice.saveCheckin(id, null, checkin("Before."), null).statusCode());
    var moved = alice.saveCheckin(id, "2025-03-01T08:30:00Z", checkin("After."), 1);
    assertEquals(200, moved.statusCode(), moved.bodyAsString());
    assertEquals("2025-03-01T08:30:00.000Z", moved.bodyAsJsonObject().getString("at"));
    assertEquals(2L, moved.bodyAsJsonObject().getLong("version"));
    assertEquals("After.", alice.openCheckin(moved.bodyAsJsonObject()).getString("note"));
  }

  @Test
  void theRangeQueryIncludesFromExcludesToAndListsNewestFirst() {
    Api alice = server.register("Alice");
    Instant t0 = Instant.parse("2025-06-01T09:00:00Z");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String id = newId();
      var r = alice.saveCheckin(id, t0.plus(Duration.ofHours(i)).toString(), checkin("hour " + i), null);
      assertEquals(201, r.statusCode(), r.bodyAsString());
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
  void theIntensityIsNoLongerStoredInTheClear() {
    Api alice = server.register("Alice");
    String id = newId();
    assertEquals(201, alice.saveCheckin(id, null, checkin("Quiet.").put("intensity", 9), null).statusCode());
    assertFalse(stored(id).containsKey("intensity"));
    assertFalse(stored(id).containsKey("emotions"));
  }
}
