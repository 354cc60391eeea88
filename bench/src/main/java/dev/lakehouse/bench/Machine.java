package dev.lakehouse.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** What the figures were measured on: cores, memory, Java, component versions, and the load right now. */
public record Machine(int cores, double memoryGib, String java, Map<String, String> versions) {

  public static Machine current() {
    return new Machine(Runtime.getRuntime().availableProcessors(), memTotalGib(), System.getProperty("java.vm.name")
        + " " + System.getProperty("java.runtime.version"), pinnedVersions());
  }

  /**
   * The 1/5/15-minute load averages of /proc/loadavg. On a machine shared with other work they say how much
   * of the 2 cores the stack really had while a figure was taken, so every figure carries them.
   */
  public static double[] loadAverage() {
    try {
      // not Files.readString: on JDK 17 it reads only part of a /proc file (docs/local-stack.md, "Traps found")
      String[] f = Files.readAllLines(Path.of("/proc/loadavg")).get(0).trim().split("\\s+");
      return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
  }

  static double memTotalGib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / (1024.0 * 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return Double.NaN;
  }

  /** The versions pinned in the root pom (bench-versions.properties, filled in by the build). */
  static Map<String, String> pinnedVersions() {
    Properties p = new Properties();
    try (InputStream in = Machine.class.getResourceAsStream("/bench-versions.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : List.of("project", "postgresql", "kafka", "debezium", "flink", "iceberg", "trino", "temporal-sdk",
        "temporal-cli")) {
      m.put(k, p.getProperty(k, "?"));
    }
    return m;
  }
}
