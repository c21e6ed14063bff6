package dev.bridgework.storage;

import com.mongodb.MongoException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Envelope encryption for text at rest. Every user has a data key for private work and every couple
 * one for the joint space; data keys are stored in {@code keys} wrapped (AES-256-GCM) by the master
 * key, which never touches the database. Destroying a data key makes everything sealed with it
 * unreadable (crypto-erasure), even in old backups.
 *
 * <p>Erasure holds across a cluster and against races (issue #13):
 * <ul>
 *   <li>No node caches a data key: every use reads it by {@code _id} (one indexed lookup on either
 *       database) and unwraps it (microseconds), so once {@link #destroyCoupleKey} and friends have
 *       answered, no node anywhere can open or seal with that key any more. A per-node cache would
 *       need every node to acknowledge an invalidation before the erasing request is answered, and a
 *       node that misses the message would keep the key.</li>
 *   <li>Destroying leaves a tombstone ({@code {_id, destroyed:true}}) instead of the key, and a key is
 *       never created over a tombstone: a request racing with a dissolution or an account deletion
 *       fails with {@link KeyDestroyedException} instead of making a fresh key that would let new
 *       text of the erased couple or person be stored readable again.</li>
 * </ul>
 */
public final class Vault {
  private static final Logger LOG = LoggerFactory.getLogger(Vault.class);
  static final String COLLECTION = "keys";

  private final MongoClient mongo;
  private final SecretKey master;
  private final SecureRandom random = new SecureRandom();
  public Vault(MongoClient mongo, byte[] masterKey) {
    if (masterKey.length != 32) throw new IllegalArgumentException("the master key must be 32 bytes (AES-256)");
    this.mongo = mongo;
    this.master = new SecretKeySpec(masterKey, "AES");
  }

  public Future<DataKey> userKey(String userId) {
    return key("u:" + userId);
  }

  /**
   * The user's server-side data key if it exists, else null; never creates one. Since end-to-end
   * encryption it opens only what the server still holds for the user until their client seals it
   * (legacy private work, words kept from a dissolved joint space), and is destroyed after that.
   */
  public Future<DataKey> existingUserKey(String userId) {
    return existing("u:" + userId);
  }

  /**
   * A key of its own for one item the server holds for its owner until their client seals it (words
   * kept from a dissolved joint space), destroyed as soon as the item is sealed.
   */
  public Future<DataKey> heldKey(String itemId) {
    return key("h:" + itemId);
  }

  public Future<DataKey> existingHeldKey(String itemId) {
    return existing("h:" + itemId);
  }

  public Future<Void> destroyHeldKey(String itemId) {
    return destroy("h:" + itemId);
  }

  private Future<DataKey> existing(String id) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null)
        .map(doc -> doc == null || isTombstone(doc) ? null : unwrap(id, doc));
  }

  public Future<DataKey> coupleKey(String coupleId) {
    return key("c:" + coupleId);
  }

  public Future<Void> destroyUserKey(String userId) {
    return destroy("u:" + userId);
  }

  public Future<Void> destroyCoupleKey(String coupleId) {
    return destroy("c:" + coupleId);
  }

  /** Replaces the key by its tombstone (whether or not it existed): from now on it opens nothing and is never made again. */
  private Future<Void> destroy(String id) {
    return mongo.save(COLLECTION, tombstone(id)).mapEmpty();
  }

  private static JsonObject tombstone(String id) {
    return new JsonObject().put("_id", id).put("destroyed", true);
  }

  private static boolean isTombstone(JsonObject doc) {
    return doc.getBoolean("destroyed", false);
  }

  private DataKey usable(String id, JsonObject doc) {
    if (isTombstone(doc)) throw new KeyDestroyedException(id);
    return unwrap(id, doc);
  }

  private Future<DataKey> key(String id) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null).compose(doc -> {
      if (doc != null) return Future.succeededFuture(usable(id, doc));
      byte[] raw = new byte[32];
      random.nextBytes(raw);
      String wrapped = Base64.getEncoder().encodeToString(DataKey.encrypt(master, id.getBytes(StandardCharsets.UTF_8), raw));
      JsonObject created = new JsonObject().put("_id", id).put("wrapped", wrapped);
      return mongo.insert(COLLECTION, created)
          .map(v -> new DataKey(id, new SecretKeySpec(raw, "AES")))
          .recover(e -> {
            // Another request created it first (use theirs), or it was destroyed meanwhile (refuse).
            if (e instanceof MongoException m && m.getCode() == 11000) {
              return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null).map(d -> usable(id, d));
            }
            return Future.failedFuture(e);
          });
    });
  }

  private DataKey unwrap(String id, JsonObject doc) {
    byte[] raw = DataKey.decrypt(master, id.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(doc.getString("wrapped")));
    return new DataKey(id, new SecretKeySpec(raw, "AES"));
  }

  /**
   * The master key: from configuration (base64 of 32 bytes) when given; otherwise read from (or
   * generated once into) {@code <dataDir>/master.key}, readable by the owner only. Blocking file IO:
   * call at start-up, off the event loop.
   */
  public static byte[] loadMasterKey(String configured, Path dataDir, boolean inMemory) throws IOException {
    if (configured != null && !configured.isBlank()) {
      byte[] key = Base64.getDecoder().decode(configured.trim());
      if (key.length != 32) throw new IllegalArgumentException("crypto.masterKey must be base64 of 32 bytes");
      return key;
    }
    byte[] key = new byte[32];
    if (inMemory) {
      new SecureRandom().nextBytes(key);
      return key;
    }
    Path file = dataDir.resolve("master.key");
    if (Files.exists(file)) {
      byte[] stored = Base64.getDecoder().decode(Files.readString(file).trim());
      if (stored.length != 32) throw new IllegalStateException(file + " does not hold a 32-byte key");
      return stored;
    }
    Files.createDirectories(dataDir);
    new SecureRandom().nextBytes(key);
    Path tmp = dataDir.resolve("master.key.tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n");
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    LOG.info("Generated a new master key at {} (back it up: without it the data cannot be read)", file.toAbsolutePath());
    return key;
  }
}
