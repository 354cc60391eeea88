package dev.lakehouse.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Process helpers on Linux: signals to process groups, /proc reads, RSS of a process tree. */
public final class Procs {
  private Procs() {}

  public static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
  }

  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      int i = stat.lastIndexOf(')');
      return i > 0 && stat.length() > i + 2 && stat.charAt(i + 2) == 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  /** The process's command line with NULs as spaces, or "" if gone. */
  public static String cmdline(long pid) {
    try {
      byte[] b = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
      return new String(b, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  /** Sends a signal to the process group led by pid (our children are group leaders via setsid). */
  public static void signalGroup(long pid, String signal) {
    run("kill", "-" + signal, "--", "-" + pid);
  }

  public static void signal(long pid, String signal) {
    run("kill", "-" + signal, String.valueOf(pid));
  }

  private static void run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until pid is gone; true if it died within the timeout. */
  public static boolean awaitDeath(long pid, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (alive(pid)) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      sleep(100);
    }
    return true;
  }

  /** Resident set size in bytes of pid and all its descendants (from /proc/<pid>/status VmRSS). */
  public static long treeRss(long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty()) {
      return 0;
    }
    List<Long> pids = new ArrayList<>();
    pids.add(pid);
    h.get().descendants().forEach(d -> pids.add(d.pid()));
    long total = 0;
    for (long p : pids) {
      total += rss(p);
    }
    return total;
  }

  static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }

  public static String human(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format("%.2f GiB", bytes / (double) (1L << 30));
    }
    return String.format("%d MiB", bytes >> 20);
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
