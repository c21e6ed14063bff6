package dev.bridgework.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Optional CPU profile of the server ({@code -Dbench.profile=true}): JDK Flight Recorder runs in the
 * server during the Bridgework load phases, and its execution samples are summed up by top frame,
 * by the first Bridgework frame on the stack, and by thread, into {@code target/bench/profile.txt}.
 */
final class Profile {
  private Profile() {}

  static void start(long pid, Path jfr) {
    Proc.jcmd(pid, "JFR.start", "name=bench", "settings=profile", "filename=" + jfr.toAbsolutePath());
  }

  static void stop(long pid, Path jfr) {
    Proc.jcmd(pid, "JFR.stop", "name=bench", "filename=" + jfr.toAbsolutePath());
  }

  static void summarize(Path jfr, Path out) throws IOException, InterruptedException {
    Path tool = Path.of(System.getProperty("java.home"), "bin", "jfr");
    Process p = new ProcessBuilder(tool.toString(), "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64",
        jfr.toAbsolutePath().toString()).redirectErrorStream(true).start();
    Map<String, Integer> top = new HashMap<>();
    Map<String, Integer> ours = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int samples = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      String thread = "?";
      List<String> stack = null;
      while ((line = r.readLine()) != null) {
        String t = line.trim();
        if (t.startsWith("sampledThread = ")) {
          int q = t.indexOf('"');
          int q2 = t.indexOf('"', q + 1);
          thread = q >= 0 && q2 > q ? t.substring(q + 1, q2).replaceAll("\\d+$", "#") : "?";
        } else if (t.startsWith("stackTrace = [")) {
          stack = new ArrayList<>();
        } else if (stack != null && t.equals("]")) {
          samples++;
          threads.merge(thread, 1, Integer::sum);
          if (!stack.isEmpty()) top.merge(stack.get(0), 1, Integer::sum);
          for (String frame : stack) {
            if (frame.startsWith("dev.bridgework.")) {
              ours.merge(frame, 1, Integer::sum);
              break;
            }
          }
          stack = null;
        } else if (stack != null && !t.equals("...")) {
          int cut = t.indexOf(" line:");
          stack.add(cut > 0 ? t.substring(0, cut) : t);
        }
      }
    }
    p.waitFor(120, TimeUnit.SECONDS);
    StringBuilder sb = new StringBuilder();
    sb.append("CPU samples (jdk.ExecutionSample) of the server during the Bridgework load phases: ").append(samples).append("\n");
    section(sb, "By thread", threads, samples, 15);
    section(sb, "Top frame (where the CPU is)", top, samples, 40);
    section(sb, "First Bridgework frame on the stack (which of our code paths, callees included)", ours, samples, 30);
    Files.writeString(out, sb);
  }

  private static void section(StringBuilder sb, String title, Map<String, Integer> counts, int total, int limit) {
    sb.append("\n").append(title).append(":\n");
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
        .forEach(e -> sb.append(String.format(Locale.ROOT, "%6d %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / Math.max(1, total), e.getKey())));
  }
}
