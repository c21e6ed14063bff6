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
    String sealed = key.seal(secret);
    assertFalse(sealed.contains("afraid"));
    assertNotEquals(sealed, key.seal(secret), "a fresh IV every time");
    assertEquals(secret, key.open(sealed));
    assertEquals(null, key.seal(null));
  }

  @Test
  void aValueCannotBeOpenedWithAnotherOwnersKey() {
    DataKey alice = server.app.vault().userKey(UUID.randomUUID().toString()).await();
    DataKey bob = server.app.vault().userKey(UUID.randomUUID().toString()).await();
    String sealed = alice.seal("only mine");
    assertThrows(IllegalStateException.class, () -> bob.open(sealed));
  }

  @Test
  void theSameKeyComesBackAndDestroyingItErasesTheData() {
    String owner = UUID.randomUUID().toString();
    DataKey first = server.app.vault().userKey(owner).await();
    String sealed = first.seal("erase me");
    assertEquals("erase me", server.app.vault().userKey(owner).await().open(sealed));
    server.app.vault().destroyUserKey(owner).await();
    assertEquals(0L, server.mongo().count("keys", new JsonObject().put("_id", "u:" + owner)).await());
    DataKey fresh = server.app.vault().userKey(owner).await();
    assertThrows(IllegalStateException.class, () -> fresh.open(sealed));
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
