package dev.lakehouse.reliability;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a scenario reads of the Flink ingest job from the REST API: the running job, its restarts, its exceptions. */
final class FlinkJob {
  private FlinkJob() {}

  /** The running Flink job (from the REST API's overview): jid, name, state, start-time. */
  static JsonNode running(Pipeline p) {
    return await("a running Flink job").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions().until(() -> {
          for (JsonNode j : Ingestion.get(p.endpoints.flink().url() + "/jobs/overview").path("jobs")) {
            if ("RUNNING".equals(j.path("state").asText())) {
              return j;
            }
          }
          return null;
        }, j -> j != null);
  }

  /** The job's restarts so far (Flink's {@code numRestarts} metric), or -1 when it cannot be read. */
  static long restarts(Pipeline p, String jid) {
    try {
      for (JsonNode m : Ingestion.get(p.endpoints.flink().url() + "/jobs/" + jid + "/metrics?get=numRestarts")) {
        return m.path("value").asLong(-1);
      }
    } catch (Exception e) {
      System.out.println("==== numRestarts of " + jid + " not read: " + e.getMessage());
    }
    return -1;
  }

  /** The exceptions in the job's history since {@code fromMillis}, as "name at time" (empty: none). */
  static String exceptionsSince(Pipeline p, String jid, long fromMillis) {
    try {
      List<String> out = new ArrayList<>();
      for (JsonNode e : Ingestion.get(p.endpoints.flink().url() + "/jobs/" + jid + "/exceptions?maxExceptions=20")
          .path("exceptionHistory").path("entries")) {
        if (e.path("timestamp").asLong() >= fromMillis) {
          String trace = e.path("stacktrace").asText();
          out.add(e.path("exceptionName").asText() + " at " + Instant.ofEpochMilli(e.path("timestamp").asLong()) + " ("
              + trace.substring(0, Math.min(300, trace.length())).replace('\n', ' ') + ")");
        }
      }
      return out.isEmpty() ? "no exception" : out.size() + " exception(s): " + String.join(" / ", out);
    } catch (Exception e) {
      return "exceptions not read: " + e.getMessage();
    }
  }
}
