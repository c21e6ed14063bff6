package dev.bridgework.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark (docs/PERFORMANCE.md): {@code ulimit -n 20000 && mvn -B -Pbench verify}.
 *
 * <p>Starts Bridgework from the built jar as its own process on 127.0.0.1 with a fresh data
 * directory (embedded database), prepares couples through the public API, and measures like a
 * real-time system: start-up, share → partner latency under open-loop load beside a bare Vert.x
 * floor measured in the same run, the highest share rate held with p99 under 100 ms, catch-up after
 * being offline, and the heap and RSS of many idle sockets. Writes {@code target/bench/results.json},
 * {@code results.md} and {@code latency.svg}, and prints the table. Every loop is bounded in count
 * and time, and all traffic stays on the loopback interface.
 */
public final class BenchMain {
  static final String PASSWORD = "bench password 0123456789";
  /** The server's default {@code crypto.minKdfIterations} (OWASP), which the benchmark's server runs with. */
  static final int KDF_ITERATIONS = 600_000;
  /**
   * What a client sends at registration ({@code authKey, kdf, vault, recoveryAuth}), derived once:
   * PBKDF2 at 600,000 iterations is the client's cost, not the server's, so every bench user reuses
   * it and the setup measures the server (its Argon2id hash of each authKey).
   */
  private JsonObject registrationKeys;
  private static final Duration DRAIN = Duration.ofSeconds(60);

  private final BenchConfig cfg;
  /** Everything measured: the machine, the configuration, the floor, and one object per database ({@code empty}, {@code lived}). */
  private final JsonObject all = new JsonObject();
  /** The current database's results (within {@link #all}). */
  private JsonObject results = all;
  /** The database being measured ({@code floor} while the floor runs). */
  private String mode = "floor";
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Histogram> chart = new LinkedHashMap<>();
  private JavaProcess server;
  private JavaProcess floor;
  private Vertx vertx;
  private HttpClientAgent httpClient;
  private WebSocketClient wsClient;
  private Window latencyWindow;
  private double latencySocketsSeconds;
  private long latencyRssKb;
  private final List<Window> stepWindows = new ArrayList<>();
  private final List<Path> dataDirs = new ArrayList<>();

  private BenchMain(BenchConfig cfg) {
    this.cfg = cfg;
  }

  public static void main(String[] args) throws Exception {
    BenchMain bench = new BenchMain(BenchConfig.fromSystemProperties());
    bench.run();
  }

  private void run() throws Exception {
    Files.createDirectories(cfg.out());
    // Nothing of an earlier run may pass for this one's (profile.txt, logs, server.jfr).
    try (Stream<Path> old = Files.list(cfg.out())) {
      for (Path f : old.filter(Files::isRegularFile).toList()) Files.delete(f);
    }
    if (!Files.exists(cfg.jar())) throw new IllegalStateException(cfg.jar() + " is missing: run through `mvn -B -Pbench verify`");
    long capacitySockets = cfg.runs("capacity") && cfg.data().contains("lived") ? 2L * cfg.capacityMax() : 0;
    long needFds = Math.max(cfg.idleSockets() + 2L * cfg.couples(), capacitySockets) + 2000;
    long fdLimit = Proc.openFilesLimit();
    if (fdLimit > 0 && fdLimit < needFds) {
      throw new IllegalStateException("Open-files limit " + fdLimit + " is below the " + needFds
          + " this run needs: run `ulimit -n 20000` first, or lower -Dbench.idleSockets / -Dbench.couples / -Dbench.capacity.couples");
    }
    all.put("startedAt", Instant.now().toString()).put("machine", machine()).put("config", config());
    log("Bridgework benchmark%s: %s database(s), %d couples at %d shares/s, %d idle sockets; output in %s",
        cfg.quick() ? " (quick)" : "", String.join(" + ", cfg.data()), cfg.couples(), cfg.rate(), cfg.idleSockets(), cfg.out());
    long t0 = System.nanoTime();
    try {
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cfg.clientEventLoops()));
      httpClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000),
          new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(-1));
      wsClient = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections((int) Math.max(cfg.idleSockets() + 4L * cfg.couples(), capacitySockets) + 100).setConnectTimeout(30_000));
      mode = "floor";
      results = all;
      if (cfg.runs("floor")) phase("floor", this::floorLatency);
      for (String m : cfg.data()) {
        try {
          runMode(m);
        } catch (Exception e) {
          log("%s database: %s", m, e);
          problems.add(m + ": " + e);
        }
      }
    } finally {
      if (floor != null) floor.close();
      if (vertx != null) vertx.close().await(30, TimeUnit.SECONDS);
      if (!Boolean.getBoolean("bench.keepData")) dataDirs.forEach(BenchMain::deleteTree);
      all.put("totalSeconds", Window.round((System.nanoTime() - t0) / 1e9, 1));
      finish();
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("The benchmark found problems (see target/bench/results.md): " + problems);
    }
  }

  /** Every measurement on one database: {@code empty} (a fresh data directory) or {@code lived} (a copy of the generated set). */
  private void runMode(String m) throws Exception {
    mode = m;
    results = new JsonObject();
    all.put(m, results);
    latencyWindow = null;
    stepWindows.clear();
    boolean lived = cfg.lived(m);
    log("=== %s database ===", m);
    Path livedDir = null;
    LivedData.Set set = null;
    Map<String, String> cookies = null;
    try {
      if (lived) {
        set = phase("generate", () -> LivedData.ensure(cfg.lived(), cfg.jar(), cfg.out()));
        if (set == null) return;
        JsonObject manifest = set.manifest().copy();
        manifest.remove("couples");
        results.put("dataSet", manifest);
        long tc = System.nanoTime();
        livedDir = set.copy();
        dataDirs.add(livedDir);
        results.put("copySeconds", Window.round((System.nanoTime() - tc) / 1e9, 1));
        LivedData.Set s = set;
        Path dir = livedDir;
        int need = Math.min(set.couples().size(), Math.max(cfg.couples() + 1, cfg.runs("capacity") ? cfg.capacityMax() : 0));
        long ts = System.nanoTime();
        cookies = phase("sessions", () -> LivedData.mintSessions(dir, s.couples().subList(0, need).stream()
            .flatMap(c -> java.util.stream.Stream.of(c.userA(), c.userB())).toList()));
        if (cookies == null) return;
        results.put("sessionsMinted", cookies.size()).put("sessionsSeconds", Window.round((System.nanoTime() - ts) / 1e9, 1));
        log("lived-in: copied in %.1f s, %d sessions made in %.1f s", results.getDouble("copySeconds"), cookies.size(),
            results.getDouble("sessionsSeconds"));
      }
      results.put("dataDirBytesAtStart", lived ? LivedData.sizeOf(livedDir) : 0L);
      Path fixedDir = livedDir;
      if (phase("startup", () -> {
        startup(fixedDir);
        return true;
      }) == null) return;
      Http http = new Http(httpClient, server.port);
      LivedData.Set s = set;
      Map<String, String> c = cookies;
      Setup setup = lived ? phase("setup", () -> livedSetup(http, s, c)) : phase("setup", () -> setup(http));
      if (setup == null) return;
      Fanout load = new Fanout(vertx, Target.bridgework(http, server.port), setup.couples);
      Path jfr = cfg.out().resolve(m + "-server.jfr");
      if (cfg.profile()) Profile.start(server.pid(), jfr);
      Boolean open = cfg.runs("latency") || cfg.runs("throughput") ? phase("latency", () -> latency(load)) : null;
      if (open != null && cfg.runs("throughput")) phase("throughput", () -> throughput(load));
      if (open != null) phase("settle", () -> {
        settle(load);
        return true;
      });
      if (cfg.profile()) summarizeProfile(jfr, m + "-profile.txt");
      if (cfg.runs("operations")) {
        // Profiled on its own: what a list, a review note and a withdrawal cost, apart from the share load.
        Path opsJfr = cfg.out().resolve(m + "-operations.jfr");
        if (cfg.profile()) Profile.start(server.pid(), opsJfr);
        phase("operations", () -> operations(http, setup.couples));
        if (cfg.profile()) summarizeProfile(opsJfr, m + "-operations-profile.txt");
      }
      if (cfg.runs("catchup")) phase("catchup", () -> catchup(http, setup.catchup));
      if (cfg.runs("connections") && cfg.connectionsOn().contains(m)) phase("connections", () -> idleSockets(load, setup.members));
      else load.closeSockets().await(120, TimeUnit.SECONDS);
      if (lived && cfg.runs("capacity") && contains(cfg.capacityNodes(), 1)) {
        phase("capacity", () -> {
          Capacity cap = new Capacity(vertx, wsClient, Target.bridgework(http, server.port), setup.capacity, 1, server.pid());
          results.put("capacity1", cap.run(cfg.capacityCouples(), cfg.capacityPerCouple(), cfg.capacityWarmup(), cfg.capacityStep(),
              cfg.capacityP99Ms()));
          return true;
        });
      }
      if (server != null) {
        long t = System.nanoTime();
        server.close();
        results.put("shutdownMs", (System.nanoTime() - t) / 1_000_000);
        server = null;
      }
      results.put("dataDirBytesAtEnd", LivedData.sizeOf(lived ? livedDir : dataDirs.get(dataDirs.size() - 1)));
      if (lived && cfg.runs("capacity") && contains(cfg.capacityNodes(), 2)) {
        Path dir = livedDir;
        phase("capacity2", () -> clusteredCapacity(dir, setup.capacity));
      }
    } finally {
      if (server != null) {
        server.close();
        server = null;
      }
    }
  }

  /** Stops the server's recording and writes its summary to {@code name} in the output directory. */
  private void summarizeProfile(Path jfr, String name) {
    Profile.stop(server.pid(), jfr);
    phase("profile", () -> {
      Profile.summarize(jfr, cfg.out().resolve(name));
      log("profile: %s", cfg.out().resolve(name));
      return true;
    });
  }

  private static boolean contains(int[] values, int v) {
    return Arrays.stream(values).anyMatch(x -> x == v);
  }

  // ---------------------------------------------------------------- phases

  /**
   * Start-up, {@code bench.startups} times; the last process stays up. On an empty database every
   * start gets a fresh data directory; on the lived-in one every start opens {@code lived} (the first
   * on the untouched copy).
   */
  private void startup(Path lived) throws Exception {
    JsonArray times = new JsonArray();
    JsonArray ownTimes = new JsonArray();
    for (int i = 0; i < cfg.startups(); i++) {
      if (server != null) server.close();
      Path data = lived;
      if (data == null) {
        data = Files.createTempDirectory("bridgework-bench-");
        dataDirs.add(data);
      }
      int port = JavaProcess.freePort();
      Map<String, String> env = Map.of(
          "BRIDGEWORK_HTTP_PORT", Integer.toString(port),
          "BRIDGEWORK_HTTP_HOST", JavaProcess.HOST,
          "BRIDGEWORK_DATA_DIR", data.toString());
      Path log = cfg.out().resolve(mode + "-server-" + i + ".log");
      server = JavaProcess.start("bridgework", port, cfg.serverHeap(),
          List.of("-jar", cfg.jar().toAbsolutePath().toString()), env, log);
      Duration d = server.awaitHealthy(Duration.ofSeconds(300));
      times.add(d.toMillis());
      long own = startedInMs(log);
      ownTimes.add(own);
      log("start-up %d: /health 200 after %d ms (the server logs 'started in %d ms'; pid %d, data %s)",
          i + 1, d.toMillis(), own, server.pid(), data);
    }
    List<Long> sorted = times.stream().map(o -> ((Number) o).longValue()).sorted().toList();
    results.put("startup", new JsonObject().put("runsMs", times).put("medianMs", sorted.get(sorted.size() / 2))
        .put("maxMs", sorted.get(sorted.size() - 1)).put("serverLoggedStartedInMs", ownTimes)
        .put("rssKbAfterStart", Proc.rssKb(server.pid())));
  }

  /** The couples measured, the one that catches up, everyone (for idle sockets), and the couples for the capacity steps. */
  record Setup(List<Couple> couples, Couple catchup, List<Couple.Member> members, List<Couple> capacity) {}

  /** Accounts and couples through the public API: register, POST /api/couple, POST /api/couple/join. */
  private Setup setup(Http http) {
    int users = 2 * (cfg.couples() + 1);
    registrationKeys(); // the client's PBKDF2, here on the main thread rather than on an event loop
    long t0 = System.nanoTime();
    log("registering %d users (Argon2id each; %d at a time)...", users, cfg.registerConcurrency());
    List<Couple.Member> members = Async.bounded(users, cfg.registerConcurrency(), i -> register(http, i))
        .await();
    long t1 = System.nanoTime();
    List<Couple> couples = Async.bounded(cfg.couples() + 1, 16,
        i -> pair(http, i, members.get(2 * i), members.get(2 * i + 1))).await();
    long t2 = System.nanoTime();
    log("%d users registered in %.1f s, %d couples paired in %.1f s", users, (t1 - t0) / 1e9, couples.size(), (t2 - t1) / 1e9);
    results.put("setup", new JsonObject().put("users", users).put("registerSeconds", Window.round((t1 - t0) / 1e9, 1))
        .put("registrationsPerSecond", Window.round(users / ((t1 - t0) / 1e9), 1))
        .put("couples", couples.size()).put("pairSeconds", Window.round((t2 - t1) / 1e9, 1)));
    return new Setup(new ArrayList<>(couples.subList(0, cfg.couples())), couples.get(cfg.couples()), members, List.of());
  }

  private synchronized JsonObject registrationKeys() {
    if (registrationKeys == null) {
      registrationKeys = dev.bridgework.testing.ClientCrypto.Keys.fresh(PASSWORD, KDF_ITERATIONS).body();
    }
    return registrationKeys.copy();
  }

  private Future<Couple.Member> register(Http http, int i) {
    String email = "bench" + i + "@bench.example";
    return http.call(HttpMethod.POST, "/api/auth/register", null,
            registrationKeys().put("email", email).put("displayName", "Bench " + i))
        .compose(a -> a.status() == 201 && a.sessionCookie() != null
            ? Future.succeededFuture(new Couple.Member(i, a.json().getJsonObject("user").getString("id"), email, a.sessionCookie()))
            : Future.failedFuture("register answered " + a.status() + ": " + a.body()));
  }

  private Future<Couple> pair(Http http, int i, Couple.Member a, Couple.Member b) {
    return http.expect(201, HttpMethod.POST, "/api/couple", a.cookie(), new JsonObject()).compose(created -> {
      String coupleId = created.getJsonObject("couple").getString("id");
      String code = created.getJsonObject("invite").getString("code");
      return http.expect(200, HttpMethod.POST, "/api/couple/join", b.cookie(), new JsonObject().put("code", code))
          .map(joined -> new Couple(i, coupleId, a, b));
    });
  }

  /**
   * The lived-in database's couples, with the sessions made for them before the server started; and
   * a check that the server serves the generated people: two of them sign in through the real client
   * flow (prelogin, PBKDF2, login, opening the vault key), list their couple's shares and open one of
   * their private reflections with the vault key.
   */
  private Setup livedSetup(Http http, LivedData.Set set, Map<String, String> cookies) throws Exception {
    List<Couple> couples = new ArrayList<>();
    List<Couple.Member> members = new ArrayList<>();
    for (LivedData.GenCouple g : set.couples()) {
      String ca = cookies.get(g.userA());
      String cb = cookies.get(g.userB());
      if (ca == null || cb == null) break;
      Couple.Member a = new Couple.Member(2 * g.index(), g.userA(), g.emailA(), ca);
      Couple.Member b = new Couple.Member(2 * g.index() + 1, g.userB(), g.emailB(), cb);
      couples.add(new Couple(g.index(), g.id(), a, b));
      if (couples.size() <= cfg.couples() + 1) {
        members.add(a);
        members.add(b);
      }
    }
    if (couples.size() < cfg.couples() + 1) {
      throw new IllegalStateException("the lived-in set has " + couples.size() + " couples; the run needs " + (cfg.couples() + 1));
    }
    JsonArray checks = new JsonArray();
    for (LivedData.GenCouple g : List.of(set.couples().get(0), set.couples().get(cfg.couples()))) {
      checks.add(signInCheck(http, g.emailA()));
    }
    results.put("signInChecks", checks);
    int capacity = Math.min(couples.size(), cfg.capacityMax());
    return new Setup(new ArrayList<>(couples.subList(0, cfg.couples())), couples.get(cfg.couples()), members,
        new ArrayList<>(couples.subList(0, capacity)));
  }

  private JsonObject signInCheck(Http http, String email) throws Exception {
    long t = System.nanoTime();
    JsonObject pre = http.expect(200, HttpMethod.POST, "/api/auth/prelogin", null, new JsonObject().put("email", email)).await(60, TimeUnit.SECONDS);
    dev.bridgework.testing.ClientCrypto.Kdf kdf = dev.bridgework.testing.ClientCrypto.Kdf.fromJson(pre.getJsonObject("kdf"));
    byte[] stretched = dev.bridgework.testing.ClientCrypto.stretch(PASSWORD, kdf);
    Http.Answer login = http.call(HttpMethod.POST, "/api/auth/login", null, new JsonObject().put("email", email)
        .put("authKey", dev.bridgework.testing.ClientCrypto.authKey(stretched))).await(60, TimeUnit.SECONDS);
    if (login.status() != 200 || login.sessionCookie() == null) throw new IllegalStateException("sign-in of " + email + " answered " + login.status() + ": " + login.body());
    byte[] vaultKey = dev.bridgework.testing.ClientCrypto.openBytes(dev.bridgework.testing.ClientCrypto.wrapKey(stretched),
        dev.bridgework.testing.ClientCrypto.VAULT_AAD, login.json().getJsonObject("vault").getJsonObject("wrapped"));
    long signedIn = System.nanoTime();
    JsonArray shares = http.expect(200, HttpMethod.GET, "/api/shares", login.sessionCookie(), null).await(60, TimeUnit.SECONDS)
        .getJsonArray("shares");
    for (Object o : shares) {
      if (((JsonObject) o).getString("title", "").isEmpty()) throw new IllegalStateException("a generated share of " + email + " has no title");
    }
    if (shares.isEmpty()) throw new IllegalStateException(email + " sees no shares");
    JsonArray reflections = http.expect(200, HttpMethod.GET, "/api/reflections", login.sessionCookie(), null).await(60, TimeUnit.SECONDS)
        .getJsonArray("reflections", new JsonArray());
    String opened = null;
    if (!reflections.isEmpty()) {
      JsonObject r = reflections.getJsonObject(0);
      opened = dev.bridgework.testing.ClientCrypto.open(vaultKey, "reflection/" + r.getString("id"), r.getJsonObject("sealed")).getString("text");
      if (opened == null || opened.isEmpty()) throw new IllegalStateException("a generated reflection of " + email + " did not open");
    }
    log("lived-in: %s signed in (real client keys) in %d ms, sees %d shares and %d reflections%s", email, (signedIn - t) / 1_000_000,
        shares.size(), reflections.size(), opened == null ? "" : ", the first opens with the vault key");
    return new JsonObject().put("email", email).put("signInMs", (signedIn - t) / 1_000_000).put("shares", shares.size())
        .put("reflections", reflections.size()).put("reflectionOpened", opened != null);
  }

  /** List, review note and withdrawal latency on the measured couples ({@link Operations}). */
  private Boolean operations(Http http, List<Couple> couples) throws Exception {
    JsonObject ops = new JsonObject();
    for (Operations.Timed t : new Operations(http, couples, cfg.opsSamples(), 4).run()) {
      ops.put(t.name(), t.toJson());
      JsonObject l = Report.latency(t.latency());
      log("%s: %d timed, p50 %s ms, p99 %s ms, max %s ms, %d failed%s", t.name(), l.getLong("count", 0L), Report.fmt(l.getDouble("p50", -1.0)),
          Report.fmt(l.getDouble("p99", -1.0)), Report.fmt(l.getDouble("max", -1.0)), t.failed(),
          "list".equals(t.name()) ? String.format(Locale.ROOT, " (%.1f shares per list)", t.itemsSeen() / (double) Math.max(1, l.getLong("count", 1L))) : "");
      if (t.failed() > 0) problem(t.name() + ": " + t.failed() + " failed " + t.failures());
    }
    results.put("operations", ops);
    return true;
  }

  /**
   * Two clustered nodes on this machine sharing one database: the lived-in data directory opened by
   * {@link SharedStore} (the embedded database in a process of its own), both nodes pointed at it
   * with {@code mongo.uri}, the same master key, and Hazelcast on 127.0.0.1 ({@code -cluster}), as
   * README "Running clustered" describes; then the same capacity steps as for one node.
   */
  private Boolean clusteredCapacity(Path data, List<Couple> couples) throws Exception {
    int mongoPort = JavaProcess.freePort();
    int storeHealth = JavaProcess.freePort();
    List<JavaProcess> nodes = new ArrayList<>();
    JavaProcess store = JavaProcess.start("store", storeHealth, cfg.serverHeap(),
        List.of("-cp", classpath(), SharedStore.class.getName(), data.toString(), Integer.toString(mongoPort), Integer.toString(storeHealth)),
        Map.of(), cfg.out().resolve("cluster-store.log"));
    try {
      store.awaitHealthy(Duration.ofSeconds(300));
      String masterKey = Files.readString(data.resolve("master.key")).trim();
      int c1 = JavaProcess.freePort();
      int c2 = JavaProcess.freePort();
      String members = "127.0.0.1:" + c1 + ",127.0.0.1:" + c2;
      List<Integer> ports = new ArrayList<>();
      List<Http> https = new ArrayList<>();
      for (int k = 0; k < 2; k++) {
        int port = JavaProcess.freePort();
        Path nodeDir = Files.createTempDirectory("bridgework-node-");
        dataDirs.add(nodeDir);
        Map<String, String> env = Map.of("BRIDGEWORK_HTTP_PORT", Integer.toString(port), "BRIDGEWORK_HTTP_HOST", JavaProcess.HOST,
            "BRIDGEWORK_DATA_DIR", nodeDir.toString(), "BRIDGEWORK_MONGO_URI", "mongodb://127.0.0.1:" + mongoPort,
            "BRIDGEWORK_CRYPTO_MASTERKEY", masterKey, "BRIDGEWORK_CLUSTER_HOST", "127.0.0.1",
            "BRIDGEWORK_CLUSTER_PORT", Integer.toString(k == 0 ? c1 : c2), "BRIDGEWORK_CLUSTER_MEMBERS", members,
            "BRIDGEWORK_MANAGEMENT_PORT", "-1");
        nodes.add(JavaProcess.start("node" + (k + 1), port, cfg.serverHeap(), List.of("-jar", cfg.jar().toAbsolutePath().toString(), "-cluster"),
            env, cfg.out().resolve("cluster-node-" + (k + 1) + ".log")));
        ports.add(port);
        https.add(new Http(httpClient, port));
      }
      for (JavaProcess n : nodes) n.awaitHealthy(Duration.ofSeconds(300));
      log("cluster: shared store pid %d, nodes pid %d and %d up", store.pid(), nodes.get(0).pid(), nodes.get(1).pid());
      Capacity cap = new Capacity(vertx, wsClient, Target.cluster(https, ports), couples, 2, nodes.get(0).pid(), nodes.get(1).pid(), store.pid());
      results.put("capacity2", cap.run(cfg.capacityCouples(), cfg.capacityPerCouple(), cfg.capacityWarmup(), cfg.capacityStep(),
          cfg.capacityP99Ms()));
      return true;
    } finally {
      for (JavaProcess n : nodes) n.close();
      store.close();
    }
  }

  /** The floor: the same fan-out over the same number of sockets at the same rate, on plain Vert.x. */
  private Boolean floorLatency() throws Exception {
    int port = JavaProcess.freePort();
    floor = JavaProcess.start("floor", port, cfg.serverHeap(),
        List.of("-cp", classpath(), FloorServer.class.getName(), Integer.toString(port)), Map.of(),
        cfg.out().resolve("floor.log"));
    Duration up = floor.awaitHealthy(Duration.ofSeconds(60));
    List<Couple> pairs = new ArrayList<>();
    for (int i = 0; i < cfg.couples(); i++) pairs.add(new Couple(i, Integer.toString(i), null, null));
    Fanout load = new Fanout(vertx, Target.floor(new Http(httpClient, port), port), pairs);
    load.openSockets(wsClient, 64).await(120, TimeUnit.SECONDS);
    log("floor: %d sockets open; warming up %d s...", 2 * pairs.size(), cfg.warmup().toSeconds());
    load.run("warm-up", cfg.rate(), cfg.warmup(), DRAIN, floor.pid());
    Window w = load.run("latency", cfg.rate(), cfg.measure(), DRAIN, floor.pid());
    logWindow(w);
    JsonObject json = w.toJson().put("startupMs", up.toMillis()).put("sockets", 2 * pairs.size());
    json.put("seq", seqJson(load.seqReport(), load));
    if (w.lostA + w.lostB + w.duplicates.get() + w.putFailed.get() > 0) problem("floor: " + json.encode());
    results.put("floor", json);
    chart.put("floor (plain Vert.x)", w.delivery);
    load.closeSockets().await(60, TimeUnit.SECONDS);
    floor.close();
    floor = null;
    return true;
  }

  /** Share → partner latency at {@code bench.rate} shares/s over all couples, after a warm-up. */
  private Boolean latency(Fanout load) throws Exception {
    long t = System.nanoTime();
    load.openSockets(wsClient, 64).await(300, TimeUnit.SECONDS);
    latencySocketsSeconds = (System.nanoTime() - t) / 1e9;
    log("bridgework: %d authenticated sockets synced in %.1f s; warming up %d s...", 2 * cfg.couples(), latencySocketsSeconds,
        cfg.warmup().toSeconds());
    load.run("warm-up", cfg.rate(), cfg.warmup(), DRAIN, server.pid());
    latencyWindow = load.run("latency", cfg.rate(), cfg.measure(), DRAIN, server.pid());
    latencyRssKb = Proc.rssKb(server.pid());
    logWindow(latencyWindow);
    chart.put("Bridgework share → partner (" + mode + ")", latencyWindow.delivery);
    chart.put("Bridgework PUT response (" + mode + ")", latencyWindow.put);
    return true;
  }

  /** Raises the share rate step by step until p99 exceeds the limit; all couples' sockets stay open. */
  private Boolean throughput(Fanout load) throws Exception {
    for (int rate : cfg.steps()) {
      Window w = load.run(rate + "/s", rate, cfg.step(), DRAIN, server.pid());
      logWindow(w);
      stepWindows.add(w);
      if (!held(w)) break;
    }
    return true;
  }

  private boolean held(Window w) {
    return w.lostA == 0 && w.lostB == 0 && w.duplicates.get() == 0 && w.putFailed.get() == 0
        && w.delivery.getTotalCount() > 0 && w.delivery.getValueAtPercentile(99) < cfg.p99LimitMs() * 1000L
        && w.achievedRate() >= 0.95 * w.rate;
  }

  /**
   * After the load: waits (bounded) for anything still in flight, counts every window's losses for
   * good (a share that arrived after its window's drain is late, not lost), checks each couple
   * stream's numbering, and records the results.
   */
  private void settle(Fanout load) throws InterruptedException {
    List<Window> windows = new ArrayList<>();
    if (latencyWindow != null) windows.add(latencyWindow);
    windows.addAll(stepWindows);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline && windows.stream().anyMatch(w -> w.unanswered() > 0 || w.undelivered() > 0)) {
      Thread.sleep(50);
    }
    Thread.sleep(500);
    for (Window w : windows) {
      w.countLosses();
      if (w.lostB > 0 || w.lostA > 0 || w.duplicates.get() > 0) {
        problem(w.target + " " + w.name + ": " + w.lostB + " lost to the partner, " + w.lostA
            + " lost to the author's socket, " + w.duplicates.get() + " duplicated");
      }
      // Refusals (503 once a request waited too long) in a throughput step beyond what is held mark its end, not an error.
      if (w.putFailed.get() > 0 && (w == latencyWindow || held(w))) {
        problem(w.target + " " + w.name + ": " + w.putFailed.get() + " share PUTs failed " + w.toJson().getJsonObject("putFailures"));
      }
    }
    if (latencyWindow != null) {
      results.put("latency", latencyWindow.toJson().put("sockets", 2 * cfg.couples())
          .put("socketsOpenSeconds", Window.round(latencySocketsSeconds, 2)).put("rssKb", latencyRssKb));
    }
    if (!stepWindows.isEmpty()) {
      JsonArray steps = new JsonArray();
      int best = 0;
      Window bestWindow = null;
      for (Window w : stepWindows) {
        steps.add(w.toJson().put("held", held(w)));
        if (!held(w)) break;
        best = w.rate;
        bestWindow = w;
      }
      results.put("throughput", new JsonObject().put("steps", steps).put("p99LimitMs", cfg.p99LimitMs())
          .put("bestRate", best).put("serverCpuPercentAtBest", bestWindow == null ? -1 : Window.round(bestWindow.serverCpu, 1)));
    }
    Sock.SeqReport seq = load.seqReport();
    JsonObject seqJson = seqJson(seq, load);
    results.put("coupleStreams", seqJson);
    if (seq.missing() > 0 || seq.duplicates() > 0 || load.resets() > 0 || load.misrouted.get() > 0 || load.unknownEvents.get() > 0) {
      problem("couple streams: " + seqJson.encode());
    }
  }

  private static JsonObject seqJson(Sock.SeqReport seq, Fanout load) {
    return new JsonObject().put("missing", seq.missing()).put("beyondExpected", seq.beyond())
        .put("duplicates", seq.duplicates()).put("outOfOrder", seq.outOfOrder()).put("resets", load.resets())
        .put("socketsClosedByServer", load.closedSockets()).put("misroutedEvents", load.misrouted.get())
        .put("unknownShareEvents", load.unknownEvents.get()).put("otherEventKinds", load.otherKinds.get());
  }

  /** Partner B offline while A shares {@code bench.catchupEvents} times; B resumes and must get exactly those, in order. */
  private Boolean catchup(Http http, Couple couple) throws Exception {
    Target target = Target.bridgework(http, server.port);
    Sock first = new Sock(couple, 'B', null, null);
    first.open(wsClient, target.socket(couple, couple.b, 'B'), 30_000).await(60, TimeUnit.SECONDS);
    long seen = first.base();
    first.close().await(30, TimeUnit.SECONDS);
    JsonArray rounds = new JsonArray();
    List<Long> resumeToSynced = new ArrayList<>();
    int events = cfg.catchupEvents();
    for (int round = 0; round < cfg.catchupRounds(); round++) {
      List<String> ids = new ArrayList<>();
      long t = System.nanoTime();
      for (int k = 0; k < events; k++) {
        String id = UUID.randomUUID().toString();
        Http.Answer a = http.call(HttpMethod.PUT, "/api/shares/" + id, couple.a.cookie(), Fanout.shareBody(1_000_000L * (round + 1) + k))
            .await(30, TimeUnit.SECONDS);
        if (a.status() / 100 != 2) throw new IllegalStateException("catch-up share answered " + a.status() + ": " + a.body());
        ids.add(id);
      }
      double shareSeconds = (System.nanoTime() - t) / 1e9;
      List<JsonObject> got = Collections.synchronizedList(new ArrayList<>());
      Sock b = new Sock(couple, 'B', seen, (s, ev, at) -> got.add(ev));
      b.open(wsClient, target.socket(couple, couple.b, 'B'), 60_000).await(90, TimeUnit.SECONDS);
      long resumeMs = (b.syncedNanos - b.resumeNanos) / 1_000_000;
      long connectMs = (b.syncedNanos - b.connectNanos) / 1_000_000;
      int wrong = 0;
      synchronized (got) {
        for (int k = 0; k < Math.max(events, got.size()); k++) {
          JsonObject ev = k < got.size() ? got.get(k) : null;
          boolean ok = ev != null && k < events && ev.getLong("seq", -1L) == seen + 1 + k
              && "share.created".equals(ev.getString("kind")) && "couple".equals(ev.getString("stream"))
              && ev.getJsonObject("data") != null && ids.get(k).equals(ev.getJsonObject("data").getString("id"))
              && ("Bench share " + (1_000_000L * (round + 1) + k)).equals(ev.getJsonObject("data").getString("title"));
          if (!ok) wrong++;
        }
      }
      boolean exact = wrong == 0 && got.size() == events && b.resets == 0;
      if (!exact) problem("catch-up round " + (round + 1) + ": got " + got.size() + " events, " + wrong + " wrong or missing, resets " + b.resets);
      rounds.add(new JsonObject().put("events", events).put("received", got.size()).put("exactlyInOrder", exact)
          .put("resumeToSyncedMs", resumeMs).put("connectToSyncedMs", connectMs)
          .put("partnerSharesSeconds", Window.round(shareSeconds, 2)));
      log("catch-up %d: %d events, resume → synced %d ms (connect → synced %d ms), exact and in order: %s",
          round + 1, got.size(), resumeMs, connectMs, exact);
      resumeToSynced.add(resumeMs);
      seen += events;
      b.close().await(30, TimeUnit.SECONDS);
    }
    List<Long> sorted = resumeToSynced.stream().sorted().toList();
    results.put("catchup", new JsonObject().put("rounds", rounds).put("medianResumeToSyncedMs", sorted.get(sorted.size() / 2))
        .put("maxResumeToSyncedMs", sorted.get(sorted.size() - 1)));
    return true;
  }

  /** Many idle authenticated sockets: heap per socket after full GCs, and the process RSS. */
  private Boolean idleSockets(Fanout load, List<Couple.Member> members) throws Exception {
    load.closeSockets().await(60, TimeUnit.SECONDS);
    Thread.sleep(2000);
    long pid = server.pid();
    long heapBefore = Proc.heapUsedAfterGcKb(pid);
    long rssBefore = Proc.rssKb(pid);
    long fdsBefore = fds(pid);
    int n = cfg.idleSockets();
    Target target = Target.bridgework(null, server.port);
    long t = System.nanoTime();
    List<Sock> socks = Async.bounded(n, 64, i -> {
      Couple.Member m = members.get(i % members.size());
      return new Sock(null, 'X', null, null).open(wsClient, target.socket(null, m, 'X'), 60_000);
    }).await(600, TimeUnit.SECONDS);
    double openSeconds = (System.nanoTime() - t) / 1e9;
    log("connections: %d idle authenticated sockets synced in %.1f s (%d per user)", n, openSeconds,
        (n + members.size() - 1) / members.size());
    Thread.sleep(3000);
    long heapAfter = Proc.heapUsedAfterGcKb(pid);
    long rssAfter = Proc.rssKb(pid);
    long fdsAfter = fds(pid);
    long threads = Proc.threads(pid);
    long stillOpen = socks.stream().filter(s -> !s.closed).count();
    double perSocketKb = heapBefore < 0 || heapAfter < 0 ? -1 : (heapAfter - heapBefore) / (double) n;
    double rssPerSocketKb = (rssAfter - rssBefore) / (double) n;
    log("connections: heap %d → %d KiB after GC (%.2f KiB per socket), RSS %d → %d KiB, %d still open",
        heapBefore, heapAfter, perSocketKb, rssBefore, rssAfter, stillOpen);
    if (stillOpen < n) problem("connections: only " + stillOpen + " of " + n + " idle sockets stayed open");
    results.put("connections", new JsonObject().put("sockets", n).put("users", members.size())
        .put("openSeconds", Window.round(openSeconds, 2)).put("stillOpen", stillOpen)
        .put("heapUsedBeforeKb", heapBefore).put("heapUsedAfterKb", heapAfter)
        .put("heapPerSocketKb", Window.round(perSocketKb, 2))
        .put("rssBeforeKb", rssBefore).put("rssAfterKb", rssAfter).put("rssPerSocketKb", Window.round(rssPerSocketKb, 2))
        .put("openFilesBefore", fdsBefore).put("openFilesAfter", fdsAfter).put("serverThreads", threads));
    Future.join(socks.stream().map(Sock::close).toList()).await(120, TimeUnit.SECONDS);
    return true;
  }

  // ---------------------------------------------------------------- reporting

  private void finish() throws IOException {
    all.put("problems", new JsonArray(problems));
    Results report = new Results(cfg, all, problems);
    all.put("targets", report.targets());
    Files.writeString(cfg.out().resolve("results.json"), all.encodePrettily());
    String md = report.markdown();
    Files.writeString(cfg.out().resolve("results.md"), md);
    if (!chart.isEmpty()) {
      Report.percentileChart(chart, "Share → partner latency, " + cfg.couples() + " couples at " + cfg.rate() + " shares/s",
          cfg.out().resolve("latency.svg"));
    }
    System.out.println();
    System.out.println(md);
  }

  // ---------------------------------------------------------------- helpers

  interface PhaseBody<T> {
    T run() throws Exception;
  }

  private void problem(String what) {
    problems.add(mode + ": " + what);
  }

  /** Runs one phase; a failure is recorded (and fails the build at the end) but later phases still run. */
  private <T> T phase(String name, PhaseBody<T> body) {
    try {
      return body.run();
    } catch (Exception | AssertionError e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      log("phase %s (%s) failed: %s", name, mode, why);
      problems.add(mode + " " + name + " failed: " + why);
      results.put(name + "Error", why);
      return null;
    }
  }

  private void logWindow(Window w) {
    JsonObject l = Report.latency(w.delivery);
    log("%s %s: %d sent (%.0f/s), p50 %s ms, p99 %s ms, max %s ms, PUT p99 %s ms, lost %d/%d, dup %d, failed %d, server CPU %s%%",
        w.target, w.name, w.sent.get(), w.achievedRate(), Report.fmt(l.getDouble("p50", -1.0)), Report.fmt(l.getDouble("p99", -1.0)),
        Report.fmt(l.getDouble("max", -1.0)), Report.fmt(Report.latency(w.put).getDouble("p99", -1.0)), w.lostB, w.lostA,
        w.duplicates.get(), w.putFailed.get(), Report.fmt(w.serverCpu));
  }

  /** The server's own "Started in N ms" (JVM start excluded), or -1. */
  private static long startedInMs(Path log) {
    try {
      for (int attempt = 0; attempt < 50; attempt++) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[Ss]tarted in (\\d+) ms").matcher(Files.readString(log));
        if (m.find()) return Long.parseLong(m.group(1));
        Thread.sleep(20);
      }
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return -1;
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  private static long fds(long pid) {
    try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return s.count();
    } catch (IOException e) {
      return -1;
    }
  }

  private JsonObject config() {
    return new JsonObject().put("quick", cfg.quick()).put("couples", cfg.couples()).put("rate", cfg.rate())
        .put("warmupSeconds", cfg.warmup().toSeconds()).put("measureSeconds", cfg.measure().toSeconds())
        .put("steps", new JsonArray(Arrays.stream(cfg.steps()).boxed().toList())).put("stepSeconds", cfg.step().toSeconds())
        .put("p99LimitMs", cfg.p99LimitMs()).put("idleSockets", cfg.idleSockets()).put("catchupEvents", cfg.catchupEvents())
        .put("catchupRounds", cfg.catchupRounds()).put("startups", cfg.startups()).put("serverHeap", cfg.serverHeap())
        .put("clientEventLoops", cfg.clientEventLoops()).put("phases", new JsonArray(new ArrayList<>(cfg.phases())));
  }

  private static JsonObject machine() {
    String mem = "";
    String cpu = "";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          mem = String.format(Locale.ROOT, "%.1f GiB RAM", Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0);
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Reported as unknown.
    }
    return new JsonObject().put("cores", Runtime.getRuntime().availableProcessors()).put("memory", mem).put("cpu", cpu)
        .put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")")
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
  }

  /** The test classpath (exec:java runs us in a class loader of its own; the floor JVM needs the same jars). */
  private static String classpath() {
    Set<String> entries = new LinkedHashSet<>();
    for (ClassLoader cl = Thread.currentThread().getContextClassLoader(); cl != null; cl = cl.getParent()) {
      if (cl instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()).toString());
          } catch (Exception e) {
            entries.add(url.getPath());
          }
        }
      }
    }
    entries.addAll(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
    return String.join(File.pathSeparator, entries);
  }

  static void log(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[bench %s] %s%n", java.time.LocalTime.now().withNano(0), String.format(Locale.ROOT, format, args));
  }
}
