package dev.bridgework.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's results as targets (target / measured / met?) and as Markdown: one table of
 * targets for the whole run, then the details of each database ({@code empty}, {@code lived}) and
 * the capacity steps. Reads only what {@link BenchMain} recorded in {@code results.json}.
 */
final class Results {
  private static final String[] MODES = {"lived", "empty"};
  private final BenchConfig cfg;
  private final JsonObject all;
  private final List<String> problems;

  Results(BenchConfig cfg, JsonObject all, List<String> problems) {
    this.cfg = cfg;
    this.all = all;
    this.problems = problems;
  }

  private static String label(String mode) {
    return "lived".equals(mode) ? "lived-in" : "empty";
  }

  JsonArray targets() {
    JsonArray t = new JsonArray();
    JsonObject floor = all.getJsonObject("floor");
    double floorP50 = floor == null ? -1 : floor.getJsonObject("latencyMs").getDouble("p50", -1.0);
    for (String mode : MODES) {
      JsonObject r = all.getJsonObject(mode);
      if (r == null) continue;
      String db = ", " + label(mode);
      JsonObject lat = r.getJsonObject("latency");
      String load = cfg.couples() + " couples × " + cfg.rate() + "/s";
      if (lat != null) {
        JsonObject l = lat.getJsonObject("latencyMs");
        t.add(target("Share → partner p50 ÷ floor p50 (" + Report.fmt(l.getDouble("p50", -1.0)) + " ÷ " + Report.fmt(floorP50) + " ms), "
            + load + db, floorP50 > 0 ? l.getDouble("p50", -1.0) / floorP50 : -1, "×", "≤", 3));
        t.add(target("Share → partner p99, " + load + db, l.getDouble("p99", -1.0), "ms", "≤", 25));
        t.add(target("Lost + duplicated events (all windows, seq checked per couple)" + db, lostAndDuplicated(r), "", "≤", 0));
      }
      JsonObject tp = r.getJsonObject("throughput");
      if (tp != null) t.add(target("Shares/s held with p99 < " + cfg.p99LimitMs() + " ms" + db, tp.getInteger("bestRate"), "/s", "≥", 1000));
      JsonObject ops = r.getJsonObject("operations");
      if (ops != null) {
        for (String op : new String[] {"list", "withdrawal", "review note"}) {
          JsonObject o = ops.getJsonObject(op);
          if (o != null) t.add(target(capital(op) + " p99" + db, o.getJsonObject("latencyMs").getDouble("p99", -1.0), "ms", "≤", 25));
        }
      }
      JsonObject conn = r.getJsonObject("connections");
      if (conn != null) {
        t.add(target("Heap per idle socket (" + conn.getInteger("sockets") + " sockets)" + db, conn.getDouble("heapPerSocketKb"), "KiB", "≤", 20));
      }
      JsonObject cu = r.getJsonObject("catchup");
      if (cu != null) {
        t.add(target("Catch-up of " + cfg.catchupEvents() + " events over the socket (median resume → synced)" + db,
            cu.getLong("medianResumeToSyncedMs"), "ms", "≤", 200));
      }
      JsonObject st = r.getJsonObject("startup");
      if (st != null) t.add(target("Start-up to /health 200 (median)" + db, st.getLong("medianMs") / 1000.0, "s", "≤", 3));
    }
    return t;
  }

  private static long lostAndDuplicated(JsonObject r) {
    JsonObject lat = r.getJsonObject("latency");
    long n = lat.getLong("lostToPartner") + lat.getLong("lostToAuthorSockets") + lat.getLong("duplicates");
    JsonObject tp = r.getJsonObject("throughput");
    if (tp != null) {
      for (Object o : tp.getJsonArray("steps")) {
        JsonObject s = (JsonObject) o;
        n += s.getLong("lostToPartner") + s.getLong("lostToAuthorSockets") + s.getLong("duplicates");
      }
    }
    JsonObject seq = r.getJsonObject("coupleStreams");
    if (seq != null) n += seq.getLong("missing") + seq.getLong("duplicates");
    return n;
  }

  private static String capital(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static JsonObject target(String what, double value, String unit, String op, double limit) {
    boolean met = value >= 0 && ("≤".equals(op) ? value <= limit : value >= limit);
    return new JsonObject().put("what", what).put("value", Window.round(value, 2)).put("unit", unit)
        .put("target", op + " " + (limit == Math.rint(limit) ? Long.toString((long) limit) : Double.toString(limit)) + (unit.isEmpty() ? "" : " " + unit))
        .put("met", met);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    JsonObject m = all.getJsonObject("machine");
    md.append("## Bridgework benchmark").append(cfg.quick() ? " (quick smoke run: reduced sizes)" : "").append("\n\n");
    md.append(String.format(Locale.ROOT, "Machine: %s cores, %s, %s; Java %s; server `-Xmx%s`; run %s, %s s in all.%n%n",
        m.getInteger("cores"), m.getString("memory"), m.getString("cpu"), m.getString("java"), cfg.serverHeap(),
        all.getString("startedAt"), all.getValue("totalSeconds")));
    md.append("| What | Target | Measured | Met? |\n|---|---|---|---|\n");
    for (Object o : all.getJsonArray("targets")) {
      JsonObject t = (JsonObject) o;
      double v = t.getDouble("value");
      String value = v == Math.rint(v) && Math.abs(v) >= 10 || v == 0 ? String.format(Locale.ROOT, "%.0f", v) : Report.fmt(v);
      md.append("| ").append(t.getString("what")).append(" | ").append(t.getString("target")).append(" | ").append(value)
          .append(t.getString("unit").isEmpty() ? "" : " ").append(t.getString("unit")).append(" | ")
          .append(t.getBoolean("met") ? "met" : "**not met**").append(" |\n");
    }
    capacityLines(md);
    JsonObject floor = all.getJsonObject("floor");
    for (String mode : new String[] {"empty", "lived"}) {
      JsonObject r = all.getJsonObject(mode);
      if (r != null) new ModeReport(cfg, mode, r, floor).append(md);
    }
    if (!problems.isEmpty()) {
      md.append("\n**Problems:**\n\n");
      for (String p : problems) md.append("- ").append(p).append('\n');
    }
    md.append("\nCPU columns are % of one core over the sending window (the machine has ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, so 100% × cores is all of it); \"other processes\" is ")
        .append("what the rest of the machine used meanwhile (busy ticks from /proc/stat minus server and load generator).\n");
    return md.toString();
  }

  /** The capacity sentences and steps (lived-in database). */
  private void capacityLines(StringBuilder md) {
    JsonObject lived = all.getJsonObject("lived");
    if (lived == null) return;
    List<String> lines = new ArrayList<>();
    for (String key : new String[] {"capacity1", "capacity2"}) {
      JsonObject c = lived.getJsonObject(key);
      if (c == null) continue;
      String who = c.getInteger("nodes") == 1 ? "One 2-core node serves" : "Two clustered nodes on this 2-core machine (one shared embedded database) serve";
      if (c.getInteger("couples") == 0 && !c.getJsonArray("steps").isEmpty()) {
        // Not even the smallest step held: say what it measured rather than "0 couples".
        JsonObject first = c.getJsonArray("steps").getJsonObject(0);
        lines.add(String.format(Locale.ROOT, "**%s fewer than %,d couples at %s shares/s** with share → partner p99 ≤ %d ms: "
                + "that smallest step gave p99 %s ms (%s).", who, first.getInteger("couples"), Report.fmt(first.getDouble("achievedRate")),
            c.getInteger("p99LimitMs"), Report.fmt(first.getJsonObject("latencyMs").getDouble("p99", -1.0)), first.getString("notHeldBecause")));
        continue;
      }
      lines.add(String.format(Locale.ROOT, "**%s %,d couples at %,d shares/s** (share → partner p99 ≤ %d ms, nothing lost; each couple "
              + "sharing %s times a second; stopped by: %s).", who, c.getInteger("couples"), c.getInteger("sharesPerSecond"),
          c.getInteger("p99LimitMs"), Report.fmt(c.getDouble("perCoupleSharesPerSecond")), c.getString("stoppedBy")));
    }
    if (lines.isEmpty()) return;
    md.append("\n### Capacity (lived-in database)\n\n");
    lines.forEach(l -> md.append(l).append("\n\n"));
    md.append("| nodes | couples | sockets | offered /s | achieved /s | p50 | p99 | max | PUT p99 | lost | dup | failed | server CPU (all nodes) | held |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (String key : new String[] {"capacity1", "capacity2"}) {
      JsonObject c = lived.getJsonObject(key);
      if (c == null) continue;
      for (Object o : c.getJsonArray("steps")) {
        JsonObject s = (JsonObject) o;
        JsonObject l = s.getJsonObject("latencyMs");
        md.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %s | %s | %s | %s | %s | %d | %d | %d | %s%% | %s |%n", c.getInteger("nodes"),
            s.getInteger("couples"), s.getInteger("sockets"), s.getInteger("rate"), Report.fmt(s.getDouble("achievedRate")),
            Report.fmt(l.getDouble("p50", -1.0)), Report.fmt(l.getDouble("p99", -1.0)), Report.fmt(l.getDouble("max", -1.0)),
            Report.fmt(s.getJsonObject("putMs").getDouble("p99", -1.0)), s.getLong("lostToPartner"), s.getLong("duplicates"),
            s.getLong("putFailed", 0L), Report.fmt(s.getDouble("serverCpuPercentAllNodes")), s.getBoolean("held") ? "yes" : "no: " + s.getString("notHeldBecause")));
      }
    }
  }
}
