package dev.bridgework.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the kernel and the JDK tools tell about a process: CPU time, RSS, heap after GC. */
final class Proc {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  static final long CLOCK_TICKS = clockTicks();

  private Proc() {}

  /** utime + stime of a process in clock ticks ({@code /proc/<pid>/stat} fields 14 and 15). */
  static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The whole machine's busy and total ticks from the first line of {@code /proc/stat}. */
  static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) total += Long.parseLong(f[i]);
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }

  static long rssKb(long pid) {
    return statusField(pid, "VmRSS:");
  }

  static long threads(long pid) {
    return statusField(pid, "Threads:");
  }

  private static long statusField(long pid, String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(name)) return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Open-files soft limit of this process ({@code /proc/self/limits}). */
  static long openFilesLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) return Long.parseLong(line.substring(25).trim().split("\\s+")[0]);
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Heap in use after two full collections, in KiB ({@code jcmd GC.run}, then {@code GC.heap_info}). */
  static long heapUsedAfterGcKb(long pid) {
    jcmd(pid, "GC.run");
    jcmd(pid, "GC.run");
    for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
      if (line.contains("heap") && line.contains("used")) {
        Matcher m = HEAP_USED.matcher(line);
        if (m.find()) return Long.parseLong(m.group(1));
      }
    }
    return -1;
  }

  static String jcmd(long pid, String... command) {
    return run(prepend(List.of("jcmd", Long.toString(pid)), command), 120);
  }

  static String run(List<String> command, int timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) p.destroyForcibly();
      return new String(out);
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static List<String> prepend(List<String> head, String... tail) {
    List<String> all = new java.util.ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  private static long clockTicks() {
    try {
      return Long.parseLong(run(List.of("getconf", "CLK_TCK"), 10).trim());
    } catch (RuntimeException e) {
      return 100;
    }
  }

  /** CPU use between two tick readings over a wall-clock interval, in % of one core. */
  static double cpuPercent(long ticksBefore, long ticksAfter, long nanos) {
    if (ticksBefore < 0 || ticksAfter < 0 || nanos <= 0) return -1;
    return 100.0 * (ticksAfter - ticksBefore) / CLOCK_TICKS / (nanos / 1e9);
  }
}
