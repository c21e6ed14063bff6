package dev.bridgework.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Sizes and durations of one benchmark run, from system properties ({@code -Dbench.couples=100}).
 * {@code -Dbench.quick=true} shrinks every default for a smoke run; explicit properties still win.
 */
record BenchConfig(
    boolean quick,
    int couples,
    int rate,
    Duration warmup,
    Duration measure,
    int[] steps,
    Duration step,
    int p99LimitMs,
    int idleSockets,
    int catchupEvents,
    int catchupRounds,
    int startups,
    String serverHeap,
    int clientEventLoops,
    int registerConcurrency,
    boolean profile,
    java.util.Set<String> phases,
    Path jar,
    Path out) {

  static BenchConfig fromSystemProperties() {
    boolean quick = Boolean.getBoolean("bench.quick");
    return new BenchConfig(
        quick,
        integer("bench.couples", quick ? 100 : 1000),
        integer("bench.rate", 50),
        Duration.ofSeconds(integer("bench.warmupSeconds", quick ? 5 : 30)),
        Duration.ofSeconds(integer("bench.seconds", quick ? 10 : 60)),
        Arrays.stream(System.getProperty("bench.steps", quick ? "50,200,800" : "50,100,200,400,800,1200,1600").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray(),
        Duration.ofSeconds(integer("bench.stepSeconds", quick ? 4 : 10)),
        integer("bench.p99LimitMs", 100),
        integer("bench.idleSockets", quick ? 1000 : 10_000),
        integer("bench.catchupEvents", 1000),
        integer("bench.catchupRounds", quick ? 1 : 3),
        integer("bench.startups", quick ? 1 : 3),
        System.getProperty("bench.serverHeap", "1g"),
        integer("bench.clientEventLoops", 4),
        integer("bench.registerConcurrency", 4),
        Boolean.getBoolean("bench.profile"),
        java.util.Set.of(System.getProperty("bench.phases", "floor,latency,throughput,catchup,connections").split(",")),
        Path.of(System.getProperty("bench.jar", "target/bridgework.jar")),
        Path.of(System.getProperty("bench.out", "target/bench")));
  }

  private static int integer(String name, int def) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
  }

  /** Whether a phase is to run ({@code -Dbench.phases=floor,latency} runs only those). */
  boolean runs(String phase) {
    return phases.contains(phase);
  }

  int users() {
    return 2 * couples;
  }
}
