package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.net.ConnectException;
import java.sql.SQLException;
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
