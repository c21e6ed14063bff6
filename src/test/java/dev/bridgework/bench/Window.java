package dev.bridgework.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One measured stretch of open-loop load at a fixed share rate: the share → partner latency and the
 * PUT's own response time (both in microseconds), what was sent, delivered, lost or duplicated,
 * and the CPU each process used while shares were being sent.
 */
final class Window {
  static final long MAX_MICROS = 120_000_000L;

  /** One share in flight: who sent it when, and how often each partner's socket got it. */
  static final class Sent {
    final Couple couple;
    final Window window;
    final long sentNanos;
    volatile int status;
    volatile long deliveredNanos;
    final AtomicInteger toA = new AtomicInteger();
    final AtomicInteger toB = new AtomicInteger();

    Sent(Couple couple, Window window, long sentNanos) {
      this.couple = couple;
      this.window = window;
      this.sentNanos = sentNanos;
    }
  }

  final String target;
  final String name;
  final int rate;
  final int couples;
  final Histogram delivery = new ConcurrentHistogram(MAX_MICROS, 3);
  final Histogram put = new ConcurrentHistogram(MAX_MICROS, 3);
  final Queue<Sent> all = new ConcurrentLinkedQueue<>();
  final AtomicLong sent = new AtomicLong();
  final AtomicLong putOk = new AtomicLong();
  final AtomicLong putFailed = new AtomicLong();
  final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
  final AtomicLong duplicates = new AtomicLong();
  long startNanos;
  long sendEndNanos;
  long drainedNanos;
  double serverCpu = -1;
  double loadCpu = -1;
  double machineBusy = -1;
  long lostB;
  long lostA;
  long late;
  boolean drained;

  Window(String target, String name, int rate, int couples) {
    this.target = target;
    this.name = name;
    this.rate = rate;
    this.couples = couples;
  }

  static void record(Histogram h, long nanos) {
    h.recordValue(Math.max(1, Math.min(MAX_MICROS, nanos / 1000)));
  }

  /** Shares whose PUT succeeded but which some partner's socket has not received yet. */
  long undelivered() {
    long n = 0;
    for (Sent s : all) {
      if (s.status / 100 == 2 && (s.toA.get() == 0 || s.toB.get() == 0)) n++;
    }
    return n;
  }

  /** Shares whose PUT has not answered yet. */
  long unanswered() {
    long n = 0;
    for (Sent s : all) if (s.status == 0) n++;
    return n;
  }

  void countLosses() {
    lostA = 0;
    lostB = 0;
    late = 0;
    for (Sent s : all) {
      if (s.deliveredNanos > drainedNanos) late++;
      if (s.status / 100 != 2) continue;
      if (s.toB.get() == 0) lostB++;
      if (s.toA.get() == 0) lostA++;
    }
  }

  double achievedRate() {
    double seconds = (sendEndNanos - startNanos) / 1e9;
    return seconds <= 0 ? 0 : sent.get() / seconds;
  }

  JsonObject toJson() {
    JsonObject f = new JsonObject();
    failures.forEach((k, v) -> f.put(k, v.get()));
    return new JsonObject()
        .put("target", target).put("window", name).put("couples", couples)
        .put("rate", rate).put("achievedRate", round(achievedRate(), 1))
        .put("seconds", round((sendEndNanos - startNanos) / 1e9, 2))
        .put("sent", sent.get()).put("putOk", putOk.get()).put("putFailed", putFailed.get()).put("putFailures", f)
        .put("lostToPartner", lostB).put("lostToAuthorSockets", lostA).put("duplicates", duplicates.get()).put("lateAfterDrain", late)
        .put("drained", drained)
        .put("latencyMs", Report.latency(delivery)).put("putMs", Report.latency(put))
        .put("serverCpuPercent", round(serverCpu, 1)).put("loadGeneratorCpuPercent", round(loadCpu, 1))
        .put("machineBusyPercent", round(machineBusy, 1))
        .put("otherProcessesCpuPercent", machineBusy < 0 ? -1 : round(Math.max(0, machineBusy - serverCpu - loadCpu), 1));
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
