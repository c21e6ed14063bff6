package dev.bridgework.privacy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.bridgework.couple.Pairing;
import dev.bridgework.storage.Database;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import dev.bridgework.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claim of end-to-end encryption, tested as the operator would try to break it: with the whole
 * data directory and its {@code master.key} in hand after a clean stop, every collection read and
 * every value decrypted with every server-side key, the private texts people planted are nowhere:
 * not in the collections (raw or decrypted), not in the H2 file's bytes (as UTF-8 or base64), not
 * in the event history, the logs or the export. Shared text, which the server may read by design,
 * is found by the same search (so the search works), and the owner's vault key opens the private
 * envelopes to the planted texts (so they were really written).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class ServerCannotReadTest {
  /** The data key format of {@code storage.Vault}/{@code DataKey}: {@code e1:} + base64(iv || ct || tag), AAD = the key id. */
  private static final List<String> SEALED_PREFIXES = List.of("e1:", "e2:");

  record Planted(String reflection, String part, String checkin, String kept, String shared) {
    List<String> privateTexts() {
      return List.of(reflection, part, checkin, kept);
    }
  }

  @Test
  void withTheMasterKeyAndTheWholeDataDirectoryThePrivateTextsAreNowhere(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("bw-cannot-read");
    String tag = UUID.randomUUID().toString();
    Planted planted = new Planted("PLANTED-REFLECTION-" + tag, "PLANTED-PART-" + tag, "PLANTED-CHECKIN-" + tag,
        "PLANTED-KEPT-" + tag, "SHARED-ON-PURPOSE-" + tag);
    String reflectionId = UUID.randomUUID().toString();
    String partId = UUID.randomUUID().toString();
    String checkinId = UUID.randomUUID().toString();
    String keptId = UUID.randomUUID().toString();

    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    String export;
    Api alice;
    try (TestServer server = TestServer.startOn(vertx, Map.of("data.dir", dataDir.toString()))) {
      alice = server.register("Alice");
      Api bob = server.register("Bob");
      Pairing.pair(alice, bob);
      try (WsClient aliceSocket = WsClient.open(alice.anotherDevice()); WsClient bobSocket = WsClient.open(bob)) {
        aliceSocket.welcomeAndResume();
        bobSocket.welcomeAndResume();
        assertEquals(201, alice.saveReflection(reflectionId, "free-blank-page",
            new JsonObject().put("on-your-mind", planted.reflection()), "complete", null).statusCode());
        assertEquals(201, alice.savePart(partId, new JsonObject().put("name", planted.part()).put("role", "exile")
            .put("belief", planted.part() + " belief"), null).statusCode());
        assertEquals(201, alice.saveCheckin(checkinId, null, new JsonObject().put("emotions", new JsonArray().add(planted.checkin()))
            .put("intensity", 7).put("note", planted.checkin() + " note"), null).statusCode());
        assertEquals(201, alice.saveKept(keptId, new JsonObject().put("source", "share").put("title", planted.kept()), null).statusCode());
        var share = alice.put("/api/shares/" + UUID.randomUUID(), new JsonObject().put("title", "A share").put("intent", "listen")
            .put("reflectionId", reflectionId)
            .put("excerpts", new JsonArray().add(new JsonObject().put("stepId", "on-your-mind").put("text", planted.shared()))));
        assertEquals(201, share.statusCode(), share.bodyAsString());
        // Let the events flow: the other device sees all four private changes, the partner the share.
        for (String kind : List.of("reflection.saved", "part.saved", "checkin.saved", "kept.saved")) {
          JsonObject event = aliceSocket.await(f -> "event".equals(f.getString("type")) && kind.equals(f.getString("kind")), Duration.ofSeconds(20));
          assertFalse(event.encode().contains(tag), "a self event carries only the sealed object: " + event.encode());
        }
        JsonObject shared = bobSocket.await(f -> "share.created".equals(f.getString("kind")), Duration.ofSeconds(20));
        assertTrue(shared.encode().contains(planted.shared()), "the partner reads the share");
      }
      var exported = alice.get("/api/me/export");
      assertEquals(200, exported.statusCode());
      export = exported.bodyAsString();
      var unsealed = alice.get("/api/me/unsealed");
      assertEquals(200, unsealed.statusCode(), unsealed.bodyAsString());
      for (String text : planted.privateTexts()) assertFalse(unsealed.bodyAsString().contains(text));
    } finally {
      root.detachAppender(logs);
      root.setLevel(level);
    }

    // The export: envelopes only, which the owner's client opens to the planted text.
    for (String text : planted.privateTexts()) assertFalse(export.contains(text), "the export holds " + text + " in the clear");
    JsonObject exportJson = new JsonObject(export);
    JsonObject exportedReflection = exportJson.getJsonArray("reflections").getJsonObject(0);
    assertEquals(planted.reflection(), alice.openReflection(exportedReflection).getJsonObject("answers").getString("on-your-mind"),
        "positive control: the owner's vault key opens the exported envelope");

    // The logs of the whole run, at DEBUG.
    assertTrue(logs.list.size() > 0, "logs were captured");
    for (ILoggingEvent e : logs.list) {
      String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
      for (String text : planted.privateTexts()) assertFalse(line.contains(text), "a log line holds " + text + ": " + line);
    }

    // Now the operator: master.key and the data directory, the server stopped.
    byte[] master = Base64.getDecoder().decode(Files.readString(dataDir.resolve("master.key")).trim());
    assertEquals(32, master.length);
    Map<String, List<JsonObject>> collections = readEverything(vertx, dataDir);
    assertTrue(collections.containsKey("reflections") && collections.containsKey("events") && collections.containsKey("keys"),
        "collections: " + collections.keySet());

    Map<String, byte[]> dataKeys = new LinkedHashMap<>();
    for (JsonObject key : collections.get("keys")) {
      String id = key.getString("_id");
      if (key.getBoolean("destroyed", false)) continue; // a destroyed key's tombstone holds nothing
      byte[] wrapped = Base64.getDecoder().decode(key.getString("wrapped"));
      dataKeys.put(id, decrypt(master, id, wrapped));
    }
    assertTrue(dataKeys.size() >= 1, "the server's keys unwrap with the master key");

    StringBuilder raw = new StringBuilder();
    StringBuilder opened = new StringBuilder();
    List<Located> strings = new ArrayList<>();
    collections.forEach((name, docs) -> docs.forEach(doc -> {
      raw.append(name).append(' ').append(doc.encode()).append('\n');
      doc.forEach(field -> collectStrings(field.getValue(), name, String.valueOf(doc.getValue("_id")), field.getKey(), strings));
    }));
    int decrypted = 0;
    for (Located s : strings) {
      for (String candidate : decryptWithEverything(s, master, dataKeys)) {
        opened.append(candidate).append('\n');
        decrypted++;
      }
    }
    assertTrue(decrypted > 0, "some values were decrypted with the server's keys");
    assertTrue(opened.toString().contains(planted.shared()), "positive control: the server's keys open the shared text");

    for (String text : planted.privateTexts()) {
      assertFalse(raw.toString().contains(text), text + " is stored in the clear");
      assertFalse(opened.toString().contains(text), text + " opens with a server-side key");
    }
    String events = collections.get("events").stream().map(JsonObject::encode).reduce("", String::concat);
    assertFalse(events.isEmpty(), "events were stored");

    // Positive control on the stored bytes themselves: the envelope in the database opens with the vault key.
    List<JsonObject> envelopes = new ArrayList<>();
    for (JsonObject doc : collections.get("reflections")) {
      if (reflectionId.equals(doc.getString("_id"))) findEnvelopes(doc, envelopes);
    }
    for (String s : opened.toString().split("\n")) {
      if (s.startsWith("{")) {
        try {
          findEnvelopes(new JsonObject(s), envelopes);
        } catch (RuntimeException notJson) {
          // not an object
        }
      }
    }
    assertTrue(envelopes.stream().anyMatch(env -> {
      try {
        return alice.open("reflection", reflectionId, env).encode().contains(planted.reflection());
      } catch (IllegalArgumentException other) {
        return false;
      }
    }), "the stored reflection opens with the owner's vault key: " + envelopes);

    // The raw H2 file (and anything else in the directory): not as UTF-8, not as base64.
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String text : planted.privateTexts()) {
          assertFalse(bytes.contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)),
              text + " is in " + file.getFileName());
          for (String b64 : base64Forms(text)) assertFalse(bytes.contains(b64), text + " is in " + file.getFileName() + " as base64");
        }
      }
    }
  }

  /** Every collection of the stopped server's data directory, opened the way the server opens it. */
  static Map<String, List<JsonObject>> readEverything(Vertx vertx, Path dataDir) {
    Database db = Database.start(vertx, "", "bridgework", dataDir).await();
    try {
      MongoClient mongo = db.client();
      Map<String, List<JsonObject>> out = new LinkedHashMap<>();
      for (String name : mongo.getCollections().await()) out.put(name, mongo.find(name, new JsonObject()).await());
      return out;
    } finally {
      db.close().await();
    }
  }

  /** A stored string and its place: its collection, its document's id and its field's path. */
  record Located(String collection, String docId, String field, String value) {}

  /**
   * Tries a value as a sealed value of each data key (bound to the key's id alone, {@code e1:}, or to
   * the key, the collection, the document and the field, {@code e2:}: an operator knows all four),
   * and as raw base64 under each key and the master key.
   */
  static List<String> decryptWithEverything(Located located, byte[] master, Map<String, byte[]> dataKeys) {
    List<String> out = new ArrayList<>();
    String value = located.value();
    String body = value;
    for (String prefix : SEALED_PREFIXES) if (value.startsWith(prefix)) body = value.substring(prefix.length());
    if (body.length() < 40) return out;
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException notStd) {
      try {
        bytes = Base64.getUrlDecoder().decode(body);
      } catch (IllegalArgumentException notBase64) {
        return out;
      }
    }
    for (var key : dataKeys.entrySet()) {
      String bound = key.getKey() + "\n" + located.collection() + "\n" + located.docId() + "\n" + located.field();
      for (String aad : List.of(key.getKey(), bound)) {
        String opened = tryDecrypt(key.getValue(), aad, bytes);
        if (opened != null) out.add(opened);
      }
    }
    for (String aad : dataKeys.keySet()) {
      String opened = tryDecrypt(master, aad, bytes);
      if (opened != null) out.add(opened);
    }
    return out;
  }

  static String tryDecrypt(byte[] key, String aad, byte[] sealed) {
    try {
      return new String(decrypt(key, aad, sealed), StandardCharsets.UTF_8);
    } catch (IllegalStateException doesNotOpen) {
      return null;
    }
  }

  static byte[] decrypt(byte[] key, String aad, byte[] sealed) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
      cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(sealed, 12, sealed.length - 12);
    } catch (Exception e) {
      throw new IllegalStateException("does not open", e);
    }
  }

  /** Every string under a field, with its path ({@code responses.<id>.text}: array items by their id, else index). */
  static void collectStrings(Object value, String collection, String docId, String path, List<Located> out) {
    if (value instanceof String s) out.add(new Located(collection, docId, path, s));
    if (value instanceof JsonObject o) o.forEach(e -> collectStrings(e.getValue(), collection, docId, path + "." + e.getKey(), out));
    if (value instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        Object item = a.getValue(i);
        String segment = item instanceof JsonObject o && o.getValue("id") instanceof String id ? id : String.valueOf(i);
        collectStrings(item, collection, docId, path + "." + segment, out);
      }
    }
  }

  static void findEnvelopes(Object value, List<JsonObject> out) {
    if (value instanceof JsonObject o) {
      if (o.containsKey("iv") && o.containsKey("ct")) out.add(o);
      o.forEach(e -> findEnvelopes(e.getValue(), out));
    }
    if (value instanceof JsonArray a) a.forEach(v -> findEnvelopes(v, out));
    if (value instanceof String s && s.startsWith("{") && s.contains("\"ct\"")) {
      try {
        findEnvelopes(new JsonObject(s), out);
      } catch (RuntimeException notJson) {
        // a string that only looks like JSON
      }
    }
  }

  /** The text's base64 at each of the three byte alignments, standard and URL-safe, without the edges that depend on neighbours. */
  static List<String> base64Forms(String text) {
    List<String> out = new ArrayList<>();
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    for (int shift = 0; shift < 3; shift++) {
      byte[] shifted = new byte[shift + utf8.length];
      System.arraycopy(utf8, 0, shifted, shift, utf8.length);
      String std = Base64.getEncoder().withoutPadding().encodeToString(shifted);
      String stable = std.substring(shift == 0 ? 0 : 4, std.length() - 4);
      out.add(stable);
      out.add(stable.replace('+', '-').replace('/', '_'));
    }
    return out;
  }
}
