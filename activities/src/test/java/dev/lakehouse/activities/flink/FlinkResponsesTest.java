package dev.lakehouse.activities.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.activities.JsonHttp;
import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing of Flink REST answers (shapes as served by Flink 2.0's JobManager and SQL Gateway). */
class FlinkResponsesTest {
  @Test
  void errorMessageIsTheDeepestCause() {
    String body = """
        {"errors":["Internal server error.","<Exception on server side:\\norg.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults.\\n\\tat x\\nCaused by: org.apache.flink.table.api.ValidationException: SQL validation failed.\\nCaused by: org.apache.calcite.sql.validate.SqlValidatorException: Object 'nope' not found within 'iceberg.raw_data'\\n\\tat y\\n>"]}
        """;
    assertThat(FlinkRest.errorMessage(JsonHttp.parse(body), "fallback"))
        .isEqualTo("org.apache.calcite.sql.validate.SqlValidatorException: Object 'nope' not found within 'iceberg.raw_data'");
  }

  @Test
  void errorMessageFallsBack() {
    assertThat(FlinkRest.errorMessage(JsonHttp.parse("not json"), "HTTP 502")).isEqualTo("HTTP 502");
    assertThat(FlinkRest.errorMessage(JsonHttp.parse("{\"errors\":[\"Internal server error.\",\"job not found\"]}"), "x"))
        .isEqualTo("job not found");
  }

  @Test
  void latestCompletedCheckpointWithRetainedPath() {
    var c = JobManager.parseLatestCheckpoint(JsonHttp.parse("""
        {"counts":{"completed":3},"latest":{"completed":{"id":3,"latest_ack_timestamp":1700000000000,
          "external_path":"file:/state/checkpoints/abc/chk-3","discarded":false},"failed":null,"restored":null}}
        """)).orElseThrow();
    assertThat(c.id()).isEqualTo(3);
    assertThat(c.ackTimestamp()).isEqualTo(1700000000000L);
    assertThat(c.externalPath()).isEqualTo("file:/state/checkpoints/abc/chk-3");
  }

  @Test
  void checkpointWithoutDirectoryHasNoPathAndNoCheckpointIsEmpty() {
    var c = JobManager.parseLatestCheckpoint(JsonHttp.parse("""
        {"latest":{"completed":{"id":1,"latest_ack_timestamp":5,"external_path":"<checkpoint-not-externally-addressable>"}}}
        """)).orElseThrow();
    assertThat(c.externalPath()).isNull();
    assertThat(JobManager.parseLatestCheckpoint(JsonHttp.parse("{\"latest\":{\"completed\":null}}"))).isEmpty();
  }

  @Test
  void theCheckpointStatisticsCacheLivesAsLongAsTheClusterSays() {
    assertThat(JobManager.statsCacheMillis(JsonHttp.parse("[{\"key\":\"rest.port\",\"value\":\"8081\"}]")))
        .isEqualTo(JobManager.DEFAULT_STATS_CACHE_MILLIS);
    assertThat(JobManager.statsCacheMillis(JsonHttp.parse("""
        [{"key":"web.refresh-interval","value":"10000"}]
        """))).isEqualTo(10_000);
    assertThat(JobManager.statsCacheMillis(JsonHttp.parse("""
        [{"key":"web.refresh-interval","value":"10 s"},{"key":"rest.cache.checkpoint-statistics.timeout","value":"1 min"}]
        """))).isEqualTo(60_000);
    assertThat(JobManager.durationMillis("500ms")).isEqualTo(500);
    assertThat(JobManager.durationMillis(" 3 s")).isEqualTo(3000);
    assertThat(JobManager.durationMillis("2 h")).isEqualTo(7_200_000);
    assertThat(JobManager.durationMillis("soon")).isEqualTo(-1);
    assertThat(JobManager.durationMillis("3 fortnights")).isEqualTo(-1);
  }

  @Test
  void rejectedSqlIsNotRetriedButAnUnreachableCatalogIs() {
    ApplicationFailure sql = FlinkActivitiesImpl.statementFailure(new SqlGateway.StatementException(
        "INSERT INTO x", "org.apache.calcite.sql.validate.SqlValidatorException: Object 'x' not found"));
    assertThat(sql.isNonRetryable()).isTrue();
    assertThat(sql.getType()).isEqualTo(FailureTypes.SQL);
    assertThat(sql.getOriginalMessage()).contains("flink:ingest", "Object 'x' not found");

    ApplicationFailure down = FlinkActivitiesImpl.statementFailure(new SqlGateway.StatementException(
        "CREATE CATALOG", "java.net.ConnectException: Connection refused"));
    assertThat(down.isNonRetryable()).isFalse();
    assertThat(down.getType()).isEqualTo(FailureTypes.TRANSIENT);
  }

  @Test
  void aRejectedKafkaTableReportsNoPassword() {
    PipelineSpec sasl = SpecLoader.load(Map.of("lakehouse.security.kafka.protocol", "SASL_PLAINTEXT",
        "lakehouse.security.kafka.username", "ingest", "lakehouse.security.kafka.password", "flink-secret-3"));
    String ddl = IngestSql.statements(sasl, Optional.empty()).stream().filter(s -> s.contains("'connector' = 'kafka'"))
        .findFirst().orElseThrow();
    assertThat(ddl).contains("flink-secret-3");
    // a message that quotes the statement, as a parser error can
    SqlGateway.StatementException quoting = new SqlGateway.StatementException(ddl,
        "SqlParseException: Encountered \"x\" in " + ddl);
    ApplicationFailure f = FlinkActivitiesImpl.statementFailure(
        FlinkActivitiesImpl.redacted(quoting, sasl.security().kafka()));
    assertThat(f.getOriginalMessage()).contains("SqlParseException", "password=\"***\"")
        .doesNotContain("flink-secret-3");
  }
}
