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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
   * how many there were, their elapsed time (queued + planning + running + commit), CPU time and bytes read: where
   * a run's wall time goes; and each query, to name the statement whose cost grows with the history.
   */
  record Totals(double cpuSeconds, double bytesRead, int queries, Map<String, Kind> byKind, List<Query> each) {
    /** {@code SELECT 7 (4.1 s elapsed, 0.12 s CPU, 0.3 MiB read), MERGE 4 (...)} */
    String kinds() {
      return byKind.entrySet().stream().map(e -> String.format("%s %d (%.1f s elapsed, %.2f s CPU, %.1f MiB read)",
          e.getKey(), e.getValue().queries(), e.getValue().elapsedS(), e.getValue().cpuS(), e.getValue().readMib()))
          .collect(Collectors.joining(", "));
    }

    /** The {@code n} queries with the most Trino CPU, most first: {@code [0.41 s CPU, 12.0 MiB: MERGE INTO ...]}. */
    String heaviest(int n) {
      return each.stream().sorted(Comparator.comparingDouble(Query::cpuS).reversed()).limit(n)
          .map(q -> String.format("[%.2f s CPU, %.1f MiB: %s]", q.cpuS(), q.readMib(), q.label()))
          .collect(Collectors.joining(" "));
    }
  }

  /** Statements of one kind: count, elapsed and CPU seconds and MiB read in all. */
  public record Kind(int queries, double elapsedS, double cpuS, double readMib) {
    Kind plus(Kind o) {
      return new Kind(queries + o.queries, elapsedS + o.elapsedS, cpuS + o.cpuS, readMib + o.readMib);
    }
  }

  /** One query: the start of its text ({@link #label}), elapsed and CPU seconds, MiB read. */
  record Query(String label, double elapsedS, double cpuS, double readMib) {}

  /** Characters of a query's text kept as its label: enough for {@code MERGE INTO <table> t USING}. */
  static final int LABEL_CHARS = 90;

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
    List<Query> each = new ArrayList<>();
    for (JsonNode q : all) {
      JsonNode s = q.path("queryStats");
      if (!Instant.parse(s.path("createTime").asText()).isBefore(from)) {
        double queryCpu = seconds(s.path("totalCpuTime").asText("0s"));
        double queryBytes = bytes(s.path("physicalInputDataSize").asText("0B"));
        double elapsed = seconds(s.path("elapsedTime").asText("0s"));
        cpu += queryCpu;
        bytes += queryBytes;
        n++;
        String text = q.path("query").asText("");
        double mib = queryBytes / (1024 * 1024);
        kinds.merge(kind(text), new Kind(1, elapsed, queryCpu, mib), Kind::plus);
        each.add(new Query(label(text), elapsed, queryCpu, mib));
      }
    }
    return new Totals(cpu, bytes, n, kinds, each);
  }

  /** The query's text on one line (whitespace runs as one space), cut to {@link #LABEL_CHARS}. */
  static String label(String sql) {
    String one = sql.strip().replaceAll("\\s+", " ");
    return one.length() <= LABEL_CHARS ? one : one.substring(0, LABEL_CHARS) + "...";
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
