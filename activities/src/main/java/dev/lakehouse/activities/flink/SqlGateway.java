package dev.lakehouse.activities.flink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.activities.Heartbeats;
import dev.lakehouse.activities.JsonHttp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Flink SQL Gateway REST API (v1). Every statement's result is fetched to the end, because a failed
 * statement often reports nothing until its result is fetched (then HTTP 500 with the cause).
 */
final class SqlGateway {
  /** A statement the gateway rejected: {@code message} is the root cause from Flink's trace. */
  static final class StatementException extends Exception {
    final String statement;

    StatementException(String statement, String message) {
      super(message);
      this.statement = statement;
    }
  }

  /** A statement's outcome: the job it submitted (INSERT / STATEMENT SET), if any, and its rows. */
  record Result(String jobId, List<JsonNode> rows) {}

  private final FlinkRest rest;

  SqlGateway(String baseUrl) {
    this.rest = new FlinkRest(baseUrl);
  }

  String baseUrl() {
    return rest.baseUrl();
  }

  String openSession(String name) throws IOException, InterruptedException {
    JsonHttp.Response r = rest.send("POST", "/v1/sessions", Map.of("sessionName", name));
    if (!r.ok()) {
      throw new IOException("SQL Gateway answered " + r.status() + " to open a session: "
          + FlinkRest.errorMessage(r.body(), r.text()));
    }
    return r.body().path("sessionHandle").asText();
  }

  /** Closing a session does NOT cancel the jobs it submitted (they belong to the cluster). */
  void closeSession(String session) {
    try {
      rest.send("DELETE", "/v1/sessions/" + session, null);
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // the gateway expires idle sessions by itself
    }
  }

  Result execute(String session, String statement) throws IOException, InterruptedException, StatementException {
    JsonHttp.Response submitted = rest.send("POST", "/v1/sessions/" + session + "/statements",
        Map.of("statement", statement));
    if (!submitted.ok()) {
      throw failure(statement, submitted);
    }
    String operation = submitted.body().path("operationHandle").asText();
    String next = "/v1/sessions/" + session + "/operations/" + operation + "/result/0";
    String jobId = null;
    List<JsonNode> rows = new ArrayList<>();
    while (next != null) {
      JsonHttp.Response r = rest.get(next);
      if (!r.ok()) {
        throw failure(statement, r);
      }
      JsonNode body = r.body();
      if (body.hasNonNull("jobID")) {
        jobId = body.get("jobID").asText();
      }
      String type = body.path("resultType").asText();
      if ("NOT_READY".equals(type)) {
        Heartbeats.beat("waiting for the SQL Gateway");
        Thread.sleep(200);
        continue; // same token again
      }
      body.path("results").path("data").forEach(rows::add);
      next = "EOS".equals(type) || !body.hasNonNull("nextResultUri") ? null : body.get("nextResultUri").asText();
    }
    if (jobId == null && !rows.isEmpty() && rows.get(0).path("fields").size() == 1
        && rows.get(0).path("fields").get(0).asText().matches("[0-9a-f]{32}")) {
      jobId = rows.get(0).path("fields").get(0).asText(); // older gateways: the job id as the only row
    }
    return new Result(jobId, rows);
  }

  private static StatementException failure(String statement, JsonHttp.Response r) {
    return new StatementException(statement, FlinkRest.errorMessage(r.body(), "HTTP " + r.status() + ": " + r.text()));
  }
}
