package dev.lakehouse.activities.trino;

import dev.lakehouse.activities.Failures;
import dev.lakehouse.spec.TrinoClient;
import dev.lakehouse.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;

/**
 * Trino failures as activity failures naming the asset. A query Trino rejected as a user error (syntax,
 * missing table or column, type mismatch: error codes below 0x10000) is not retried; internal, resource and
 * external errors (an Iceberg commit conflict, S3 unavailable) and failures to reach Trino at all are. Refused
 * credentials and a failed TLS handshake are configuration failures, not retried.
 */
final class TrinoErrors {
  private static final int USER_ERROR_LIMIT = 0x1_0000;

  private TrinoErrors() {}

  static ApplicationFailure of(String asset, String action, Throwable e) {
    return of(asset, action, e,
        "fix the model SQL or the spec; `lakehouse models sql " + asset + "` prints it; not retried");
  }

  /**
   * {@link #of} for a statement of our own rather than a model's: {@code userErrorHint} says what to do when Trino
   * rejects it (a retry would be rejected the same way).
   */
  static ApplicationFailure of(String asset, String action, Throwable e, String userErrorHint) {
    if (e instanceof IllegalArgumentException) {
      return Failures.configuration(asset, e.getMessage());
    }
    java.util.Optional<String> auth = TrinoClient.authHint(e);
    if (auth.isPresent()) { // a wrong password or trust store fails the same way on every retry
      return Failures.configuration(asset, action + " failed: " + auth.get());
    }
    if (e instanceof SQLException sql) {
      String msg = String.valueOf(sql.getMessage());
      String text = asset + ": " + action + " failed: " + msg;
      if (isQueryFailure(sql)) {
        if (sql.getErrorCode() < USER_ERROR_LIMIT) {
          return ApplicationFailure.newNonRetryableFailureWithCause(
              text + " (" + userErrorHint + ")",
              FailureTypes.SQL, e);
        }
        return ApplicationFailure.newFailureWithCause(text, FailureTypes.TRANSIENT, e);
      }
      // trino-jdbc could not run the query at all: Trino down, network, timeout
      return ApplicationFailure.newFailureWithCause(text, FailureTypes.TRANSIENT, e);
    }
    return Failures.of(asset, action, e);
  }

  /**
   * A query Trino ran and failed with an internal, resource or external error (an Iceberg commit conflict), not a
   * user error: the same statement may succeed when run again.
   */
  static boolean isRetryableQueryFailure(SQLException e) {
    return isQueryFailure(e) && e.getErrorCode() >= USER_ERROR_LIMIT;
  }

  /** trino-jdbc reports a query the server failed as "Query failed (#id): ..." with Trino's error code. */
  static boolean isQueryFailure(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException s && String.valueOf(s.getMessage()).startsWith("Query failed")) {
        return true;
      }
    }
    return false;
  }
}
