package dev.bridgework.bench;

import dev.bridgework.storage.Database;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The embedded database on its own, for two clustered Bridgework nodes to share (benchmark
 * capacity step): exactly the store a single node runs inside its own process ({@link Database}
 * without a {@code mongo.uri}: mongo-java-server on the H2 file of a data directory), listening on
 * {@code 127.0.0.1:<mongoPort>}, with {@code GET /health} on {@code <healthPort>} once it is up.
 * {@code java ... SharedStore <dataDir> <mongoPort> <healthPort>}; SIGTERM closes the store cleanly.
 */
public final class SharedStore {
  private SharedStore() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    int mongoPort = Integer.parseInt(args[1]);
    int healthPort = Integer.parseInt(args[2]);
    Vertx vertx = Vertx.vertx();
    Database db = Database.start(vertx, null, "bridgework", data, Database.DEFAULT_TIMEOUT, null, mongoPort).await(120, TimeUnit.SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        db.close().await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("closing the store failed: " + e);
      }
    }));
    vertx.createHttpServer().requestHandler(req -> req.response().setStatusCode("/health".equals(req.path()) ? 200 : 404).end())
        .listen(healthPort, JavaProcess.HOST).await(30, TimeUnit.SECONDS);
    System.out.println("Shared store on 127.0.0.1:" + mongoPort + " (" + data + ")");
  }
}
