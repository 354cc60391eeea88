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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time and bytes read of the Trino queries created since an instant, from the coordinator's {@code /v1/query}.
 * Unlike wall time these hardly move with the load other processes put on the machine, and bytes read show
 * directly whether an incremental run skipped the old data files.
 */
final class TrinoQueryStats {
  private static final Pattern DURATION = Pattern.compile("([0-9.]+)\\s*(ns|us|ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("([0-9.]+)\\s*(B|kB|MB|GB|TB|PB)");

  record Totals(double cpuSeconds, double bytesRead, int queries) {}

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
    for (JsonNode q : all) {
      JsonNode s = q.path("queryStats");
      if (!Instant.parse(s.path("createTime").asText()).isBefore(from)) {
        cpu += seconds(s.path("totalCpuTime").asText("0s"));
        bytes += bytes(s.path("physicalInputDataSize").asText("0B"));
        n++;
      }
    }
    return new Totals(cpu, bytes, n);
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
