package dev.bridgework.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server under test running as its own JVM (the Bridgework jar, or the floor server), its output
 * in a log file. Start-up is timed from just before the process is spawned to the first
 * {@code GET /health} answered 200.
 */
final class JavaProcess implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  final String name;
  final int port;
  private final Process process;
  private final long spawnedNanos;
  private long healthyNanos;

  private JavaProcess(String name, int port, Process process, long spawnedNanos) {
    this.name = name;
    this.port = port;
    this.process = process;
    this.spawnedNanos = spawnedNanos;
  }

  /** {@code java -Xmx<heap> <jvmArgs> <main...>} with the given environment, output to {@code log}. */
  static JavaProcess start(String name, int port, String heap, List<String> main, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-XX:+UseG1GC");
    command.addAll(main);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    long before = System.nanoTime();
    Process process = builder.start();
    return new JavaProcess(name, port, process, before);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** Polls {@code /health} every few milliseconds; answers the start-up time. */
  Duration awaitHealthy(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI health = URI.create("http://" + HOST + ":" + port + "/health");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with code " + process.exitValue() + " before it was healthy");
      }
      if (status(health) == 200) {
        healthyNanos = System.nanoTime();
        return Duration.ofNanos(healthyNanos - spawnedNanos);
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException(name + " was not healthy within " + timeout);
  }

  private static int status(URI uri) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout(200);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.getInputStream().readAllBytes();
      c.disconnect();
      return code;
    } catch (IOException e) {
      return -1;
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM (a clean shutdown closes the store), then SIGKILL if it hangs. Answers the stop time. */
  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
