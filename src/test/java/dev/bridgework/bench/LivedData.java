package dev.bridgework.bench;

import dev.bridgework.auth.PasswordHasher;
import dev.bridgework.auth.SessionStore;
import dev.bridgework.auth.StoredAccounts;
import dev.bridgework.couple.StoredCouples;
import dev.bridgework.storage.DataKey;
import dev.bridgework.storage.Database;
import dev.bridgework.storage.Vault;
import dev.bridgework.testing.ClientCrypto;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.MongoClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A lived-in benchmark database (docs/PERFORMANCE.md "The lived-in database"): {@code couples}
 * couples (two accounts each, with a session each), {@code events} couple events and
 * {@code privateItems} private items, written into an embedded data directory through the app's own
 * storage code: the server jar makes the schema (indexes, directory markers, the master key), then
 * {@link LivedWriter} bulk-inserts documents built by the features' own builders, sealed with keys
 * made by the app's {@link Vault}. What is generated (ids, sizes, texts, who wrote what, when) is a
 * function of the seed; the cryptographic randomness (data keys, IVs) is fresh on every generation.
 *
 * <p>A generated directory is cached under {@code bench.livedCache} (default
 * {@code target/bench-data}) by seed, sizes and {@link #FORMAT}, and copied for every run, since a
 * run writes into it.
 */
final class LivedData {
  /** Bump when the generated documents' shapes change, so cached sets are made again. */
  static final int FORMAT = 2;
  static final String PASSWORD = BenchMain.PASSWORD;
  /** Bulk inserts of thousands of documents may take a while on a busy machine (the driver's read timeout is twice this). */
  private static final Duration BULK_TIMEOUT = Duration.ofMinutes(5);
  private static final int BATCH = 1000;

  record Spec(long seed, int couples, int events, int privateItems) {
    String key() {
      return String.format(Locale.ROOT, "lived-s%d-c%d-e%d-p%d-f%d", seed, couples, events, privateItems, FORMAT);
    }

    JsonObject toJson() {
      return new JsonObject().put("seed", seed).put("couples", couples).put("events", events).put("privateItems", privateItems)
          .put("format", FORMAT);
    }
  }

  /** One generated couple as the benchmark needs it: ids and emails (the password is {@link #PASSWORD}). */
  record GenCouple(int index, String id, String userA, String emailA, String userB, String emailB, int events) {}

  /** A cached, complete data set: its directory (copy it before use) and its couples. */
  record Set(Spec spec, Path dir, List<GenCouple> couples, JsonObject manifest) {
    Path data() {
      return dir.resolve("data");
    }

    /** Copies the data directory to a fresh temporary one (a run writes into it). */
    Path copy() throws IOException {
      Path target = Files.createTempDirectory("bridgework-lived-");
      try (Stream<Path> files = Files.walk(data())) {
        for (Path p : files.toList()) {
          Path to = target.resolve(data().relativize(p).toString());
          if (Files.isDirectory(p)) Files.createDirectories(to);
          else Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
      return target;
    }
  }

  private LivedData() {}

  /**
   * Generates (or finds) the set alone: {@code java -cp ... dev.bridgework.bench.LivedData} with the
   * same properties as the benchmark ({@code -Dbench.seed}, {@code -Dbench.lived.couples}, ...).
   */
  public static void main(String[] args) throws Exception {
    Set set = ensure(specFromSystemProperties(Boolean.getBoolean("bench.quick")),
        Path.of(System.getProperty("bench.jar", "target/bridgework.jar")), Files.createDirectories(Path.of("target/bench")));
    System.out.println(set.manifest().copy().put("couples", set.couples().size()).encodePrettily());
  }

  static Spec specFromSystemProperties(boolean quick) {
    return new Spec(Long.getLong("bench.seed", 19L), Integer.getInteger("bench.lived.couples", quick ? 200 : 10_000),
        Integer.getInteger("bench.lived.events", quick ? 20_000 : 1_000_000),
        Integer.getInteger("bench.lived.privateItems", quick ? 4_000 : 200_000));
  }

  static Path cacheRoot() {
    return Path.of(System.getProperty("bench.livedCache", "target/bench-data"));
  }

  /** The cached set for {@code spec}, generated first when there is none (answers how long that took in the manifest). */
  static Set ensure(Spec spec, Path jar, Path logDir) throws Exception {
    Path dir = cacheRoot().resolve(spec.key());
    Path manifest = dir.resolve("manifest.json");
    if (Files.exists(manifest)) {
      JsonObject m = new JsonObject(Files.readString(manifest));
      BenchMain.log("lived-in data: reusing %s (generated %s in %.1f s)", dir, m.getString("generatedAt"), m.getDouble("generationSeconds"));
      return new Set(spec, dir, couples(m), m.put("reused", true));
    }
    Path tmp = cacheRoot().resolve(spec.key() + ".partial");
    BenchMain.deleteTree(tmp);
    Files.createDirectories(tmp.resolve("data"));
    long t0 = System.nanoTime();
    Schema.make(jar, tmp.resolve("data"), logDir.resolve("lived-schema.log"));
    long t1 = System.nanoTime();
    JsonObject m = generate(spec, tmp.resolve("data"));
    long written = sizeOf(tmp.resolve("data"));
    long tc = System.nanoTime();
    int[] fill = dev.bridgework.storage.StoreCompaction.compact(tmp.resolve("data"), 600_000);
    long t2 = System.nanoTime();
    m.put("dataDirBytesAsWritten", written).put("compaction", new JsonObject().put("seconds", Window.round((t2 - tc) / 1e9, 1))
        .put("fillRateBefore", fill[0]).put("fillRateAfter", fill[1]));
    m.put("spec", spec.toJson()).put("generatedAt", Instant.now().toString())
        .put("schemaSeconds", Window.round((t1 - t0) / 1e9, 1)).put("generationSeconds", Window.round((t2 - t0) / 1e9, 1))
        .put("dataDirBytes", sizeOf(tmp.resolve("data")));
    Files.writeString(tmp.resolve("manifest.json"), m.encodePrettily());
    BenchMain.deleteTree(dir);
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    BenchMain.log("lived-in data: generated %s in %.1f s (schema %.1f s, compaction %.1f s), data directory %.1f MiB (%.1f MiB as written)",
        dir, m.getDouble("generationSeconds"), m.getDouble("schemaSeconds"), m.getJsonObject("compaction").getDouble("seconds"),
        m.getLong("dataDirBytes") / 1048576.0, written / 1048576.0);
    return new Set(spec, dir, couples(m), m.put("reused", false));
  }

  private static List<GenCouple> couples(JsonObject manifest) {
    List<GenCouple> list = new ArrayList<>();
    for (Object o : manifest.getJsonArray("couples")) {
      JsonArray c = (JsonArray) o;
      list.add(new GenCouple(list.size(), c.getString(0), c.getString(1), c.getString(2), c.getString(3), c.getString(4), c.getInteger(5)));
    }
    return list;
  }

  /** Writes the set into {@code data} (a directory the server has made its schema in). */
  private static JsonObject generate(Spec spec, Path data) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Database db = Database.start(vertx, null, "bridgework", data, BULK_TIMEOUT, null, 0).await(60, TimeUnit.SECONDS);
      try {
        byte[] master = Vault.loadMasterKey(null, data, false);
        return new LivedWriter(vertx, db.client(), new Vault(db.client(), master, dev.bridgework.cache.NodeCaches.none()), spec).write();
      } finally {
        db.close().await(120, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Fresh sessions for the given users, through the app's {@link SessionStore} (a cached set's own
   * sessions may have passed the idle timeout since it was generated): answers each user's Cookie
   * header. Opens the copied data directory in this process, before the server starts on it.
   */
  static Map<String, String> mintSessions(Path data, List<String> userIds) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Database db = Database.start(vertx, null, "bridgework", data, BULK_TIMEOUT, null, 0).await(60, TimeUnit.SECONDS);
      try {
        SessionStore sessions = new SessionStore(db.client(), Clock.systemUTC(), Duration.ofHours(12), Duration.ofDays(14), dev.bridgework.cache.NodeCaches.none());
        List<String> tokens = Async.bounded(userIds.size(), 64, i -> sessions.create(userIds.get(i))).await(600, TimeUnit.SECONDS);
        Map<String, String> cookies = new java.util.HashMap<>();
        for (int i = 0; i < userIds.size(); i++) cookies.put(userIds.get(i), "bw_session=" + tokens.get(i));
        return cookies;
      } finally {
        db.close().await(120, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  static long sizeOf(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return -1;
    }
  }

  /** A v4 UUID drawn from the seeded generator. */
  static String uuid(SplittableRandom r) {
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** The server makes its schema (indexes, directory markers, master key) in an empty data directory, then stops. */
  static final class Schema {
    private Schema() {}

    static void make(Path jar, Path data, Path log) throws Exception {
      int port = JavaProcess.freePort();
      try (JavaProcess p = JavaProcess.start("schema", port, "512m", List.of("-jar", jar.toAbsolutePath().toString()),
          Map.of("BRIDGEWORK_HTTP_PORT", Integer.toString(port), "BRIDGEWORK_HTTP_HOST", JavaProcess.HOST,
              "BRIDGEWORK_DATA_DIR", data.toString(), "BRIDGEWORK_MANAGEMENT_PORT", "-1"), log)) {
        p.awaitHealthy(Duration.ofSeconds(120));
      }
    }
  }

  /** Bulk writes of one collection: unordered insert batches, several in flight. */
  static Future<Void> insertAll(MongoClient mongo, String collection, List<JsonObject> docs) {
    if (docs.isEmpty()) return Future.succeededFuture();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < docs.size(); from += BATCH) {
      List<BulkOperation> ops = new ArrayList<>(BATCH);
      for (JsonObject d : docs.subList(from, Math.min(docs.size(), from + BATCH))) ops.add(BulkOperation.createInsert(d));
      chain = chain.compose(v -> mongo.bulkWriteWithOptions(collection, ops, new BulkWriteOptions(false)).mapEmpty());
    }
    return chain;
  }

  static DataKey await(Future<DataKey> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  static String hash(PasswordHasher hasher, String secret) throws Exception {
    return hasher.hash(secret).await(60, TimeUnit.SECONDS);
  }

  /** {@code registration}: what the client sent at registration ({@link ClientCrypto.Keys#body()}), made once. */
  static JsonObject user(String id, String email, String name, String createdAt, JsonObject registration, String authHash,
                         String recoveryHash) {
    return StoredAccounts.user(id, email, name, createdAt, authHash, registration.getJsonObject("kdf"),
        registration.getJsonObject("vault"), recoveryHash);
  }

  static JsonObject couple(GenCouple c, String createdAt) {
    return StoredCouples.couple(c.id(), c.userA(), "Lived " + (2 * c.index()), c.userB(), "Lived " + (2 * c.index() + 1), createdAt);
  }
}
