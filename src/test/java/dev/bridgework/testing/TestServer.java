package dev.bridgework.testing;

import dev.bridgework.app.AppConfig;
import dev.bridgework.app.Application;
import dev.bridgework.storage.Database;
import dev.bridgework.ops.Telemetry;
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

  public final Vertx vertx;
  public final Application app;
  public final TestClock clock;

  private TestServer(Vertx vertx, Application app, TestClock clock) {
    this.vertx = vertx;
    this.app = app;
    this.clock = clock;
  }

  public static TestServer start() {
    return start(Map.of());
  }

  public static TestServer start(Map<String, String> overrides) {
    return start(overrides, null);
  }

  /** As {@link #start(Map)}, with a listener that hears every command the server sends its database. */
  public static TestServer start(Map<String, String> overrides, com.mongodb.event.CommandListener commands) {
    Map<String, String> settings = new HashMap<>();
    settings.put("http.port", "0");
    settings.put("http.host", "127.0.0.1");
    settings.put("http.instances", "1");
    settings.put("data.dir", Database.IN_MEMORY);
    settings.put("crypto.minKdfIterations", String.valueOf(TEST_MIN_KDF_ITERATIONS));
    // No management port and no metrics unless a test asks for them (management.port 0), so other tests pay nothing.
    settings.put("management.port", "-1");
    settings.putAll(overrides);
    TestClock clock = new TestClock();
    AppConfig config = AppConfig.fromMap(settings);
    Telemetry telemetry = config.managementEnabled() ? Telemetry.prometheus() : Telemetry.off();
    Vertx vertx = telemetry.vertx(new VertxOptions());
    try {
      Application app = Application.start(vertx, config, clock, telemetry, commands).await();
      return new TestServer(vertx, app, clock);
    } catch (Throwable e) {
      // A test of a start-up failure must not leave this Vert.x instance running.
      vertx.close().await();
      throw e;
    }
  }

  /** Wraps an application started elsewhere (for example one node of a cluster test). */
  public static TestServer of(Vertx vertx, Application app, TestClock clock) {
    return new TestServer(vertx, app, clock);
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

  @Override
  public void close() {
    app.close().await();
    vertx.close().await();
  }

  public static Clock systemClock() {
    return Clock.systemUTC();
  }
}
