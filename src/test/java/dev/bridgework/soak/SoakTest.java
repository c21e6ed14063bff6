package dev.bridgework.soak;

import dev.bridgework.soak.Operations.Couple;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.DatabaseProcess;
import dev.bridgework.testing.ServerProcess;
import dev.bridgework.testing.StallingProxy;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Couples live on sockets while shares, edits, responses, flags, withdrawals and reconnects happen
 * at random (fixed seed), with no lock between the people: both partners, and two devices of one of
 * them (two sessions, two sockets), act on the same shares at once. Mid-load the database stops
 * answering for a few seconds ({@link StallingProxy} between the server and a {@link DatabaseProcess});
 * later the server and the database are both killed with SIGKILL under load and started again on
 * the same file. After each, every device's view equals what the server stores, everything that
 * was acknowledged is stored exactly as acknowledged, each couple stream holds every number once and
 * no change twice, nothing is owed an event, and a fresh device replaying a stream from the start
 * sees the same.
 *
 * <p>CI runs it small; the full soak is
 * {@code mvn -B -o test -Dtest=SoakTest -Dsoak.couples=50 -Dsoak.seconds=120} ({@code soak.workers},
 * {@code soak.stallMillis}, {@code soak.seed} too).
 */
@Tag("soak")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class SoakTest {
  private static final Logger LOG = LoggerFactory.getLogger(SoakTest.class);
  private static final int COUPLES = Integer.getInteger("soak.couples", 4);
  private static final int SECONDS = Integer.getInteger("soak.seconds", 12);
  private static final int WORKERS = Integer.getInteger("soak.workers", 6);
  private static final long SEED = Long.getLong("soak.seed", 20261125L);
  /**
   * The server's {@code mongo.timeout}. The stall lasts two and a half of it: longer than the
   * driver waits for an answer (twice the timeout), so requests under way fail in the middle.
   */
  private static final Duration MONGO_TIMEOUT = Duration.ofSeconds(2);
  private static final long STALL_MS = Long.getLong("soak.stallMillis", 5000);

  private final Ledger ledger = new Ledger();
  /** Workers hold it to act; the test takes it to stop the load for a check. */
  private final ReentrantReadWriteLock load = new ReentrantReadWriteLock(true);
  private volatile long stallStarted = Long.MAX_VALUE;
  private volatile long stallAnswered = Long.MAX_VALUE;

  @Test
  void nothingIsLostOrDuplicatedUnderRacingDevicesADatabaseStallAndAKill(Vertx vertx) throws Exception {
    Path dbDir = Files.createTempDirectory("bw-soak-db");
    Path serverDir = Files.createTempDirectory("bw-soak-server");
    int port = ServerProcess.freePort();
    int dbPort = ServerProcess.freePort();
    while (dbPort == port) dbPort = ServerProcess.freePort(); // two asks may get one port back
    WebClient plain = WebClient.create(vertx);
    // Vert.x limits a WebSocket client to 50 connections per server by default; the soak holds three per couple.
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(8 * COUPLES + 16));
    DatabaseProcess db = DatabaseProcess.start(dbDir, dbPort);
    StallingProxy proxy = StallingProxy.start(dbPort);
    Map<String, String> env = Map.of("BRIDGEWORK_MONGO_URI", proxy.uri(),
        "BRIDGEWORK_MONGO_TIMEOUT", MONGO_TIMEOUT.toSeconds() + "s", "BRIDGEWORK_HTTP_REQUESTTIMEOUT", "10s");
    ServerProcess server = ServerProcess.start(serverDir, port, env).awaitHealthy(plain);
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    AtomicBoolean stop = new AtomicBoolean();
    try (Audit audit = new Audit(vertx, db.uri())) {
      List<Couple> couples = prepare(vertx, ws, port);
      for (Couple c : couples) c.devices().forEach(Device::connect);
      LOG.info("soak: {} couples signed in on {} devices", couples.size(), 3 * couples.size());
      Operations ops = new Operations(ledger, () -> {
        long now = System.nanoTime();
        return now >= stallStarted && now <= stallAnswered;
      });
      List<Future<?>> workers = startWorkers(pool, couples, ops, stop);

      // 1. The database stalls mid-load, then answers again.
      Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS) / 6);
      Device.resetsExpected = true;
      stallStarted = System.nanoTime();
      stallAnswered = stallStarted + TimeUnit.MILLISECONDS.toNanos(STALL_MS) + 2 * MONGO_TIMEOUT.toNanos();
      proxy.stallFor(Duration.ofMillis(STALL_MS));
      LOG.info("soak: database stalled for {} ms", STALL_MS);
      Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS) / 3);
      check("after the stall", couples, audit, workers);
      long unavailableInStall = ledger.unavailableInStall.get();
      long unavailable = ledger.unavailable.get();
      Device.resetsExpected = false;

      // 2. SIGKILL of the server and of the database under load; both start again on the same files.
      Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS) / 4);
      long ackedBeforeKill = ledger.acknowledged.get();
      Device.resetsExpected = true;
      server.kill();
      db.kill();
      LOG.info("soak: server and database killed with {} writes acknowledged", ackedBeforeKill);
      db = DatabaseProcess.start(dbDir, dbPort);
      server = ServerProcess.start(serverDir, port, env).awaitHealthy(plain);
      LOG.info("soak: database and server started again");
      Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS) / 4);
      stop.set(true);
      check("after the kill", couples, audit, workers);

      int resets = couples.stream().flatMap(c -> c.devices().stream()).mapToInt(d -> d.resets.get()).sum();
      LOG.info("soak figures: couples={} devices={} seconds={} workers={} operations={} races={} acknowledged={} conflicts(409)={} "
              + "notFound(404)={} full(400)={} reconnects={} stall={}ms 503s={} (during the stall {}, after the kill {}) "
              + "brokenConnections={} resets={} ackedBeforeKill={} (all present after restart) events={} storeBytes={}",
          COUPLES, 3 * COUPLES, SECONDS, WORKERS, ledger.operations.get(), ledger.races.get(), ledger.acknowledged.get(), ledger.conflicts.get(),
          ledger.notFound.get(), ledger.full.get(), ledger.reconnects.get(), STALL_MS, ledger.unavailable.get(), unavailableInStall,
          ledger.unavailable.get() - unavailable, ledger.brokenConnections.get(), resets, ackedBeforeKill, audit.events(),
          Files.size(dbDir.resolve("bridgework.mv.db")));
      assertTrue(ledger.conflicts.get() > 0, "devices raced: some edits met a newer version");
      assertTrue(unavailableInStall + ledger.acknowledged.get() > 0);
    } finally {
      stop.set(true);
      Device.resetsExpected = false;
      pool.shutdownNow();
      server.kill();
      db.kill();
      proxy.close();
      // The extension closes the injected Vert.x, and the clients made on it.
    }
  }

  private List<Future<?>> startWorkers(ExecutorService pool, List<Couple> couples, Operations ops, AtomicBoolean stop) {
    Random seeds = new Random(SEED);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      long seed = seeds.nextLong();
      workers.add(pool.submit(() -> {
        Random r = new Random(seed);
        while (!stop.get()) {
          load.readLock().lock();
          try {
            if (!stop.get()) ops.random(r, couples.get(r.nextInt(couples.size())));
          } finally {
            load.readLock().unlock();
          }
        }
        return null;
      }));
    }
    return workers;
  }

  /**
   * Stops the load (waiting for the operations under way, which retry until answered), lets every
   * device catch up, compares, and lets the load go on.
   */
  private void check(String when, List<Couple> couples, Audit audit, List<Future<?>> workers) throws Exception {
    load.writeLock().lock();
    try {
      for (Future<?> w : workers) {
        if (w.isDone()) w.get(); // a worker that failed fails the soak with its own message
      }
      long started = System.nanoTime();
      List<String> wrong = new ArrayList<>();
      for (Couple c : couples) c.devices().forEach(Device::ensureConnected);
      // Nothing may stay owed an event: retries complete them, and the sweep what no retry came back for.
      long owed = audit.owed();
      long owedAtFirst = owed;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (owed > 0 && System.nanoTime() < deadline) {
        Thread.sleep(1000);
        owed = audit.owed();
      }
      if (owed > 0) wrong.add(when + ": " + owed + " change(s) still owe their event: " + audit.owedDetail());
      if (owedAtFirst > 0) LOG.info("soak: {}: {} change(s) owed their event when the load stopped; completed in {} ms", when,
          owedAtFirst, (System.nanoTime() - started) / 1_000_000);
      Set<String> coupleIds = new HashSet<>();
      for (Couple c : couples) {
        coupleIds.add(c.id());
        Map<String, JsonObject> stored = c.a().stored();
        ledger.differences(c.id(), stored).forEach(d -> wrong.add(when + ": " + c.a() + ": " + d));
        for (Device d : c.devices()) compare(when, d, d.head(), wrong);
        exactlyOnce(when, c, wrong);
        Device replay = c.a().replica();
        replay.connect();
        compare(when, replay, c.a().head(), wrong);
        if (replay.resets.get() > 0) wrong.add(when + ": " + replay + " was reset replaying from the start");
        replay.socket.close().await();
      }
      audit.streams(coupleIds).forEach(d -> wrong.add(when + ": " + d));
      assertEquals(List.of(), wrong);
      LOG.info("soak: {}: {} devices and {} replays equal the database, {} shares, checked in {} ms", when,
          3 * couples.size(), couples.size(), ledger.shares.size(), (System.nanoTime() - started) / 1_000_000);
    } finally {
      load.writeLock().unlock();
    }
  }

  /** The device caught up to {@code head} and shows what the server stores, with nothing odd on the way. */
  private static void compare(String when, Device d, long head, List<String> wrong) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((d.lastSeq < head || d.view.containsKey(Device.RELOADING)) && System.nanoTime() < deadline) Thread.sleep(20);
    if (d.lastSeq < head) wrong.add(when + ": " + d + " stuck at " + d.lastSeq + " of " + head);
    d.violations.forEach(v -> wrong.add(when + ": " + v));
    Map<String, JsonObject> stored = d.stored();
    if (!stored.keySet().equals(d.view.keySet())) {
      wrong.add(when + ": " + d + " shows " + d.view.keySet() + ", stored " + stored.keySet());
      return;
    }
    for (String id : stored.keySet()) {
      if (!stored.get(id).equals(d.view.get(id))) wrong.add(when + ": " + d + " shows " + d.view.get(id) + ", stored " + stored.get(id));
    }
  }

  /** A device that was never reset saw each share's creation exactly once, and each withdrawal once. */
  private void exactlyOnce(String when, Couple c, List<String> wrong) {
    for (Device d : c.devices()) {
      if (d.resets.get() > 0) continue; // it skipped what the reset covered (and was checked to hold no event twice)
      for (String id : ledger.byCouple.getOrDefault(c.id(), List.of())) {
        int created = d.created.getOrDefault(id, 0);
        int withdrawn = d.withdrawn.getOrDefault(id, 0);
        if (created != 1) wrong.add(when + ": " + d + " saw share.created " + created + " times for " + id);
        if (ledger.shares.get(id).gone && withdrawn != 1) wrong.add(when + ": " + d + " saw share.withdrawn " + withdrawn + " times for " + id);
      }
    }
  }

  private static List<Couple> prepare(Vertx vertx, WebSocketClient ws, int port) {
    List<Couple> couples = new ArrayList<>();
    for (int i = 0; i < COUPLES; i++) {
      Device a = register(vertx, ws, port, "A" + i);
      Device b1 = register(vertx, ws, port, "B" + i);
      JsonObject created = post(a, "/api/couple", new JsonObject(), 201);
      JsonObject joined = post(b1, "/api/couple/join",
          new JsonObject().put("code", created.getJsonObject("invite").getString("code")), 200);
      // B's second device: a second sign-in of the same person, with its own session and socket.
      Device b2 = new Device(vertx, ws, port, "B" + i + "'", b1.person);
      b2.login();
      String coupleId = created.getJsonObject("couple") != null ? created.getJsonObject("couple").getString("id")
          : joined.getJsonObject("couple").getString("id");
      couples.add(new Couple(coupleId, a, b1, b2));
    }
    return couples;
  }

  private static Device register(Vertx vertx, WebSocketClient ws, int port, String name) {
    String email = "soak-" + name.toLowerCase() + "-" + UUID.randomUUID() + "@example.test";
    var keys = Api.freshKeys();
    Device probe = new Device(vertx, ws, port, name, new Device.Person(name, email, null, keys));
    String userId = post(probe, "/api/auth/register", TestServer.registration(email, name, keys), 201)
        .getJsonObject("user").getString("id");
    Device device = new Device(vertx, ws, port, name, new Device.Person(name, email, userId, keys));
    device.login();
    return device;
  }

  private static JsonObject post(Device d, String path, JsonObject body, int status) {
    HttpResponse<Buffer> r = d.http.request(HttpMethod.POST, path).putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer()).await();
    assertEquals(status, r.statusCode(), path + " " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }
}
