package dev.lakehouse.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What Trino says of the queries it ran (its REST API, {@code /v1/query}): the peak memory and the time of each
 * statement, so a test can say how close a model's MERGE came to the per-node memory limit. Trino keeps only its
 * latest queries: {@link #poll} often enough, and the largest peak of each query seen is kept.
 */
final class TrinoQueries {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One statement: its first line, state, peak user memory (bytes), elapsed time (s), error name or "". */
  record Query(String id, String firstLine, String state, long peakBytes, double elapsedSeconds, String error) {}

  private final String url;
  private final String user;
  private final Map<String, Query> seen = new LinkedHashMap<>();

  TrinoQueries(String url, String user) {
    this.url = url;
    this.user = user;
  }

  /** Reads Trino's query list once and keeps the statements whose text contains {@code marker}. */
  synchronized void poll(String marker) {
    JsonNode all;
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/query"))
          .header("X-Trino-User", user).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return;
      }
      all = JSON.readTree(r.body());
    } catch (Exception e) {
      return; // a measurement, not a check: a poll missed is no failure
    }
    for (JsonNode q : all) {
      String text = q.path("query").asText("");
      if (!text.contains(marker)) {
        continue;
      }
      JsonNode stats = q.path("queryStats");
      String id = q.path("queryId").asText();
      Query now = new Query(id, text.lines().findFirst().orElse("").trim(), q.path("state").asText(),
          bytes(stats.path("peakUserMemoryReservation").asText("0B")),
          seconds(stats.path("elapsedTime").asText("0s")), q.path("errorCode").path("name").asText(""));
      seen.merge(id, now, (a, b) -> b.peakBytes() >= a.peakBytes() ? b : new Query(a.id(), a.firstLine(), b.state(),
          a.peakBytes(), b.elapsedSeconds(), b.error()));
    }
  }

  /** The queries seen, largest peak first. */
  synchronized List<Query> byPeak() {
    return seen.values().stream().sorted(Comparator.comparingLong(Query::peakBytes).reversed()).toList();
  }

  /** Airlift's DataSize text ({@code 12.5MB}, {@code 512B}) as bytes. */
  static long bytes(String size) {
    return (long) (number(size) * switch (unit(size).toUpperCase(Locale.ROOT)) {
      case "KB" -> 1L << 10;
      case "MB" -> 1L << 20;
      case "GB" -> 1L << 30;
      case "TB" -> 1L << 40;
      default -> 1;
    });
  }

  /** Airlift's Duration text ({@code 1.50m}, {@code 250.00ms}) as seconds. */
  static double seconds(String duration) {
    return number(duration) * switch (unit(duration)) {
      case "ns" -> 1e-9;
      case "us" -> 1e-6;
      case "ms" -> 1e-3;
      case "m" -> 60;
      case "h" -> 3600;
      case "d" -> 86400;
      default -> 1;
    };
  }

  /** The leading number of a quantity's text, 0 when there is none. */
  private static double number(String quantity) {
    String s = quantity.trim();
    int end = digits(s);
    return end == 0 ? 0 : Double.parseDouble(s.substring(0, end));
  }

  /** What follows the number. */
  private static String unit(String quantity) {
    String s = quantity.trim();
    return s.substring(digits(s)).trim();
  }

  private static int digits(String s) {
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
      i++;
    }
    return i;
  }
}
