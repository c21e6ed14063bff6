package dev.bridgework.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The details of one database's run ({@code empty} or {@code lived}) in {@code results.md}. */
final class ModeReport {
  private final BenchConfig cfg;
  private final String mode;
  private final JsonObject r;
  private final JsonObject floor;

  ModeReport(BenchConfig cfg, String mode, JsonObject r, JsonObject floor) {
    this.cfg = cfg;
    this.mode = mode;
    this.r = r;
    this.floor = floor;
  }

  void append(StringBuilder md) {
    md.append("\n### ").append("lived".equals(mode) ? "Lived-in database" : "Empty database").append("\n");
    JsonObject set = r.getJsonObject("dataSet");
    if (set != null) {
      JsonObject spec = set.getJsonObject("spec");
      md.append(String.format(Locale.ROOT, "%nGenerated set (seed %d): %,d couples, %,d couple events, %,d shares, %,d private items, %,d self events; "
              + "generated in %s s%s; data directory %.1f MiB at the start of the run, %.1f MiB at its end.%n",
          spec.getLong("seed"), spec.getInteger("couples"), set.getLong("coupleEvents"), set.getLong("shares"), set.getLong("privateItems"),
          set.getLong("selfEvents"), set.getValue("generationSeconds"), set.getBoolean("reused", false) ? " (reused from the cache)" : "",
          r.getLong("dataDirBytesAtStart", 0L) / 1048576.0, r.getLong("dataDirBytesAtEnd", -1L) / 1048576.0));
    } else if (r.getValue("dataDirBytesAtEnd") != null) {
      md.append(String.format(Locale.ROOT, "%nData directory at the end of the run: %.1f MiB.%n", r.getLong("dataDirBytesAtEnd") / 1048576.0));
    }
    JsonObject ops = r.getJsonObject("operations");
    if (ops != null) {
      md.append("\nRequests on the measured couples (ms; 4 in flight):\n\n| request | n | p50 | p95 | p99 | max | failed |\n|---|---|---|---|---|---|---|\n");
      for (String name : ops.fieldNames()) {
        JsonObject o = ops.getJsonObject(name);
        JsonObject l = o.getJsonObject("latencyMs");
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %d |%n", name, l.getLong("count", 0L), Report.fmt(l.getDouble("p50", -1.0)),
            Report.fmt(l.getDouble("p95", -1.0)), Report.fmt(l.getDouble("p99", -1.0)), Report.fmt(l.getDouble("max", -1.0)), o.getInteger("failed")));
      }
    }
    JsonObject lat = r.getJsonObject("latency");
    JsonObject fl = floor;
    if (lat != null || fl != null) {
      md.append("\nShare → partner latency (ms), ").append(cfg.couples()).append(" couples (")
          .append(2 * cfg.couples()).append(" sockets), ").append(cfg.rate()).append(" shares/s for ")
          .append(cfg.measure().toSeconds()).append(" s after ").append(cfg.warmup().toSeconds()).append(" s warm-up:\n\n");
      md.append("| | n | p50 | p95 | p99 | max | PUT p50 | PUT p99 | lost | dup | server CPU | load gen CPU | other processes |\n");
      md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      if (lat != null) md.append(latencyRow("Bridgework", lat));
      if (fl != null) md.append(latencyRow("Floor (plain Vert.x)", fl));
      if (lat != null && fl != null) {
        JsonObject a = lat.getJsonObject("latencyMs");
        JsonObject b = fl.getJsonObject("latencyMs");
        md.append(String.format(Locale.ROOT, "| Bridgework ÷ floor | | %s× | %s× | %s× | | | | | | | | |%n",
            ratio(a, b, "p50"), ratio(a, b, "p95"), ratio(a, b, "p99")));
      }
    }
    JsonObject tp = r.getJsonObject("throughput");
    if (tp != null) {
      md.append("\nThroughput steps (").append(cfg.step().toSeconds()).append(" s each; stops after the first step with p99 ≥ ")
          .append(cfg.p99LimitMs()).append(" ms):\n\n");
      md.append("| offered /s | achieved /s | p50 | p99 | max | PUT p99 | lost | dup | server CPU | load gen CPU | other processes |\n");
      md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Object o : tp.getJsonArray("steps")) {
        JsonObject s = (JsonObject) o;
        JsonObject l = s.getJsonObject("latencyMs");
        md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %d | %d | %s%% | %s%% | %s%% |%n",
            s.getInteger("rate"), Report.fmt(s.getDouble("achievedRate")), Report.fmt(l.getDouble("p50", -1.0)),
            Report.fmt(l.getDouble("p99", -1.0)), Report.fmt(l.getDouble("max", -1.0)),
            Report.fmt(s.getJsonObject("putMs").getDouble("p99", -1.0)),
            s.getLong("lostToPartner"), s.getLong("duplicates"), Report.fmt(s.getDouble("serverCpuPercent")),
            Report.fmt(s.getDouble("loadGeneratorCpuPercent")), Report.fmt(s.getDouble("otherProcessesCpuPercent"))));
      }
    }
    JsonObject seq = r.getJsonObject("coupleStreams");
    if (seq != null) {
      md.append(String.format(Locale.ROOT, "%nCouple streams after all windows: %d seqs missing, %d duplicated, %d out of order, %d resets, "
              + "%d misrouted events, %d sockets closed by the server.%n",
          seq.getLong("missing"), seq.getLong("duplicates"), seq.getLong("outOfOrder"), seq.getInteger("resets"),
          seq.getLong("misroutedEvents"), seq.getInteger("socketsClosedByServer")));
    }
    JsonObject conn = r.getJsonObject("connections");
    if (conn != null) {
      md.append(String.format(Locale.ROOT, "%nIdle sockets: %d authenticated sockets (%d users) opened and synced in %.1f s; heap after GC "
              + "%d → %d KiB (%.2f KiB per socket); RSS %d → %d MiB; %d open files; %d still open after the measurement.%n",
          conn.getInteger("sockets"), conn.getInteger("users"), conn.getDouble("openSeconds"), conn.getLong("heapUsedBeforeKb"),
          conn.getLong("heapUsedAfterKb"), conn.getDouble("heapPerSocketKb"), conn.getLong("rssBeforeKb") / 1024,
          conn.getLong("rssAfterKb") / 1024, conn.getLong("openFilesAfter"), conn.getLong("stillOpen")));
    }
    JsonObject cu = r.getJsonObject("catchup");
    if (cu != null) {
      md.append("\nCatch-up (partner offline while ").append(cfg.catchupEvents()).append(" shares happen, then `resume`): ");
      List<String> parts = new ArrayList<>();
      for (Object o : cu.getJsonArray("rounds")) {
        JsonObject r = (JsonObject) o;
        parts.add(r.getLong("resumeToSyncedMs") + " ms (" + r.getInteger("received") + " events, "
            + (r.getBoolean("exactlyInOrder") ? "exact, in order" : "**WRONG**") + ")");
      }
      md.append(String.join("; ", parts)).append(".\n");
    }
    JsonObject st = r.getJsonObject("startup");
    if (st != null) {
      md.append("\nStart-up (process spawn → `/health` 200, " + ("lived".equals(mode) ? "on the lived-in data directory" : "fresh data directory") + "): ").append(st.getJsonArray("runsMs").encode())
          .append(" ms; RSS after start ").append(st.getLong("rssKbAfterStart") / 1024).append(" MiB.\n");
    }
    JsonObject setup = r.getJsonObject("setup");
    if (setup != null) {
      md.append(String.format(Locale.ROOT, "%nSetup: %d users registered in %.1f s (%.1f/s, Argon2id), %d couples paired in %.1f s.%n",
          setup.getInteger("users"), setup.getDouble("registerSeconds"), setup.getDouble("registrationsPerSecond"),
          setup.getInteger("couples"), setup.getDouble("pairSeconds")));
    }
  }

  static String latencyRow(String name, JsonObject w) {
    JsonObject l = w.getJsonObject("latencyMs");
    JsonObject p = w.getJsonObject("putMs");
    return String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %d | %d | %s%% | %s%% | %s%% |%n", name,
        l.getLong("count", 0L), Report.fmt(l.getDouble("p50", -1.0)), Report.fmt(l.getDouble("p95", -1.0)),
        Report.fmt(l.getDouble("p99", -1.0)), Report.fmt(l.getDouble("max", -1.0)),
        Report.fmt(p.getDouble("p50", -1.0)), Report.fmt(p.getDouble("p99", -1.0)),
        w.getLong("lostToPartner"), w.getLong("duplicates"), Report.fmt(w.getDouble("serverCpuPercent")),
        Report.fmt(w.getDouble("loadGeneratorCpuPercent")), Report.fmt(w.getDouble("otherProcessesCpuPercent")));
  }

  private static String ratio(JsonObject a, JsonObject b, String key) {
    double x = a.getDouble(key, -1.0);
    double y = b.getDouble(key, -1.0);
    return x < 0 || y <= 0 ? "n/a" : Report.fmt(x / y);
  }
  }
