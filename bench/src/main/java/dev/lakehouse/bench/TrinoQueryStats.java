package dev.lakehouse.bench;

import static dev.lakehouse.activities.trino.TrinoQuantities.bytes;
import static dev.lakehouse.activities.trino.TrinoQuantities.seconds;

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
import java.util.stream.Collectors;

/**
 * CPU time and bytes read of the Trino queries created since an instant, from the coordinator's {@code /v1/query}.
 * Unlike wall time these hardly move with the load other processes put on the machine, and bytes read show
 * directly whether an incremental run skipped the old data files.
 */
final class TrinoQueryStats {
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
}
