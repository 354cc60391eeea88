package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSeverity;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Trino failures Temporal retries. */
class TrinoErrorsTest {
  @Test
  void userErrorsAreNotRetried() {
    ApplicationFailure f = TrinoErrors.of("data_vault.s_users", "materialize",
        new SQLException("Query failed (#1): line 1:8: Table 'x' does not exist", "42000", 46));
    assertThat(f.getType()).isEqualTo(FailureTypes.SQL);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).startsWith("data_vault.s_users: materialize failed: Query failed")
        .contains("lakehouse models sql data_vault.s_users");
  }

  @Test
  void aRejectedWriteOfCheckResultsSaysItIsOursNotTheModels() {
    CheckRecord record = new CheckRecord("materializer-run-7", false, List.of(new AssetCheckReport("data_vault.h_users",
        List.of(new AssetCheckResult("data_vault.h_users", "unique id", CheckKind.UNIQUE, CheckSeverity.ERROR, true, 0,
            List.of(), null)))));
    ApplicationFailure f = AssetCheckActivitiesImpl.recordFailed(record, new SQLException(
        "Query failed (#3): line 1:13: Insert column name does not exist: full_table", "42000", 47));
    assertThat(f.getType()).isEqualTo(FailureTypes.SQL);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage())
        .startsWith("materializer-run-7: writing 1 check results to iceberg.ops.asset_checks failed: Query failed")
        .contains("Trino rejected our INSERT of the run's check results, not a model's SQL")
        .contains("SHOW CREATE TABLE iceberg.ops.asset_checks lacks one of (asset, check_name, kind,")
        .doesNotContain("fix the model SQL").doesNotContain("lakehouse models sql");
    // Trino unreachable while writing: retried, and still says what was being written
    ApplicationFailure down = AssetCheckActivitiesImpl.recordFailed(record,
        new SQLException("Error executing query: Failed to connect", new ConnectException("Connection refused")));
    assertThat(down.isNonRetryable()).isFalse();
    assertThat(down.getOriginalMessage()).startsWith("materializer-run-7: writing 1 check results to ");
  }

  @Test
  void internalAndExternalErrorsAreRetried() {
    // ICEBERG_COMMIT_ERROR is an EXTERNAL error code (0x0504_0000 range): a concurrent commit, worth retrying
    ApplicationFailure f = TrinoErrors.of("parsed_data.parsed_users", "materialize",
        new SQLException("Query failed (#2): Failed to commit", null, 0x0504_0000 + 8));
    assertThat(f.getType()).isEqualTo(FailureTypes.TRANSIENT);
    assertThat(f.isNonRetryable()).isFalse();
  }

  @Test
  void unreachableTrinoIsRetried() {
    ApplicationFailure f = TrinoErrors.of("data_vault.h_users", "materialize",
        new SQLException("Error executing query: Failed to connect", new ConnectException("Connection refused")));
    assertThat(f.getType()).isEqualTo(FailureTypes.TRANSIENT);
    assertThat(f.isNonRetryable()).isFalse();
  }

  @Test
  void unknownModelIsAConfigurationError() {
    ApplicationFailure f = TrinoErrors.of("raw_data.users", "materialize",
        new IllegalArgumentException("'raw_data.users' is not a model of the spec"));
    assertThat(f.getType()).isEqualTo(FailureTypes.CONFIGURATION);
    assertThat(f.isNonRetryable()).isTrue();
  }
}
