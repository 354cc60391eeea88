package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Flink session cluster + SQL Gateway: a streaming datagen -> blackhole INSERT reaches RUNNING. */
@ExtendWith(LakehouseStackExtension.class)
class FlinkIT {

  @Test
  void streamingInsertThroughSqlGatewayRuns(Endpoints e) throws Exception {
    Its.requires("flink");
    String gateway = e.flink().sqlGatewayUrl() + "/v1/sessions";
    String session = Its.json("POST", gateway, "{}").get("sessionHandle").asText();
    String jobId = null;
    try {
      statement(gateway, session, "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', "
          + "'rows-per-second' = '5')");
      statement(gateway, session, "CREATE TABLE snk (id BIGINT) WITH ('connector' = 'blackhole')");
      JsonNode result = statement(gateway, session, "INSERT INTO snk SELECT id FROM src");
      jobId = result.at("/results/data/0/fields/0").asText();
      assertThat(jobId).as("job id in " + result).matches("[0-9a-f]{32}");

      String state = "";
      long deadline = System.currentTimeMillis() + 60_000;
      while (!state.equals("RUNNING") && System.currentTimeMillis() < deadline) {
        for (JsonNode job : Its.json("GET", e.flink().url() + "/jobs/overview", null).get("jobs")) {
          if (job.get("jid").asText().equals(jobId)) {
            state = job.get("state").asText();
          }
        }
        if (state.equals("FAILED")) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(state).as("job " + jobId + " in /jobs/overview").isEqualTo("RUNNING");
    } finally {
      if (jobId != null) { // closing the session does not cancel its jobs
        Its.send("PATCH", e.flink().url() + "/jobs/" + jobId + "?mode=cancel", null);
      }
      Its.send("DELETE", gateway + "/" + session, null);
    }
  }

  /** Submits a statement and fetches its first result (a failed statement reports only on fetch). */
  private static JsonNode statement(String gateway, String session, String sql) throws Exception {
    String op = Its.json("POST", gateway + "/" + session + "/statements", Its.body(Map.of("statement", sql)))
        .get("operationHandle").asText();
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      var r = Its.send("GET", gateway + "/" + session + "/operations/" + op + "/result/0", null);
      if (r.statusCode() != 200) {
        throw new AssertionError(sql + " failed: " + r.body());
      }
      JsonNode result = Its.JSON.readTree(r.body());
      if (!"NOT_READY".equals(result.get("resultType").asText())) {
        return result;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(sql + ": no result in 60 s");
  }
}
