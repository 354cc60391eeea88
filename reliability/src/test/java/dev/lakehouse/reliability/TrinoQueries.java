package dev.lakehouse.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.activities.trino.TrinoQuantities;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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
          (long) TrinoQuantities.bytes(stats.path("peakUserMemoryReservation").asText("0B")),
          TrinoQuantities.seconds(stats.path("elapsedTime").asText("0s")), q.path("errorCode").path("name").asText(""));
      seen.merge(id, now, (a, b) -> b.peakBytes() >= a.peakBytes() ? b : new Query(a.id(), a.firstLine(), b.state(),
          a.peakBytes(), b.elapsedSeconds(), b.error()));
    }
  }

  /** The queries seen, largest peak first. */
  synchronized List<Query> byPeak() {
    return seen.values().stream().sorted(Comparator.comparingLong(Query::peakBytes).reversed()).toList();
  }
}
