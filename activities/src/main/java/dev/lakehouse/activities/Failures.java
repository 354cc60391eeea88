package dev.lakehouse.activities;

import dev.lakehouse.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Maps an exception from an outside system to an {@code ApplicationFailure} whose message names the asset
 * and whose type says whether Temporal retries it ({@link FailureTypes}): connection refused, timeouts and
 * other I/O are transient; SQL errors, permission errors and bad configuration are not.
 */
public final class Failures {
  private Failures() {}

  /** {@code <asset>: <what failed>: <cause>} as an ApplicationFailure of the right type. */
  public static ApplicationFailure of(String asset, String action, Throwable e) {
    String type = classify(e);
    String message = asset + ": " + action + " failed: " + describe(e) + hint(type);
    if (FailureTypes.NON_RETRYABLE.contains(type)) {
      return ApplicationFailure.newNonRetryableFailureWithCause(message, type, e);
    }
    return ApplicationFailure.newFailureWithCause(message, type, e);
  }

  /** A configuration error (non-retryable) naming the asset. */
  public static ApplicationFailure configuration(String asset, String message) {
    return ApplicationFailure.newNonRetryableFailure(asset + ": " + message + hint(FailureTypes.CONFIGURATION),
        FailureTypes.CONFIGURATION);
  }

  /** Not ready yet (retryable), e.g. a connector still starting. */
  public static ApplicationFailure notReady(String asset, String message) {
    return ApplicationFailure.newFailure(asset + ": " + message, FailureTypes.NOT_READY);
  }

  static String classify(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ApplicationFailure af && af.getType() != null) {
        return af.getType();
      }
      if (t instanceof SQLInvalidAuthorizationSpecException) {
        return FailureTypes.PERMISSION;
      }
      if (t instanceof SQLSyntaxErrorException) {
        return FailureTypes.SQL;
      }
      if (t instanceof ConnectException || t instanceof SocketTimeoutException || t instanceof HttpTimeoutException
          || t instanceof TimeoutException || t instanceof UnknownHostException || t instanceof SQLTransientException
          || t instanceof SQLNonTransientConnectionException) {
        return FailureTypes.TRANSIENT;
      }
      if (t instanceof SQLException sql) {
        String msg = String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT);
        if (msg.contains("access denied") || msg.contains("permission")) {
          return FailureTypes.PERMISSION;
        }
        if (msg.contains("connection") || msg.contains("timeout") || msg.contains("timed out")) {
          return FailureTypes.TRANSIENT;
        }
        return FailureTypes.SQL;
      }
      if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
        return FailureTypes.CONFIGURATION;
      }
      if (t instanceof IOException) {
        return FailureTypes.TRANSIENT;
      }
    }
    return FailureTypes.TRANSIENT;
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  private static String hint(String type) {
    return switch (type) {
      case FailureTypes.CONFIGURATION -> " (fix lakehouse.conf or the environment; not retried)";
      case FailureTypes.SQL -> " (fix the model SQL or the spec; not retried)";
      case FailureTypes.PERMISSION -> " (check the credentials in lakehouse.endpoints; not retried)";
      default -> "";
    };
  }
}
