package dev.bridgework.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one deployment holds: the number of connected couples is raised step by step, each couple
 * sharing at {@code perCouple} shares/s (so the total rate grows with them), until share → partner
 * p99 exceeds {@code p99LimitMs}, a share is lost, duplicated or refused, or the offered rate is not
 * reached. Every step opens both partners' sockets of all its couples afresh (each synced), warms up,
 * then measures a window; the capacity is the last step held. Server CPU is summed over the nodes.
 */
final class Capacity {
  private final Vertx vertx;
  private final WebSocketClient ws;
  private final Target target;
  private final List<Couple> couples;
  private final int nodes;
  private final long[] pids;

  /** {@code pids}: the processes whose CPU counts (the nodes first, then a shared store if any); {@code nodes}: how many serve. */
  Capacity(Vertx vertx, WebSocketClient ws, Target target, List<Couple> couples, int nodes, long... pids) {
    this.vertx = vertx;
    this.ws = ws;
    this.target = target;
    this.couples = couples;
    this.nodes = nodes;
    this.pids = pids;
  }

  JsonObject run(int[] steps, double perCouple, Duration warmup, Duration length, int p99LimitMs) throws Exception {
    JsonArray out = new JsonArray();
    int bestCouples = 0;
    int bestRate = 0;
    String stoppedBy = "all steps held";
    for (int n : steps) {
      if (n > couples.size()) {
        stoppedBy = "no more prepared couples (" + couples.size() + ")";
        break;
      }
      int rate = Math.max(1, (int) Math.round(n * perCouple));
      List<Couple> some = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Couple c = couples.get(i);
        some.add(new Couple(c.index, c.id, c.a, c.b));
      }
      Fanout load = new Fanout(vertx, target, some);
      long t = System.nanoTime();
      load.openSockets(ws, 64).await(600, TimeUnit.SECONDS);
      double openSeconds = (System.nanoTime() - t) / 1e9;
      if (!warmup.isZero()) load.run("capacity warm-up", rate, warmup, Duration.ofSeconds(30), pids[0]);
      long[] before = ticks();
      long windowStart = System.nanoTime();
      Window w = load.run(n + " couples", rate, length, Duration.ofSeconds(30), pids[0]);
      long[] after = ticks();
      long windowNanos = System.nanoTime() - windowStart;
      double cpu = 0;
      for (int k = 0; k < pids.length; k++) cpu += Proc.cpuPercent(before[k], after[k], windowNanos);
      Sock.SeqReport seq = load.seqReport();
      long p99 = w.delivery.getTotalCount() == 0 ? Long.MAX_VALUE : w.delivery.getValueAtPercentile(99);
      String why = null;
      if (w.lostA + w.lostB + w.duplicates.get() > 0 || seq.missing() + seq.duplicates() > 0) why = "events lost or duplicated";
      else if (w.putFailed.get() > 0) why = w.putFailed.get() + " shares refused " + w.failures;
      else if (w.achievedRate() < 0.95 * rate) why = "offered rate not reached";
      else if (p99 > p99LimitMs * 1000L) why = "p99 above " + p99LimitMs + " ms";
      boolean held = why == null;
      out.add(w.toJson().put("couples", n).put("sockets", 2 * n).put("socketsOpenSeconds", Window.round(openSeconds, 1))
          .put("serverCpuPercentAllNodes", Window.round(cpu, 1)).put("held", held).put("notHeldBecause", why)
          .put("seqMissing", seq.missing()).put("seqDuplicates", seq.duplicates()));
      BenchMain.log("capacity %s: %d couples at %d shares/s: p50 %s ms, p99 %s ms, server CPU %.0f%% (all nodes): %s", target.name(), n, rate,
          Report.fmt(Report.latency(w.delivery).getDouble("p50", -1.0)), Report.fmt(p99 == Long.MAX_VALUE ? -1 : p99 / 1000.0), cpu,
          held ? "held" : "not held, " + why);
      load.closeSockets().await(120, TimeUnit.SECONDS);
      if (!held) {
        stoppedBy = why;
        break;
      }
      bestCouples = n;
      bestRate = rate;
    }
    return new JsonObject().put("nodes", nodes).put("perCoupleSharesPerSecond", perCouple).put("p99LimitMs", p99LimitMs)
        .put("steps", out).put("couples", bestCouples).put("sharesPerSecond", bestRate).put("stoppedBy", stoppedBy);
  }

  private long[] ticks() {
    long[] t = new long[pids.length];
    for (int k = 0; k < pids.length; k++) t[k] = Proc.cpuTicks(pids[k]);
    return t;
  }
}
