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
    Path out,
    java.util.List<String> data,
    LivedData.Spec lived,
    int opsSamples,
    java.util.Set<String> connectionsOn,
    int[] capacityCouples,
    double capacityPerCouple,
    int capacityP99Ms,
    Duration capacityWarmup,
    Duration capacityStep,
    int[] capacityNodes) {

  static BenchConfig fromSystemProperties() {
    boolean quick = Boolean.getBoolean("bench.quick");
    return new BenchConfig(
        quick,
        integer("bench.couples", quick ? 20 : 1000),
        integer("bench.rate", quick ? 20 : 50),
        Duration.ofSeconds(integer("bench.warmupSeconds", quick ? 2 : 30)),
        Duration.ofSeconds(integer("bench.seconds", quick ? 5 : 60)),
        ints("bench.steps", quick ? "50,200" : "50,100,200,400,800,1200,1600"),
        Duration.ofSeconds(integer("bench.stepSeconds", quick ? 3 : 10)),
        integer("bench.p99LimitMs", 100),
        integer("bench.idleSockets", quick ? 200 : 10_000),
        integer("bench.catchupEvents", quick ? 200 : 1000),
        integer("bench.catchupRounds", quick ? 1 : 3),
        integer("bench.startups", quick ? 1 : 3),
        System.getProperty("bench.serverHeap", "1g"),
        integer("bench.clientEventLoops", 4),
        integer("bench.registerConcurrency", 4),
        Boolean.getBoolean("bench.profile"),
        java.util.Set.of(System.getProperty("bench.phases", "floor,latency,throughput,operations,catchup,connections,capacity").split(",")),
        Path.of(System.getProperty("bench.jar", "target/bridgework.jar")),
        Path.of(System.getProperty("bench.out", "target/bench")),
        Arrays.stream(System.getProperty("bench.data", "empty,lived").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
        LivedData.specFromSystemProperties(quick),
        integer("bench.opsSamples", quick ? 20 : 300),
        java.util.Set.of(System.getProperty("bench.connectionsOn", "empty").split(",")),
        ints("bench.capacity.couples", quick ? "10,20,40" : "1000,2000,3000,4000,6000,8000"),
        Double.parseDouble(System.getProperty("bench.capacity.perCouple", "0.05")),
        integer("bench.capacity.p99LimitMs", 25),
        Duration.ofSeconds(integer("bench.capacity.warmupSeconds", quick ? 1 : 5)),
        Duration.ofSeconds(integer("bench.capacity.stepSeconds", quick ? 2 : 15)),
        ints("bench.capacity.nodes", "1,2"));
  }

  private static int[] ints(String name, String def) {
    return Arrays.stream(System.getProperty(name, def).split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .mapToInt(Integer::parseInt).toArray();
  }

  /** The most couples any capacity step needs. */
  int capacityMax() {
    return Arrays.stream(capacityCouples).max().orElse(0);
  }

  boolean lived(String mode) {
    return "lived".equals(mode);
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
