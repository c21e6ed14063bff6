package dev.bridgework.storage;

import dev.bridgework.realtime.Stream;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class VaultTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void sealedTextRoundTripsAndIsNotPlaintext() {
    DataKey key = server.app.vault().userKey(UUID.randomUUID().toString()).await();
    String secret = "I am afraid I am too much — 你好 — שלום";
    String sealed = key.seal("reflections", "r1", "sealed", secret);
    assertFalse(sealed.contains("afraid"));
    assertNotEquals(sealed, key.seal("reflections", "r1", "sealed", secret), "a fresh IV every time");
    assertEquals(secret, key.open("reflections", "r1", "sealed", sealed));
    assertEquals(null, key.seal("reflections", "r1", "sealed", null));
  }

  @Test
  void aValueCannotBeOpenedWithAnotherOwnersKey() {
    DataKey alice = server.app.vault().userKey(UUID.randomUUID().toString()).await();
    DataKey bob = server.app.vault().userKey(UUID.randomUUID().toString()).await();
    String sealed = alice.seal("reflections", "r1", "sealed", "only mine");
    assertThrows(IllegalStateException.class, () -> bob.open("reflections", "r1", "sealed", sealed));
    String legacy = alice.sealFirstVersion("only mine too");
    assertThrows(IllegalStateException.class, () -> bob.open("reflections", "r1", "sealed", legacy));
  }

  @Test
  void theSameKeyComesBackAndDestroyingItErasesTheDataForGood() {
    String owner = UUID.randomUUID().toString();
    DataKey first = server.app.vault().userKey(owner).await();
    String sealed = first.seal("reflections", "r1", "sealed", "erase me");
    assertEquals("erase me", server.app.vault().userKey(owner).await().open("reflections", "r1", "sealed", sealed));
    server.app.vault().destroyUserKey(owner).await();
    // Only a tombstone is left: no wrapped key.
    JsonObject doc = server.mongo().findOne("keys", new JsonObject().put("_id", "u:" + owner), null).await();
    assertEquals(new JsonObject().put("_id", "u:" + owner).put("destroyed", true), doc);
    assertNull(server.app.vault().existingUserKey(owner).await());
  }

  @Test
  void aDestroyedKeyCanNeverBeCreatedAgain() {
    String couple = UUID.randomUUID().toString();
    server.app.vault().coupleKey(couple).await();
    server.app.vault().destroyCoupleKey(couple).await();
    // A request racing with the dissolution asks for the couple's key afterwards: refused, nothing made.
    Throwable e = assertThrows(Throwable.class, () -> server.app.vault().coupleKey(couple).await());
    assertTrue(e instanceof KeyDestroyedException, e.toString());
    assertEquals(new JsonObject().put("_id", "c:" + couple).put("destroyed", true),
        server.mongo().findOne("keys", new JsonObject().put("_id", "c:" + couple), null).await());
    // Destroyed before it was ever made (a deletion that ran first): never made either.
    String never = UUID.randomUUID().toString();
    server.app.vault().destroyCoupleKey(never).await();
    assertThrows(KeyDestroyedException.class, () -> server.app.vault().coupleKey(never).await());
    // Destroyed while a create was under way (the create's insert loses to the tombstone's _id).
    String racing = UUID.randomUUID().toString();
    var create = server.app.vault().coupleKey(racing);
    server.app.vault().destroyCoupleKey(racing).await();
    create.otherwiseEmpty().await();
    assertThrows(KeyDestroyedException.class, () -> server.app.vault().coupleKey(racing).await());
  }

  @Test
  void storedKeysAreNotTheRawKeys() {
    String owner = UUID.randomUUID().toString();
    DataKey key = server.app.vault().coupleKey(owner).await();
    byte[] raw = key.rawForTests();
    assertEquals(32, raw.length);
    JsonObject doc = server.mongo().findOne("keys", new JsonObject().put("_id", "c:" + owner), null).await();
    byte[] wrapped = java.util.Base64.getDecoder().decode(doc.getString("wrapped"));
    assertEquals(12 + 32 + 16, wrapped.length, "IV, the key encrypted, the GCM tag");
    for (int i = 0; i + 32 <= wrapped.length; i++) {
      assertFalse(Arrays.equals(raw, Arrays.copyOfRange(wrapped, i, i + 32)), "the raw key appears in the stored bytes");
    }
    assertFalse(server.dumpDatabase().contains(java.util.Base64.getEncoder().encodeToString(raw)), "the raw key in base64");
    assertFalse(server.dumpDatabase().contains(java.util.HexFormat.of().formatHex(raw)), "the raw key in hex");
    // The wrapped bytes opened with a wrong master key do not give the key.
    DataKey other = new DataKey("c:" + owner, new javax.crypto.spec.SecretKeySpec(new byte[32], "AES"));
    assertThrows(IllegalStateException.class, () -> other.open("shares", "s1", "title", key.seal("shares", "s1", "title", "x")));
  }

  @Test
  void aValueMovedToAnotherRecordOrFieldDoesNotOpen() {
    DataKey key = server.app.vault().coupleKey(UUID.randomUUID().toString()).await();
    String share = UUID.randomUUID().toString();
    String title = key.seal("shares", share, "title", "our weekend");
    assertEquals("our weekend", key.open("shares", share, "title", title));
    assertTrue(title.startsWith("e2:"), title);
    assertThrows(IllegalStateException.class, () -> key.open("shares", UUID.randomUUID().toString(), "title", title), "another share");
    assertThrows(IllegalStateException.class, () -> key.open("shares", share, "note", title), "another field");
    assertThrows(IllegalStateException.class, () -> key.open("reviews", share, "title", title), "another collection");
    // A first-version value (bound to the key only) still opens wherever it is read.
    String legacy = key.sealFirstVersion("written before e2");
    assertTrue(legacy.startsWith("e1:"));
    assertEquals("written before e2", key.open("shares", share, "note", legacy));
  }

  @Test
  void aShareTitleSwappedIntoAnotherShareOfTheSameCoupleDoesNotOpen() {
    var alice = server.register("Alice");
    var bob = server.register("Bob");
    dev.bridgework.couple.Pairing.pair(alice, bob);
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    for (String id : new String[] {first, second}) {
      assertEquals(201, alice.put("/api/shares/" + id, new JsonObject().put("title", "title of " + id).put("intent", "listen")
          .put("excerpts", new io.vertx.core.json.JsonArray().add(new JsonObject().put("text", "words")))).statusCode());
    }
    JsonObject firstDoc = server.mongo().findOne("shares", new JsonObject().put("_id", first), null).await();
    // Someone with write access to the database moves the first share's sealed title into the second.
    server.mongo().updateCollection("shares", new JsonObject().put("_id", second),
        new JsonObject().put("$set", new JsonObject().put("title", firstDoc.getString("title")))).await();
    var r = bob.get("/api/shares/" + second);
    assertEquals(500, r.statusCode(), "a swapped value is refused, never shown as the other share's title: " + r.bodyAsString());
    assertFalse(r.bodyAsString().contains("title of " + first));
    assertEquals(200, bob.get("/api/shares/" + first).statusCode());
  }

  @Test
  void storedKeysAreWrappedByTheMasterKey() {
    String owner = UUID.randomUUID().toString();
    server.app.vault().coupleKey(owner).await();
    JsonObject doc = server.mongo().findOne("keys", new JsonObject().put("_id", "c:" + owner), null).await();
    assertEquals(Set.of("_id", "wrapped"), doc.fieldNames());
  }

  @Test
  void coupleEventPayloadsAreStoredSealed() {
    Stream stream = Stream.couple(UUID.randomUUID().toString());
    JsonObject event = server.app.events().append(stream, "reflection.saved", new JsonObject().put("text", "planted-sentence-42")).await();
    assertEquals(1L, event.getLong("seq"));
    assertFalse(server.dumpDatabase().contains("planted-sentence-42"));
    assertEquals("planted-sentence-42", server.app.events().read(stream, 1, 1).await().get(0).getJsonObject("data").getString("text"));
  }

  @Test
  void selfEventPayloadsAreStoredAsTheClientSealedThemWithoutAServerKey() {
    String userId = UUID.randomUUID().toString();
    Stream stream = Stream.self(userId);
    JsonObject envelope = new JsonObject().put("v", 1).put("iv", "AAAAAAAAAAAAAAAA").put("ct", "client-sealed-bytes");
    server.app.events().append(stream, "reflection.saved", new JsonObject().put("id", "r1").put("sealed", envelope)).await();
    assertEquals(envelope, server.app.events().read(stream, 1, 1).await().get(0).getJsonObject("data").getJsonObject("sealed"));
    assertNull(server.app.vault().existingUserKey(userId).await(), "no server-side key is made for private work");
  }

  @Test
  void theMasterKeyIsGeneratedOnceWithOwnerOnlyPermissions() throws Exception {
    Path dir = Files.createTempDirectory("bw-key");
    byte[] first = Vault.loadMasterKey("", dir, false);
    byte[] second = Vault.loadMasterKey("", dir, false);
    assertArrayEquals(first, second);
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir.resolve("master.key"));
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
    byte[] configured = new byte[32];
    Arrays.fill(configured, (byte) 7);
    assertArrayEquals(configured, Vault.loadMasterKey(java.util.Base64.getEncoder().encodeToString(configured), dir, false));
    assertThrows(IllegalArgumentException.class, () -> Vault.loadMasterKey("c2hvcnQ=", dir, false));
    assertTrue(Files.exists(dir.resolve("master.key")));
  }
}
