package dev.lakehouse.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * When ingestion really works again after a fault, read from the services' REST APIs: the connector's task
 * RUNNING (Connect's health check passes before the task is back), and a Flink checkpoint completed after a
 * given time (a killed TaskManager stays listed until its heartbeat times out).
 */
final class Ingestion {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Ingestion() {}

  static JsonNode get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** True when the connector and all its tasks are RUNNING. */
  static boolean connectorRunning(Pipeline p) throws Exception {
    JsonNode s = get(p.endpoints.connect().url() + "/connectors/" + p.spec.source().connector() + "/status");
    if (!"RUNNING".equals(s.path("connector").path("state").asText()) || s.path("tasks").isEmpty()) {
      return false;
    }
    for (JsonNode t : s.path("tasks")) {
      if (!"RUNNING".equals(t.path("state").asText())) {
        return false;
      }
    }
    return true;
  }

  /** True when a RUNNING Flink job completed a checkpoint that was triggered after {@code afterMillis}. */
  static boolean checkpointedSince(Pipeline p, long afterMillis) throws Exception {
    for (JsonNode job : get(p.endpoints.flink().url() + "/jobs/overview").path("jobs")) {
      if (!"RUNNING".equals(job.path("state").asText())) {
        continue;
      }
      JsonNode latest = get(p.endpoints.flink().url() + "/jobs/" + job.path("jid").asText() + "/checkpoints")
          .path("latest").path("completed");
      if (!latest.isMissingNode() && !latest.isNull() && latest.path("trigger_timestamp").asLong() > afterMillis) {
        return true;
      }
    }
    return false;
  }
}
