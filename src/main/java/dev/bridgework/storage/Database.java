package dev.bridgework.storage;

import de.bwaldvogel.mongo.MongoServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The MongoDB connection. With a {@code mongo.uri} it connects there; without one it starts the
 * embedded MongoDB-protocol server (mongo-java-server, H2 file under the data directory) on a free
 * loopback port and connects to it with the same driver, so the app never knows the difference.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  /** A data directory of this name keeps the embedded database in memory (tests). */
  public static final String IN_MEMORY = ":memory:";

  private final Vertx vertx;
  private final MongoClient client;
  private final MongoServer embedded;
  private final DurableH2Backend backend;
  private final String connectionString;

  private Database(Vertx vertx, MongoClient client, MongoServer embedded, DurableH2Backend backend, String connectionString) {
    this.vertx = vertx;
    this.client = client;
    this.embedded = embedded;
    this.backend = backend;
    this.connectionString = connectionString;
  }

  public static Future<Database> start(Vertx vertx, String mongoUri, String dbName, Path dataDir) {
    return start(vertx, mongoUri, dbName, dataDir, null, 0);
  }

  /**
   * {@code meters}: where the embedded store's command latency and commit time go (null: nowhere);
   * {@code embeddedPort}: the loopback port of the embedded server (0: any free one).
   */
  public static Future<Database> start(Vertx vertx, String mongoUri, String dbName, Path dataDir, MeterRegistry meters,
                                       int embeddedPort) {
    if (mongoUri != null && !mongoUri.isBlank()) {
      String uri = withDurableWrites(mongoUri);
      LOG.debug("Connecting to MongoDB (database '{}')", dbName);
      return Future.succeededFuture(new Database(vertx, connect(vertx, uri, dbName), null, null, uri));
    }
    return vertx.executeBlocking(() -> {
      boolean memory = IN_MEMORY.equals(dataDir.toString());
      DurableH2Backend backend;
      if (memory) {
        backend = DurableH2Backend.openInMemory();
      } else {
        Files.createDirectories(dataDir);
        backend = DurableH2Backend.open(dataDir.resolve("bridgework.mv.db").toString());
      }
      if (meters != null) backend.instrument(meters);
      MongoServer server = new MongoServer(backend);
      InetSocketAddress address;
      if (embeddedPort > 0) {
        server.bind("127.0.0.1", embeddedPort);
        address = server.getLocalAddress();
      } else {
        address = server.bind();
      }
      LOG.debug("Embedded database started ({}) on {}", memory ? "in memory" : dataDir.toAbsolutePath(), address);
      return new Database(vertx, null, server, backend, null);
    }).map(started -> {
      InetSocketAddress a = started.embedded.getLocalAddress();
      String uri = "mongodb://" + a.getHostString() + ":" + a.getPort();
      return new Database(vertx, connect(vertx, uri, dbName), started.embedded, started.backend, uri);
    });
  }

  /** A replica set in production: acknowledged means written to a majority and journaled. */
  private static String withDurableWrites(String uri) {
    if (uri.contains("w=") || uri.contains("journal=")) return uri;
    String sep = uri.contains("?") ? "&" : (uri.matches("^mongodb(\\+srv)?://[^/]+$") ? "/?" : "?");
    return uri + sep + "w=majority&journal=true";
  }

  private static MongoClient connect(Vertx vertx, String uri, String dbName) {
    JsonObject config = new JsonObject()
        .put("connection_string", uri)
        .put("db_name", dbName)
        .put("serverSelectionTimeoutMS", 5000)
        .put("useObjectId", false);
    return MongoClient.createShared(vertx, config, "bridgework-" + uri.hashCode());
  }

  public MongoClient client() {
    return client;
  }

  public String connectionString() {
    return connectionString;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  /**
   * An online backup of the embedded file store into {@code target} (H2's zip format), consistent
   * and holding every write acknowledged before it started; runs on a worker thread.
   */
  public Future<Void> backupTo(Path target) {
    if (backend == null) return Future.failedFuture(new IllegalStateException("Only the embedded database can be backed up this way; use mongodump for MongoDB"));
    return vertx.executeBlocking(() -> {
      try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(target))) {
        backend.backup(out);
      }
      return null;
    });
  }

  /** For the health check: a ping that answers within two seconds or counts as down. */
  public Future<Void> ping() {
    return client.runCommand("ping", new JsonObject().put("ping", 1))
        .timeout(2, TimeUnit.SECONDS)
        .mapEmpty();
  }

  /** Stops the embedded server and drops its connections (tests use it to simulate an outage). */
  public void stopEmbeddedForTests() {
    if (embedded != null) embedded.shutdownNow();
  }

  public Future<Void> close() {
    return client.close().recover(e -> Future.succeededFuture()).compose(v -> {
      if (embedded == null) return Future.succeededFuture();
      // shutdownNow closes the backend, which commits and closes the H2 store cleanly.
      return vertx.executeBlocking(() -> {
        embedded.shutdownNow();
        return null;
      });
    });
  }
}
