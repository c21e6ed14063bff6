package dev.bridgework.testing;

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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.bridgework.testing.Checks.assertError;
import static dev.bridgework.testing.Checks.selfEvents;
import static dev.bridgework.testing.Checks.selfHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the server does with every kind of private work now that the client seals it (API.md "Private
 * work", ENCRYPTION.md): it stores and answers the envelope as sent, checks only its shape, refuses
 * content in the clear, keeps versions and ownership, and cannot tell an envelope moved to another
 * record (the client can: the AAD names the record). Each kind's test extends this with what is
 * particular to it (a reflection's exercise, a check-in's time).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(VertxExtension.class)
public abstract class SealedWorkContract {
  protected TestServer server;

  /** {@code reflection}, {@code part}, {@code checkin}, {@code kept}: the AAD prefix and event prefix. */
  protected abstract String kind();

  /** {@code /api/reflections} etc. */
  protected abstract String path();

  /** The list's wrapper field, the export's field and the collection: {@code reflections}, {@code parts}, … */
  protected abstract String plural();

  /** What a client would seal, with {@code text} in a free-text field. */
  protected abstract JsonObject content(String text);

  /** The clear fields a body needs besides {@code sealed} and {@code version} (an exercise, a status). */
  protected JsonObject clearFields() {
    return new JsonObject();
  }

  /** Content fields a careless client might send in the clear, with a plausible value each. */
  protected abstract Map<String, Object> contentFields();

  /** Check-ins are listed and written, not read or deleted one by one. */
  protected boolean readsAndDeletesOne() {
    return true;
  }

  @BeforeAll
  void startServer(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  protected static String newId() {
    return UUID.randomUUID().toString();
  }

  protected String url(String id) {
    return path() + "/" + id;
  }

  protected String aad(String id) {
    return kind() + "/" + id;
  }

  /** The body a client sends: clear fields, {@code sealed} = content sealed for this record, and the version. */
  protected JsonObject body(Api api, String id, JsonObject content, Integer version) {
    JsonObject body = clearFields().put("sealed", api.keys().seal(kind(), id, content));
    if (version != null) body.put("version", version);
    return body;
  }

  protected JsonObject create(Api api, String id, JsonObject body) {
    var r = api.put(url(id), body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  protected JsonObject stored(String id) {
    return server.mongo().findOne(plural(), new JsonObject().put("_id", id), null).await();
  }

  protected long count(Api owner) {
    return server.mongo().count(plural(), new JsonObject().put("ownerId", owner.id())).await();
  }

  protected JsonArray list(Api api) {
    var r = api.get(path());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray(plural());
  }

  /** 400 {@code invalid} whose field is {@code field} or lies inside it ({@code sealed.iv}). */
  protected static void assertInvalidAt(HttpResponse<Buffer> r, String field) {
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("invalid", error.getString("code"), r.bodyAsString());
    String named = error.getString("field");
    assertTrue(named != null && (named.equals(field) || named.startsWith(field + ".")),
        "expected the field " + field + ": " + r.bodyAsString());
  }

  @Test
  void theServerKeepsTheEnvelopeAsSentAndOnlyTheOwnersKeyOpensIt() {
    Api alice = server.register("Alice");
    String id = newId();
    String secret = "planted-" + kind() + "-" + UUID.randomUUID();
    long head = selfHead(server, alice.id());
    JsonObject body = body(alice, id, content(secret), null);

    JsonObject created = create(alice, id, body);
    assertEquals(id, created.getString("id"));
    assertEquals(body.getJsonObject("sealed"), created.getJsonObject("sealed"));
    assertEquals(1L, created.getLong("version"));
    assertNotNull(created.getString("createdAt"));
    assertEquals(created.getString("createdAt"), created.getString("updatedAt"));
    clearFields().forEach(e -> assertEquals(e.getValue(), created.getValue(e.getKey()), e.getKey()));
    contentFields().keySet().forEach(f -> assertFalse(created.containsKey(f), "the server has no " + f + " to answer"));
    assertEquals(content(secret), alice.open(kind(), id, created.getJsonObject("sealed")));

    if (readsAndDeletesOne()) assertEquals(created, alice.get(url(id)).bodyAsJsonObject());
    assertEquals(new JsonArray().add(created), list(alice));

    JsonObject doc = stored(id);
    contentFields().keySet().forEach(f -> assertFalse(doc.containsKey(f), f + " is not stored"));
    assertFalse(server.dumpDatabase().contains(secret), "the database holds no plaintext, events included");

    List<JsonObject> events = selfEvents(server, alice.id());
    assertEquals(head + 1, events.size());
    assertEquals(kind() + ".saved", events.get((int) head).getString("kind"));
    assertEquals(created, events.get((int) head).getJsonObject("data"), "the event carries the same sealed object");
  }

  @Test
  void anUpdateNeedsTheCurrentVersionAndAStaleOneIsAConflictWithTheCurrent() {
    Api phone = server.register("Alice");
    Api laptop = phone.anotherDevice();
    String id = newId();
    JsonObject created = create(phone, id, body(phone, id, content("First."), null));

    server.clock.advance(Duration.ofSeconds(3));
    var fromPhone = phone.put(url(id), body(phone, id, content("Edited on the phone."), 1));
    assertEquals(200, fromPhone.statusCode(), fromPhone.bodyAsString());
    JsonObject current = fromPhone.bodyAsJsonObject();
    assertEquals(2L, current.getLong("version"));
    assertEquals(created.getString("createdAt"), current.getString("createdAt"));
    assertNotEquals(created.getString("updatedAt"), current.getString("updatedAt"));
    assertEquals(content("Edited on the phone."), phone.open(kind(), id, current.getJsonObject("sealed")));
    long head = selfHead(server, phone.id());
    JsonObject before = stored(id);

    var fromLaptop = laptop.put(url(id), body(laptop, id, content("Edited on the laptop."), 1));
    assertError(fromLaptop, 409, "version_conflict", null);
    assertEquals(current, fromLaptop.bodyAsJsonObject().getJsonObject("current"), "the conflict carries the current, sealed");
    assertEquals(content("Edited on the phone."),
        laptop.open(kind(), id, fromLaptop.bodyAsJsonObject().getJsonObject("current").getJsonObject("sealed")));
    assertEquals(before, stored(id));
    assertEquals(head, selfHead(server, phone.id()));

    var merged = laptop.put(url(id), body(laptop, id, content("Merged."), 2));
    assertEquals(200, merged.statusCode(), merged.bodyAsString());
    assertEquals(3L, merged.bodyAsJsonObject().getLong("version"));
  }

  @Test
  void anIdenticalRepeatAnswersTheStoredResourceWhateverItsVersionAndAppendsNoEvent() {
    Api alice = server.register("Alice");
    String id = newId();
    JsonObject body = body(alice, id, content("Same words."), null);
    JsonObject created = create(alice, id, body);
    long head = selfHead(server, alice.id());
    server.clock.advance(Duration.ofMinutes(1));
    JsonObject envelope = body.getJsonObject("sealed");
    JsonObject reordered = new JsonObject().put("ct", envelope.getString("ct")).put("iv", envelope.getString("iv")).put("v", 1);
    for (JsonObject again : List.of(body.copy(), body.copy().put("version", 1), body.copy().put("version", 17),
        body.copy().put("sealed", reordered),
        // Server-set fields echoed back are ignored.
        body.copy().put("id", id).put("createdAt", "x").put("updatedAt", "y"))) {
      var r = alice.put(url(id), again);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(created, r.bodyAsJsonObject());
    }
    assertEquals(1L, stored(id).getLong("version"));
    assertEquals(head, selfHead(server, alice.id()), "nothing changed, so no event");
  }

  @Test
  void twoDevicesSavingTheSameVersionAtOnceNeverBothWin() throws Exception {
    Api phone = server.register("Alice");
    Api laptop = phone.anotherDevice();
    String id = newId();
    create(phone, id, body(phone, id, content("Start."), null));
    for (int round = 1; round <= 5; round++) {
      int v = round;
      var a = CompletableFuture.supplyAsync(() -> phone.put(url(id), body(phone, id, content("phone " + v), v)));
      var b = CompletableFuture.supplyAsync(() -> laptop.put(url(id), body(laptop, id, content("laptop " + v), v)));
      List<Integer> statuses = List.of(a.get().statusCode(), b.get().statusCode());
      assertTrue(statuses.contains(200) && statuses.contains(409), statuses.toString());
      var winner = a.get().statusCode() == 200 ? a.get() : b.get();
      var loser = a.get().statusCode() == 200 ? b.get() : a.get();
      assertEquals(v + 1L, winner.bodyAsJsonObject().getLong("version"));
      assertEquals(winner.bodyAsJsonObject(), loser.bodyAsJsonObject().getJsonObject("current"));
    }
  }

  @Test
  void aDeletedOneIsNotRevivedByALateAutosave() {
    if (!readsAndDeletesOne()) return;
    Api phone = server.register("Alice");
    String id = newId();
    create(phone, id, body(phone, id, content("Soon gone."), null));
    long head = selfHead(server, phone.id());
    assertEquals(204, phone.anotherDevice().delete(url(id)).statusCode());
    assertNull(stored(id));
    assertEquals(new JsonObject().put("id", id), selfEvents(server, phone.id()).get((int) head).getJsonObject("data"));
    assertEquals(kind() + ".deleted", selfEvents(server, phone.id()).get((int) head).getString("kind"));
    assertError(phone.put(url(id), body(phone, id, content("Late autosave."), 1)), 404, "not_found", null);
    assertError(phone.get(url(id)), 404, "not_found", null);
    assertError(phone.delete(url(id)), 404, "not_found", null);
    assertNull(stored(id));
  }

  @Test
  void partnerAndStrangerGetNotFoundForEveryRouteAndChangeNothing() {
    Api alice = server.register("Alice");
    Api partner = server.register("Bob");
    Api stranger = server.register("Stranger");
    dev.bridgework.couple.Pairing.pair(alice, partner);
    String id = newId();
    JsonObject body = body(alice, id, content("Only mine."), null);
    JsonObject created = create(alice, id, body);
    JsonObject before = stored(id);
    long head = selfHead(server, alice.id());

    for (Api other : List.of(partner, stranger)) {
      long otherHead = selfHead(server, other.id());
      assertError(other.put(url(id), body(other, id, content("Overwritten."), null)), 404, "not_found", null);
      assertError(other.put(url(id), body(other, id, content("Overwritten."), 1)), 404, "not_found", null);
      assertError(other.put(url(id), body), 404, "not_found", null);
      if (readsAndDeletesOne()) {
        assertError(other.get(url(id)), 404, "not_found", null);
        assertError(other.delete(url(id)), 404, "not_found", null);
      }
      assertEquals(0, list(other).size());
      assertEquals(0, count(other));
      assertEquals(otherHead, selfHead(server, other.id()));
    }
    assertEquals(before, stored(id));
    assertEquals(new JsonArray().add(created), list(alice));
    assertEquals(head, selfHead(server, alice.id()));
  }

  @Test
  void withoutASessionEveryRouteIsUnauthenticated() {
    Api alice = server.register("Alice");
    String id = newId();
    JsonObject created = create(alice, id, body(alice, id, content("Mine."), null));
    Api nobody = server.client();
    assertError(nobody.get(path()), 401, "unauthenticated", null);
    assertError(nobody.put(url(id), body(alice, id, content("Changed."), 1)), 401, "unauthenticated", null);
    String other = newId();
    assertError(nobody.put(url(other), body(alice, other, content("New."), null)), 401, "unauthenticated", null);
    if (readsAndDeletesOne()) {
      assertError(nobody.get(url(id)), 401, "unauthenticated", null);
      assertError(nobody.delete(url(id)), 401, "unauthenticated", null);
    }
    assertEquals(new JsonArray().add(created), list(alice));
    assertEquals(1, count(alice));
  }

  @Test
  void aMalformedEnvelopeIsRefusedAndNothingIsStored() {
    Api alice = server.register("Alice");
    String id = newId();
    JsonObject good = body(alice, id, content("x"), null);
    JsonObject envelope = good.getJsonObject("sealed");
    String ct = envelope.getString("ct");
    List<JsonObject> bad = List.of(
        envelope.copy().put("v", 2),
        envelope.copy().put("v", "1"),
        envelope.copy().put("v", 1.5),
        without(envelope, "v"),
        envelope.copy().put("iv", ClientCrypto.b64(ClientCrypto.random(11))),
        envelope.copy().put("iv", ClientCrypto.b64(ClientCrypto.random(13))),
        envelope.copy().put("iv", ClientCrypto.b64(ClientCrypto.random(16))),
        envelope.copy().put("iv", "abc+/defghijklmn"),
        envelope.copy().put("iv", 12),
        without(envelope, "iv"),
        envelope.copy().put("ct", ct + "="),
        envelope.copy().put("ct", "not base64!"),
        envelope.copy().put("ct", ""),
        envelope.copy().put("ct", new JsonArray().add(ct)),
        without(envelope, "ct"),
        envelope.copy().put("ct", "A".repeat(200_004)),
        envelope.copy().put("alg", "AES-GCM"),
        envelope.copy().put("aad", aad(id)));
    for (JsonObject sealed : bad) {
      assertInvalidAt(alice.put(url(id), good.copy().put("sealed", sealed)), "sealed");
    }
    assertInvalidAt(alice.put(url(id), without(good, "sealed")), "sealed");
    assertInvalidAt(alice.put(url(id), good.copy().putNull("sealed")), "sealed");
    assertInvalidAt(alice.put(url(id), good.copy().put("sealed", "e1:" + ct)), "sealed");
    assertInvalidAt(alice.put(url(id), good.copy().put("sealed", new JsonArray())), "sealed");
    assertInvalidAt(alice.put(url(id), good.copy().put("mood", "fine")), "mood");
    assertInvalidAt(alice.put(url(id), good.copy().put("version", "1")), "version");
    assertInvalidAt(alice.put(url(id), good.copy().put("version", 1.5)), "version");
    assertError(alice.raw(HttpMethod.PUT, url(id), Buffer.buffer("[1,2]"), null, "application/json"), 400, "invalid_json", null);
    assertNull(stored(id));
    assertEquals(0, selfHead(server, alice.id()));

    // The longest envelope is fine: 200,000 characters of ct.
    JsonObject longest = good.copy().put("sealed", envelope.copy().put("ct", "A".repeat(200_000)));
    var r = alice.put(url(id), longest);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(longest.getJsonObject("sealed"), r.bodyAsJsonObject().getJsonObject("sealed"));
  }

  @Test
  void contentInTheClearIsRefusedNamingTheFieldAndNothingIsStored() {
    Api alice = server.register("Alice");
    String id = newId();
    JsonObject good = body(alice, id, content("x"), null);
    contentFields().forEach((field, value) -> {
      assertInvalidAt(alice.put(url(id), good.copy().put(field, value)), field);
      // Without any envelope at all, the clear field is still what is named wrong or missing.
      var bare = alice.put(url(id), clearFields().put(field, value));
      assertEquals(400, bare.statusCode(), bare.bodyAsString());
    });
    assertNull(stored(id));
    assertEquals(0, selfHead(server, alice.id()));
    assertEquals(201, alice.put(url(id), good).statusCode());
  }

  @Test
  void idsInPathsMustBeUuids() {
    Api alice = server.register("Alice");
    String bad = "not-a-uuid";
    assertError(alice.put(url(bad), body(alice, bad, content("x"), null)), 400, "invalid", "id");
    if (readsAndDeletesOne()) {
      assertError(alice.get(url(bad)), 400, "invalid", "id");
      assertError(alice.delete(url(bad)), 400, "invalid", "id");
    }
    assertEquals(0, count(alice));
  }

  @Test
  void anEnvelopeMovedToAnotherRecordIsStoredButDoesNotOpenThere() {
    Api alice = server.register("Alice");
    String first = newId();
    String second = newId();
    JsonObject one = create(alice, first, body(alice, first, content("The first record's words."), null));
    create(alice, second, body(alice, second, content("The second record's words."), null));

    // Someone with database or API access swaps the envelopes: the server cannot tell...
    var moved = alice.put(url(second), clearFields().put("sealed", one.getJsonObject("sealed")).put("version", 1));
    assertEquals(200, moved.statusCode(), moved.bodyAsString());
    JsonObject stolen = moved.bodyAsJsonObject().getJsonObject("sealed");
    assertEquals(one.getJsonObject("sealed"), stolen);
    // ...but the client can: the AAD names the record, so it does not open as the second one.
    assertThrows(IllegalArgumentException.class, () -> alice.open(kind(), second, stolen));
    assertEquals(content("The first record's words."), alice.open(kind(), first, stolen), "the positive control");

    // A flipped bit is stored as well, and does not open either.
    byte[] ct = ClientCrypto.unb64(one.getJsonObject("sealed").getString("ct"));
    ct[ct.length / 2] ^= 0x01;
    JsonObject flipped = one.getJsonObject("sealed").copy().put("ct", ClientCrypto.b64(ct));
    var tampered = alice.put(url(first), clearFields().put("sealed", flipped).put("version", 1));
    assertEquals(200, tampered.statusCode(), tampered.bodyAsString());
    assertThrows(IllegalArgumentException.class, () -> alice.open(kind(), first, tampered.bodyAsJsonObject().getJsonObject("sealed")));
    // Another person's key does not open it.
    Api bob = server.register("Bob");
    assertThrows(IllegalArgumentException.class, () -> bob.open(kind(), first, one.getJsonObject("sealed")));
  }

  @Test
  void theExportHoldsTheOwnersSealedWorkAndDeletingTheAccountErasesIt() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    String a1 = newId();
    String a2 = newId();
    String b1 = newId();
    JsonObject first = create(alice, a1, body(alice, a1, content("First."), null));
    server.clock.advance(Duration.ofSeconds(1));
    JsonObject second = create(alice, a2, body(alice, a2, content("Second."), null));
    JsonObject bobs = create(bob, b1, body(bob, b1, content("Bob's."), null));

    var export = alice.get("/api/me/export");
    assertEquals(200, export.statusCode(), export.bodyAsString());
    JsonObject all = export.bodyAsJsonObject();
    assertEquals(new JsonArray().add(second).add(first), all.getJsonArray(plural()));
    assertNotNull(all.getJsonObject("vault"), "the export carries the wrapped vault key so the app can open it");
    assertFalse(export.bodyAsString().contains("First."), "the export holds envelopes, not text");
    assertFalse(export.bodyAsString().contains(b1));

    assertEquals(204, alice.delete("/api/me", new JsonObject().put("authKey", alice.keys().authKey())).statusCode());
    assertEquals(0, count(alice));
    assertNull(stored(a1));
    assertEquals(new JsonArray().add(bobs), list(bob));
  }

  protected static JsonObject without(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }
}
