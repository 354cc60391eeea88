package dev.lakehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.spec.Endpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * CPU time and bytes read of the Trino queries created since an instant, from the coordinator's {@code /v1/query}.
 * Unlike wall time these hardly move with the load other processes put on the machine, and bytes read show
 * directly whether an incremental run skipped the old data files.
 */
final class TrinoQueryStats {
  private static final Pattern DURATION = Pattern.compile("([0-9.]+)\\s*(ns|us|ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("([0-9.]+)\\s*(B|kB|MB|GB|TB|PB)");

  /**
   * The queries' totals, and per statement kind (the first word: SELECT for a plan, MERGE, INSERT for a record)
   * how many there were and their elapsed time (queued + planning + running + commit) and CPU time: where a run's
   * wall time goes.
   */
  record Totals(double cpuSeconds, double bytesRead, int queries, Map<String, Kind> byKind) {
    /** {@code SELECT 7 (4.1 s elapsed, 0.12 s CPU), MERGE 4 (...)} */
    String kinds() {
      return byKind.entrySet().stream().map(e -> String.format("%s %d (%.1f s elapsed, %.2f s CPU)", e.getKey(),
          e.getValue().queries(), e.getValue().elapsedS(), e.getValue().cpuS())).collect(Collectors.joining(", "));
    }
  }

  /** Statements of one kind: count, elapsed and CPU seconds in all. */
  record Kind(int queries, double elapsedS, double cpuS) {
    Kind plus(Kind o) {
      return new Kind(queries + o.queries, elapsedS + o.elapsedS, cpuS + o.cpuS);
    }
  }

  private final Endpoints e;
  private final HttpClient http = HttpClient.newHttpClient();

  TrinoQueryStats(Endpoints e) {
    this.e = e;
  }

  Totals since(Instant from) throws IOException, InterruptedException {
    JsonNode all = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
        URI.create(e.trino().url() + "/v1/query")).header("X-Trino-User", e.trino().user()).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    double cpu = 0;
    double bytes = 0;
    int n = 0;
    Map<String, Kind> kinds = new TreeMap<>();
    for (JsonNode q : all) {
      JsonNode s = q.path("queryStats");
      if (!Instant.parse(s.path("createTime").asText()).isBefore(from)) {
        double queryCpu = seconds(s.path("totalCpuTime").asText("0s"));
        cpu += queryCpu;
        bytes += bytes(s.path("physicalInputDataSize").asText("0B"));
        n++;
        kinds.merge(kind(q.path("query").asText("")), new Kind(1, seconds(s.path("elapsedTime").asText("0s")),
            queryCpu), Kind::plus);
      }
    }
    return new Totals(cpu, bytes, n, kinds);
  }

  /** The statement's first word, upper case ({@code SELECT}, {@code MERGE}, {@code INSERT}). */
  static String kind(String sql) {
    String t = sql.strip();
    int end = 0;
    while (end < t.length() && Character.isLetter(t.charAt(end))) {
      end++;
    }
    return end == 0 ? "OTHER" : t.substring(0, end).toUpperCase(java.util.Locale.ROOT);
  }

  /** airlift Duration text ("1.50s", "250.00ms", "2.00m") in seconds. */
  static double seconds(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return 0;
    }
    double v = Double.parseDouble(m.group(1));
    return v * switch (m.group(2)) {
      case "ns" -> 1e-9;
      case "us" -> 1e-6;
      case "ms" -> 1e-3;
      case "s" -> 1;
      case "m" -> 60;
      case "h" -> 3600;
      default -> 86400;
    };
  }

  /** airlift DataSize text ("0B", "12.5kB", "1.20MB") in bytes (powers of 1024, as airlift). */
  static double bytes(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      return 0;
    }
    int power = switch (m.group(2)) {
      case "B" -> 0;
      case "kB" -> 1;
      case "MB" -> 2;
      case "GB" -> 3;
      case "TB" -> 4;
      default -> 5;
    };
    return Double.parseDouble(m.group(1)) * Math.pow(1024, power);
  }
}
