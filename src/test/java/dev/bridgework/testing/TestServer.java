package dev.bridgework.testing;

import dev.bridgework.app.AppConfig;
import dev.bridgework.app.Application;
import dev.bridgework.app.Embedding;
import dev.bridgework.auth.PasswordHasher;
import dev.bridgework.storage.Database;
import dev.bridgework.ops.Telemetry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real server, in-process, on port 0, with the real embedded MongoDB-protocol server (in-memory
 * H2 store) reached over its socket. Tests talk to it only over HTTP and WebSockets, and read the
 * database directly only to assert what was (not) stored.
 */
public final class TestServer implements AutoCloseable {
  private static final AtomicInteger USERS = new AtomicInteger();
  /** {@code crypto.minKdfIterations} of test servers: real PBKDF2, cheap enough for hundreds of accounts. */
  public static final int TEST_MIN_KDF_ITERATIONS = 1000;
  /**
   * The server's password hash in tests: still Argon2id through the same code, at a cost a suite
   * that registers thousands of throwaway accounts can afford (the OWASP cost spent about half the
   * CPU of the authorization matrix on it). A real server cannot ask for this ({@link Embedding});
   * {@code AtRestTest} checks that one hashes at {@link PasswordHasher.Cost#OWASP}.
   */
  public static final PasswordHasher.Cost TEST_HASH_COST = new PasswordHasher.Cost(64, 1, 1);

  /** The Vert.x the application runs on (and clients of it use). */
  public final Vertx vertx;
  /** The Vert.x the server's verticle is deployed on (the injected one, or a cluster node's). */
  private final Vertx deployedOn;
  public final Application app;
  public final TestClock clock;
  /** The {@link ServerVerticle} holding {@link #app} and its deployment; undeploying it closes the app. */
  private final ServerVerticle verticle;
  private final String deploymentId;
  /** A cluster node's server owns its clustered Vert.x: closing the node leaves the cluster. */
  private final boolean ownsVertx;

  private TestServer(Vertx vertx, ServerVerticle verticle, TestClock clock, String deploymentId, boolean ownsVertx) {
    // The Vert.x the application runs on: the injected one, or the metered one of a management test.
    this.vertx = verticle.app.vertx();
    this.verticle = verticle;
    this.deployedOn = vertx;
    this.app = verticle.app;
    this.clock = clock;
    this.deploymentId = deploymentId;
    this.ownsVertx = ownsVertx;
  }

  /**
   * Deploys the real application on {@code vertx} (the instance {@code VertxExtension} injected),
   * on port 0 with an in-memory store unless {@code overrides} say otherwise. The application lives
   * in a verticle, so closing that Vert.x (as the extension does after the class or the test)
   * undeploys it and closes its store; {@link #close()} does the same earlier.
   */
  public static Future<TestServer> start(Vertx vertx, Map<String, String> overrides) {
    return start(vertx, config(overrides));
  }

  /** As {@link #start(Vertx, Map)}, with a listener that hears every command the server sends its database. */
  public static Future<TestServer> start(Vertx vertx, Map<String, String> overrides, com.mongodb.event.CommandListener commands) {
    return start(vertx, config(overrides), false, commands);
  }

  /** The test configuration: port 0, in-memory store, cheap KDF floor, no management port; then {@code overrides}. */
  private static AppConfig config(Map<String, String> overrides) {
    Map<String, String> settings = new HashMap<>();
    settings.put("http.port", "0");
    settings.put("http.host", "127.0.0.1");
    settings.put("http.instances", "1");
    settings.put("data.dir", Database.IN_MEMORY);
    settings.put("crypto.minKdfIterations", String.valueOf(TEST_MIN_KDF_ITERATIONS));
    // No management port and no metrics unless a test asks for them (management.port 0), so other tests pay nothing.
    settings.put("management.port", "-1");
    settings.putAll(overrides);
    return AppConfig.fromMap(settings);
  }

  /** Deploys the application with exactly this configuration. */
  public static Future<TestServer> start(Vertx vertx, AppConfig config) {
    return start(vertx, config, false);
  }

  /**
   * A cluster node: the application on a (clustered) Vert.x of its own, which {@link #close()}
   * closes too, so the node leaves the cluster as a real one going away does.
   */
  public static Future<TestServer> node(Future<Vertx> clustered, AppConfig config) {
    // No management port: two nodes in one JVM would both want its default (9090), and a node's
    // metrics would need a metered Vert.x rather than its clustered one.
    return clustered.compose(vertx -> start(vertx, config.withManagementPort(-1), true)
        .onFailure(e -> vertx.close()));
  }

  private static Future<TestServer> start(Vertx vertx, AppConfig config, boolean ownsVertx) {
    return start(vertx, config, ownsVertx, null);
  }

  private static Future<TestServer> start(Vertx vertx, AppConfig config, boolean ownsVertx,
                                          com.mongodb.event.CommandListener commands) {
    TestClock clock = new TestClock();
    ServerVerticle verticle = new ServerVerticle(config, clock, commands);
    return vertx.deployVerticle(verticle).map(id -> new TestServer(vertx, verticle, clock, id, ownsVertx));
  }

  public static Future<TestServer> start(Vertx vertx) {
    return start(vertx, Map.of());
  }

  /**
   * For a server that is not the test class's own (browser tests' synchronous style, a cluster
   * node on its own clustered Vert.x, a second server started inside a test): blocks the calling
   * test thread, never an event loop, until the server listens.
   */
  public static TestServer startOn(Vertx vertx, Map<String, String> overrides) {
    return start(vertx, overrides).await();
  }

  /**
   * The application as a verticle: started by its deployment, closed by its undeployment.
   *
   * <p>No management port and no metrics unless the test asks ({@code management.port} 0): then
   * Vert.x's own metrics need a Vert.x built to report them ({@link Telemetry#vertx}), so the
   * application runs on such a metered Vert.x that this verticle owns — made when it is deployed
   * and closed when it is undeployed, so the injected Vert.x closing still closes everything.
   */
  private static final class ServerVerticle extends VerticleBase {
    private final AppConfig config;
    private final TestClock clock;
    private final com.mongodb.event.CommandListener commands;
    private volatile Application app;
    private volatile Vertx metered;
    private Future<?> closed;

    ServerVerticle(AppConfig config, TestClock clock, com.mongodb.event.CommandListener commands) {
      this.config = config;
      this.clock = clock;
      this.commands = commands;
    }

    @Override
    public Future<?> start() {
      if (!config.managementEnabled()) {
        return Application.start(vertx, config, clock, Telemetry.off(), embedding()).onSuccess(started -> app = started);
      }
      Telemetry telemetry = Telemetry.prometheus();
      Vertx own = telemetry.vertx(new VertxOptions());
      metered = own;
      return Application.start(own, config, clock, telemetry, embedding()).onSuccess(started -> app = started)
          // A test of a start-up failure must not leave this Vert.x instance running.
          .recover(e -> own.close().transform(ignored -> Future.failedFuture(e)));
    }

    private Embedding embedding() {
      return new Embedding(commands, TEST_HASH_COST);
    }

    @Override
    public Future<?> stop() {
      return closeApp();
    }

    /** Once: by {@link TestServer#close()} or else by the undeployment when Vert.x closes. */
    synchronized Future<?> closeApp() {
      if (closed == null) {
        Future<?> appClosed = app == null ? Future.succeededFuture() : app.close();
        Vertx own = metered;
        closed = own == null ? appClosed : appClosed.eventually(own::close);
      }
      return closed;
    }
  }

  public int port() {
    return app.port();
  }

  /** The management port (metrics, health, backups); -1 unless the test started with {@code management.port}. */
  public int managementPort() {
    return app.managementPort();
  }

  public String origin() {
    return "http://localhost:" + port();
  }

  /** A client with its own cookie jar, not signed in. */
  public Api client() {
    return new Api(vertx, port());
  }

  /** A client of a server started some other way (a file-backed Application, say). */
  public static Api clientFor(Vertx vertx, int port) {
    return new Api(vertx, port);
  }

  /** Registers a fresh user and answers a signed-in client. */
  public Api register(String name) {
    return registerWith(client(), name);
  }

  /** Registers a fresh user on this client and signs it in. */
  public static Api registerWith(Api api, String name) {
    String email = name.toLowerCase().replaceAll("[^a-z0-9]", "") + "-" + USERS.incrementAndGet() + "-" + System.nanoTime() + "@example.test";
    return registerWith(api, name, email, Api.freshKeys());
  }

  /** Registers {@code {email, displayName} + keys.body()} on this client and signs it in. */
  public static Api registerWith(Api api, String name, String email, ClientCrypto.Keys keys) {
    var response = api.post("/api/auth/register", registration(email, name, keys));
    if (response.statusCode() != 201) {
      throw new AssertionError("register failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    api.signedIn(response.bodyAsJsonObject().getJsonObject("user"), email, keys);
    return api;
  }

  /** A client that registered or signed in by hand is this person from now on (its cookie jar holds the session). */
  public static Api signedIn(Api api, JsonObject user, String email, ClientCrypto.Keys keys) {
    api.signedIn(user, email, keys);
    return api;
  }

  /** The register body a client sends: {@code {email, displayName, authKey, kdf, vault, recoveryAuth}}. */
  public static JsonObject registration(String email, String name, ClientCrypto.Keys keys) {
    return new JsonObject().put("email", email).put("displayName", name).mergeIn(keys.body());
  }

  /**
   * Waits until the clean-ups that share creates leave for after their answer are over (mark
   * cleared, op forgotten, entry unlisted: {@code Outbox.cleanUpsDone}), so a test that compares
   * stored state before and after a refused request sees only what that request did.
   */
  public void settled() {
    app.events().outbox().cleanUpsDone().await();
  }

  /** Direct database access, for asserting what was stored. */
  public MongoClient mongo() {
    return app.database().client();
  }

  /**
   * Every document of every collection, as one JSON string (for "the text is gone" checks). A
   * destroyed key's tombstone ({@code keys {_id, destroyed:true}}) is left out: it holds no text and
   * must stay, so that the key is never made again (storage.Vault).
   */
  public String dumpDatabase() {
    StringBuilder out = new StringBuilder();
    List<String> names = mongo().getCollections().await();
    for (String name : names) {
      for (JsonObject doc : mongo().find(name, new JsonObject()).await()) {
        if ("keys".equals(name) && doc.getBoolean("destroyed", false) && doc.size() == 2) continue;
        out.append(name).append(' ').append(doc.encode()).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * Closes this server before its Vert.x is closed (a node going away, a restart on the same data).
   * The application closes first, as in production (sockets hear 1001 "going away"), then its
   * verticle is undeployed.
   */
  @Override
  public void close() {
    verticle.closeApp().await();
    if (deployedOn.deploymentIDs().contains(deploymentId)) deployedOn.undeploy(deploymentId).await();
    if (ownsVertx) deployedOn.close().await();
  }

  public static Clock systemClock() {
    return Clock.systemUTC();
  }
}
