package dev.lakehouse.activities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLSyntaxErrorException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  @Test
  void connectionRefusedIsRetryable() {
    ApplicationFailure f = Failures.of("data_vault.s_users", "merge",
        new UncheckedIOException(new ConnectException("Connection refused")));
    assertThat(f.getType()).isEqualTo(FailureTypes.TRANSIENT);
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(f.getOriginalMessage()).startsWith("data_vault.s_users: merge failed: ");
  }

  @Test
  void sqlSyntaxErrorIsNotRetriedAndNamesTheAsset() {
    ApplicationFailure f = Failures.of("parsed_data.parsed_users", "insert",
        new SQLSyntaxErrorException("line 1:8: Column 'x' cannot be resolved"));
    assertThat(f.getType()).isEqualTo(FailureTypes.SQL);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).isEqualTo("parsed_data.parsed_users: insert failed: SQLSyntaxErrorException: "
        + "line 1:8: Column 'x' cannot be resolved (fix the model SQL or the spec; not retried)");
  }

  @Test
  void permissionAndGenericSqlErrors() {
    assertThat(Failures.of("a", "b", new SQLInvalidAuthorizationSpecException("denied")).getType())
        .isEqualTo(FailureTypes.PERMISSION);
    assertThat(Failures.of("a", "b", new SQLException("Access Denied: Cannot insert")).getType())
        .isEqualTo(FailureTypes.PERMISSION);
    assertThat(Failures.of("a", "b", new SQLException("Error executing query: connection reset")).getType())
        .isEqualTo(FailureTypes.TRANSIENT);
    assertThat(Failures.of("a", "b", new SQLException("Table 'x' does not exist")).getType())
        .isEqualTo(FailureTypes.SQL);
  }

  @Test
  void configurationErrorsAreNotRetried() {
    ApplicationFailure f = Failures.of("connector:bank", "upsert", new IllegalArgumentException("bad slot"));
    assertThat(f.getType()).isEqualTo(FailureTypes.CONFIGURATION);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(Failures.configuration("flink:ingest", "no pipeline name").isNonRetryable()).isTrue();
    assertThat(Failures.notReady("connector:bank", "task 0 UNASSIGNED").isNonRetryable()).isFalse();
  }
}
