package dev.bridgework.privacy;

import dev.bridgework.couple.Pairing;
import dev.bridgework.realtime.Stream;
import dev.bridgework.storage.DataKey;
import dev.bridgework.storage.LegacySeal;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every ciphertext the server writes is bound to its collection, document id and field ({@code e2:},
 * storage.DataKey), also on the paths that used to write the key-only form: share edits, response
 * edits and the event log. Someone with write access to the database who copies one record's sealed
 * value over another's, of the same couple and under the same key, gets an error, never the moved
 * text served as the other record's. Values written in the first form ({@code e1:}) still read.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class SwappedCiphertextTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  record Couple(Api alice, Api bob, String id) {}

  static Couple couple() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    return new Couple(alice, bob, Pairing.pair(alice, bob));
  }

  static String unique(String label) {
    return label + "-" + UUID.randomUUID();
  }

  static JsonObject share(String title, String note, String excerpt) {
    return new JsonObject().put("title", title).put("note", note).put("intent", "respond")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", excerpt)));
  }

  static JsonObject stored(String collection, String id) {
    return server.mongo().findOne(collection, new JsonObject().put("_id", id), null).await();
  }

  static void set(String collection, String id, JsonObject fields) {
    server.mongo().updateCollection(collection, new JsonObject().put("_id", id), new JsonObject().put("$set", fields)).await();
  }

  /** Creates a share, then edits it (the edit path seals anew), answering its stored document. */
  static JsonObject sharedAndEdited(Couple c, String id, String note) {
    assertEquals(201, c.alice().put("/api/shares/" + id, share(unique("first title"), unique("first note"), "words")).statusCode());
    var edited = c.alice().put("/api/shares/" + id, share(unique("edited title"), note, unique("edited words")).put("version", 1));
    assertEquals(200, edited.statusCode(), edited.bodyAsString());
    assertEquals(note, edited.bodyAsJsonObject().getString("note"));
    return stored("shares", id);
  }

  static void assertRefused(HttpResponse<Buffer> r, String... neverShown) {
    assertEquals(500, r.statusCode(), "a moved value is refused, never served: " + r.bodyAsString());
    for (String text : neverShown) assertFalse(r.bodyAsString().contains(text), "served the moved text " + text);
  }

  @Test
  void anEditedShareIsSealedForItsOwnFieldsAndAMovedNoteDoesNotOpen() {
    Couple c = couple();
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    String firstNote = unique("note of the first share");
    JsonObject firstDoc = sharedAndEdited(c, first, firstNote);
    sharedAndEdited(c, second, unique("note of the second share"));
    for (String field : List.of("title", "note", "excerpts")) {
      assertTrue(firstDoc.getString(field).startsWith("e2:"), field + " " + firstDoc.getString(field));
    }

    // The first share's note copied over the second's: same couple, same key, another record.
    set("shares", second, new JsonObject().put("note", firstDoc.getString("note")));
    assertRefused(c.bob().get("/api/shares/" + second), firstNote);
    // Within one record: the note copied over its own title.
    set("shares", first, new JsonObject().put("title", firstDoc.getString("note")));
    assertRefused(c.bob().get("/api/shares/" + first), firstNote);
    // The positive control: put back, it reads again.
    set("shares", first, new JsonObject().put("title", firstDoc.getString("title")));
    var back = c.bob().get("/api/shares/" + first);
    assertEquals(200, back.statusCode(), back.bodyAsString());
    assertEquals(firstNote, back.bodyAsJsonObject().getString("note"));
  }

  @Test
  void anEditedResponseIsSealedForItsOwnResponseAndCannotBeMoved() {
    Couple c = couple();
    String shareId = UUID.randomUUID().toString();
    assertEquals(201, c.alice().put("/api/shares/" + shareId, share("t", "n", "words")).statusCode());
    String one = UUID.randomUUID().toString();
    String two = UUID.randomUUID().toString();
    String path = "/api/shares/" + shareId + "/responses/";
    assertEquals(201, c.bob().put(path + one, comment("first comment")).statusCode());
    assertEquals(201, c.bob().put(path + two, comment("second comment")).statusCode());
    String edited = unique("the first comment, edited");
    var r = c.bob().put(path + one, comment(edited));
    assertEquals(200, r.statusCode(), r.bodyAsString());

    JsonArray responses = stored("shares", shareId).getJsonArray("responses");
    String sealedOne = textOf(responses, one);
    assertTrue(sealedOne.startsWith("e2:"), sealedOne);
    assertTrue(textOf(responses, two).startsWith("e2:"));
    // Comment one's edited text copied over comment two's, in the same share.
    JsonArray moved = new JsonArray();
    for (Object o : responses) {
      JsonObject response = ((JsonObject) o).copy();
      if (response.getString("id").equals(two)) response.put("text", sealedOne);
      moved.add(response);
    }
    set("shares", shareId, new JsonObject().put("responses", moved));
    assertRefused(c.alice().get("/api/shares/" + shareId), edited);
  }

  private static JsonObject comment(String text) {
    return new JsonObject().put("kind", "comment").put("text", text);
  }

  private static String textOf(JsonArray responses, String responseId) {
    for (Object o : responses) {
      JsonObject response = (JsonObject) o;
      if (response.getString("id").equals(responseId)) return response.getString("text");
    }
    throw new AssertionError("no response " + responseId);
  }

  @Test
  void coupleEventsAreSealedForTheirOwnEventAndAMovedPayloadIsNeverServed() {
    Couple c = couple();
    Stream stream = Stream.couple(c.id());
    long before = server.app.events().head(stream).await();
    String firstTitle = unique("first title");
    String secondTitle = unique("second title");
    assertEquals(201, c.alice().put("/api/shares/" + UUID.randomUUID(), share(firstTitle, "n", "w")).statusCode());
    assertEquals(201, c.alice().put("/api/shares/" + UUID.randomUUID(), share(secondTitle, "n", "w")).statusCode());
    long first = before + 1;
    long second = before + 2;
    assertEquals(second, server.app.events().head(stream).await());
    JsonObject firstEvent = stored("events", stream.eventId(first));
    JsonObject secondEvent = stored("events", stream.eventId(second));
    assertTrue(firstEvent.getString("sealed").startsWith("e2:"), firstEvent.encode());
    assertTrue(secondEvent.getString("sealed").startsWith("e2:"), secondEvent.encode());

    // The positive control: replayed from before them, both arrive with their titles.
    try (WsClient bob = WsClient.open(c.bob())) {
      resume(bob, before);
      assertTrue(eventFrame(bob, second).encode().contains(secondTitle));
    }

    // The two payloads swapped: each event's stored payload is now the other's.
    set("events", stream.eventId(first), new JsonObject().put("sealed", secondEvent.getString("sealed")));
    set("events", stream.eventId(second), new JsonObject().put("sealed", firstEvent.getString("sealed")));
    assertThrows(Exception.class, () -> server.app.events().read(stream, first, first).await());
    assertThrows(Exception.class, () -> server.app.events().read(stream, second, second).await());
    // A socket replaying them never gets either payload: the feed keeps retrying the unreadable read.
    try (WsClient bob = WsClient.open(c.bob())) {
      resume(bob, before);
      List<JsonObject> seen = framesFor(bob, Duration.ofSeconds(3));
      for (JsonObject frame : seen) {
        assertFalse("event".equals(frame.getString("type")) && "couple".equals(frame.getString("stream"))
            && frame.getLong("seq") >= first, "served a moved event: " + frame.encode());
        assertFalse(frame.encode().contains(firstTitle) || frame.encode().contains(secondTitle), frame.encode());
      }
    }
  }

  @Test
  void valuesSealedInTheFirstFormStillRead() {
    Couple c = couple();
    String shareId = UUID.randomUUID().toString();
    assertEquals(201, c.alice().put("/api/shares/" + shareId, share("t", "n", "words")).statusCode());
    DataKey key = server.app.vault().coupleKey(c.id()).await();
    String oldNote = unique("a note written before e2");
    set("shares", shareId, new JsonObject().put("note", LegacySeal.firstVersion(key, oldNote)));
    var r = c.bob().get("/api/shares/" + shareId);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(oldNote, r.bodyAsJsonObject().getString("note"));

    Stream stream = Stream.couple(c.id());
    long seq = server.app.events().head(stream).await();
    JsonObject oldData = new JsonObject().put("id", shareId).put("title", unique("an event written before e2"));
    set("events", stream.eventId(seq), new JsonObject().put("sealed", LegacySeal.firstVersion(key, oldData.encode())));
    assertEquals(oldData, server.app.events().read(stream, seq, seq).await().get(0).getJsonObject("data"));
  }

  @Test
  void noPathWritesTheFirstFormAnyMore() {
    Couple c = couple();
    String shareId = UUID.randomUUID().toString();
    sharedAndEdited(c, shareId, unique("note"));
    String path = "/api/shares/" + shareId + "/responses/" + UUID.randomUUID();
    assertEquals(201, c.bob().put(path, comment("a comment")).statusCode());
    assertEquals(200, c.bob().put(path, comment("a comment, edited")).statusCode());
    String dump = server.dumpDatabase();
    // A sealed value starts a JSON string; "e1: inside ids cannot (ids are UUIDs or <stream>:<seq>).
    assertFalse(dump.contains("\"e1:"), "a first-form value was written:\n" + firstFormLines(dump));
    assertTrue(dump.contains("\"e2:"));
  }

  private static String firstFormLines(String dump) {
    List<String> lines = new ArrayList<>();
    for (String line : dump.split("\n")) if (line.contains("\"e1:")) lines.add(line.substring(0, Math.min(200, line.length())));
    return String.join("\n", lines);
  }

  private static void resume(WsClient ws, long couple) {
    JsonObject welcome = ws.awaitType("welcome", Duration.ofSeconds(20));
    ws.send(new JsonObject().put("type", "resume").put("self", welcome.getJsonObject("heads").getLong("self")).put("couple", couple));
  }

  private static JsonObject eventFrame(WsClient ws, long seq) {
    return ws.await(f -> "event".equals(f.getString("type")) && "couple".equals(f.getString("stream"))
        && f.getLong("seq") == seq, Duration.ofSeconds(20));
  }

  /**
   * Every frame that arrives within {@code window} (to show that something does not arrive). Not the
   * ping/pong barrier: the connection answers a ping at once while the feed keeps retrying the
   * unreadable read on its timers, so a pong would come before the retries it should bound.
   */
  private static List<JsonObject> framesFor(WsClient ws, Duration window) {
    List<JsonObject> seen = new ArrayList<>();
    long deadline = System.nanoTime() + window.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return seen;
      try {
        seen.add(ws.next(Duration.ofNanos(left)));
      } catch (AssertionError timedOut) {
        return seen;
      }
    }
  }
}
