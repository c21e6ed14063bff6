package dev.bridgework.testing;

import dev.bridgework.storage.Database;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The database on its own: the embedded MongoDB-protocol server with its H2 file store (the very
 * store the app embeds), started as its own operating-system process on a fixed loopback port. A
 * server process reaches it through {@code mongo.uri} (through a {@link StallingProxy} when a test
 * wants to stall it), and both can be killed with SIGKILL and started again on the same file.
 */
public final class DatabaseProcess implements AutoCloseable {
  private final Process process;
  public final int port;

  private DatabaseProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the database on {@code port} with its file under {@code dataDir}, and waits until it accepts connections. */
  public static DatabaseProcess start(Path dataDir, int port) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        DatabaseProcess.class.getName(), dataDir.toString(), String.valueOf(port)));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("database.log").toFile()));
    DatabaseProcess db = new DatabaseProcess(pb.start(), port);
    db.awaitListening();
    return db;
  }

  private void awaitListening() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new AssertionError("database process exited with " + process.exitValue());
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100); // opening the file; there is no event to wait for in another process
      }
    }
    throw new AssertionError("database did not start listening on " + port);
  }

  /** {@code mongodb://127.0.0.1:<port>}, the database itself (not through a proxy). */
  public String uri() {
    return "mongodb://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook runs, the file is left as the last acknowledged commit left it. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  /** {@code DatabaseProcess <dataDir> <port>}: serves until killed. */
  public static void main(String[] args) throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    Database.start(vertx, null, "bridgework", Path.of(args[0]), Duration.ofSeconds(5), null, Integer.parseInt(args[1])).await();
    System.out.println("database listening on " + args[1]);
    Thread.currentThread().join();
  }
}
