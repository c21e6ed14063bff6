package dev.bridgework.storage;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.event.CommandListener;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import de.bwaldvogel.mongo.MongoServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.impl.config.MongoClientOptionsParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  /** The client for writes that a later durable write of the same request makes durable ({@link #deferredWrites}). */
  private final MongoClient deferred;
  private final MongoServer embedded;
  private final DurableH2Backend backend;
  private final String connectionString;

  private Database(Vertx vertx, MongoClient client, MongoServer embedded, DurableH2Backend backend, String connectionString) {
    this(vertx, client, client, embedded, backend, connectionString);
  }

  private Database(Vertx vertx, MongoClient client, MongoClient deferred, MongoServer embedded, DurableH2Backend backend,
                   String connectionString) {
    this.vertx = vertx;
    this.client = client;
    this.deferred = deferred;
    this.embedded = embedded;
    this.backend = backend;
    this.connectionString = connectionString;
  }

  public static Future<Database> start(Vertx vertx, String mongoUri, String dbName, Path dataDir) {
    return start(vertx, mongoUri, dbName, dataDir, DEFAULT_TIMEOUT, null, 0);
  }

  /** How long an operation may wait for the database by default ({@code mongo.timeout}). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * {@code timeout} bounds the waits for the database: choosing a server, opening a connection, and
   * (doubled, since a large scan on the embedded server may be slow) reading an answer; the HTTP
   * layer's {@code http.requestTimeout} bounds the rest (a request queued for a pooled connection).
   * A request whose database is gone therefore fails within it, and the web layer answers 503
   * ({@link #isUnavailable}). {@code meters}: where the embedded store's command latency and commit
   * time go (null: nowhere); {@code embeddedPort}: the loopback port of the embedded server (0: any free one).
   */
  public static Future<Database> start(Vertx vertx, String mongoUri, String dbName, Path dataDir, Duration timeout,
                                       MeterRegistry meters, int embeddedPort) {
    return start(vertx, mongoUri, dbName, dataDir, timeout, meters, embeddedPort, null);
  }

  /**
   * As above; {@code commands}, when not null, hears every command the driver sends (tests count the
   * round trips of a request with it).
   */
  public static Future<Database> start(Vertx vertx, String mongoUri, String dbName, Path dataDir, Duration timeout,
                                       MeterRegistry meters, int embeddedPort, CommandListener commands) {
    if (mongoUri != null && !mongoUri.isBlank()) {
      String uri = withDurableWrites(mongoUri);
      LOG.debug("Connecting to MongoDB (database '{}')", dbName);
      return Future.succeededFuture(new Database(vertx, connect(vertx, uri, dbName, timeout, commands), null, null, uri));
    }
    return startEmbedded(vertx, dbName, dataDir, timeout, meters, embeddedPort, commands, Compaction.Policy.DEFAULT);
  }

  /**
   * The embedded database on a file with a compaction policy of its own (tests compare against
   * {@link Compaction.Policy#unmanaged()}, the store as it ran before compaction).
   */
  static Future<Database> startEmbedded(Vertx vertx, String dbName, Path dataDir, Compaction.Policy compaction) {
    return startEmbedded(vertx, dbName, dataDir, Duration.ofSeconds(30), null, 0, null, compaction);
  }

  private static Future<Database> startEmbedded(Vertx vertx, String dbName, Path dataDir, Duration timeout,
                                                MeterRegistry meters, int embeddedPort, CommandListener commands,
                                                Compaction.Policy compaction) {
    return vertx.executeBlocking(() -> {
      boolean memory = IN_MEMORY.equals(dataDir.toString());
      DurableH2Backend backend;
      if (memory) {
        backend = DurableH2Backend.openInMemory();
      } else {
        Files.createDirectories(dataDir);
        backend = DurableH2Backend.open(dataDir.resolve("bridgework.mv.db").toString(), compaction);
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
      return new Database(vertx, connect(vertx, uri, dbName, timeout, commands),
          connect(vertx, uri + "/?w=1&journal=false", dbName, timeout, commands), started.embedded, started.backend, uri);
    });
  }

  /** A replica set in production: acknowledged means written to a majority and journaled. */
  private static String withDurableWrites(String uri) {
    if (uri.contains("w=") || uri.contains("journal=")) return uri;
    String sep = uri.contains("?") ? "&" : (uri.matches("^mongodb(\\+srv)?://[^/]+$") ? "/?" : "?");
    return uri + sep + "w=majority&journal=true";
  }

  private static MongoClient connect(Vertx vertx, String uri, String dbName, Duration timeout, CommandListener commands) {
    long ms = Math.max(1, timeout.toMillis());
    JsonObject config = new JsonObject()
        .put("connection_string", uri)
        .put("db_name", dbName)
        .put("serverSelectionTimeoutMS", ms)
        .put("connectTimeoutMS", ms)
        .put("socketTimeoutMS", 2 * ms)
        .put("useObjectId", false);
    if (commands == null) return MongoClient.createShared(vertx, config, "bridgework-" + uri.hashCode());
    // The settings vertx-mongo-client would build from this config (its codecs included), plus the listener.
    MongoClientSettings settings = MongoClientSettings.builder(new MongoClientOptionsParser(vertx, config).settings())
        .addCommandListener(commands)
        .build();
    return MongoClient.createWithMongoSettings(vertx, config, "bridgework-listened-" + System.identityHashCode(commands) + "-" + uri.hashCode(), settings);
  }

  /**
   * True when a failure means the database could not be reached or did not answer in time (as
   * opposed to refusing an operation): the caller may retry later, so the web layer answers 503.
   */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MongoTimeoutException || t instanceof MongoSocketException || t instanceof MongoServerUnavailableException
          || t instanceof MongoOperationTimeoutException || t instanceof MongoExecutionTimeoutException
          || t instanceof MongoInterruptedException || t instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
      if (t.getCause() == t) break;
    }
    return false;
  }

  public MongoClient client() {
    return client;
  }

  /**
   * The client for a request's writes before the one its answer (or anything it publishes) waits
   * for: on the embedded server they are sent with {@code {w: 1, j: false}}, applied without a
   * commit of their own, and made durable by that later durable write, whose commit writes
   * everything applied before it ({@code DurableH2Backend}), so the file always holds a prefix of
   * the writes in the order they were applied. On a MongoDB ({@code mongo.uri}) this is the durable
   * client itself: there a {@code w: 1} write acknowledged by one primary can be rolled back by a
   * failover while a later majority write, taken by the next primary, survives, which is not a
   * prefix (docs/PERFORMANCE.md "The share path's database work").
   */
  public MongoClient deferredWrites() {
    return deferred;
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

  /** The embedded store's background compaction (null with MongoDB or in memory). */
  Compaction compaction() {
    return backend == null ? null : backend.compaction();
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
    Future<Void> deferredClosed = deferred == client ? Future.succeededFuture() : deferred.close().recover(e -> Future.succeededFuture());
    return deferredClosed.compose(x -> client.close()).recover(e -> Future.succeededFuture()).compose(v -> {
      if (embedded == null) return Future.succeededFuture();
      // shutdownNow closes the backend, which commits and closes the H2 store cleanly.
      return vertx.executeBlocking(() -> {
        embedded.shutdownNow();
        return null;
      });
    });
  }
}
