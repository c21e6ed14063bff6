package dev.bridgework.testing;

import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Bridgework started as its own operating-system process (for kill -9 and soak tests). */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  public final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static ServerProcess start(Path dataDir, int port, Map<String, String> env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "dev.bridgework.app.Main"));
    pb.environment().put("BRIDGEWORK_HTTP_PORT", String.valueOf(port));
    pb.environment().put("BRIDGEWORK_HTTP_HOST", "127.0.0.1");
    pb.environment().put("BRIDGEWORK_DATA_DIR", dataDir.toString());
    pb.environment().put("BRIDGEWORK_CRYPTO_MINKDFITERATIONS", String.valueOf(TestServer.TEST_MIN_KDF_ITERATIONS));
    // A random management port, so server processes never compete for 9090 with anything else on the machine.
    pb.environment().put("BRIDGEWORK_MANAGEMENT_PORT", "0");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
    return new ServerProcess(pb.start(), port);
  }

  /** Polls /health until it answers 200 (the process is starting; there is no event to wait for). */
  public ServerProcess awaitHealthy(WebClient http) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new AssertionError("server process exited with " + process.exitValue());
      try {
        if (http.get(port, "127.0.0.1", "/health").send().await().statusCode() == 200) return this;
      } catch (Exception notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server did not become healthy");
  }

  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  public long pid() {
    return process.pid();
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
