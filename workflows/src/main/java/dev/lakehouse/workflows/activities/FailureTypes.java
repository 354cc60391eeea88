package dev.lakehouse.workflows.activities;

import java.util.List;

/**
 * {@code ApplicationFailure} types. Configuration, SQL and permission errors are not retried (they are in
 * every activity's {@code setDoNotRetry}); transient and not-ready errors are retried with backoff.
 */
public final class FailureTypes {
  public static final String CONFIGURATION = "LakehouseConfigurationError";
  public static final String SQL = "LakehouseSqlError";
  public static final String PERMISSION = "LakehousePermissionError";
  public static final String TRANSIENT = "LakehouseTransientError";
  public static final String NOT_READY = "LakehouseNotReady";
  /** A workflow-level failure: some assets of a run failed. */
  public static final String MATERIALIZATION_FAILED = "LakehouseMaterializationFailed";
  /** An asset whose materialization succeeded but a check of severity error failed. */
  public static final String CHECK_FAILED = "LakehouseCheckFailed";
  /** A workflow-level failure: some operations of a maintenance run failed (after their activity retries). */
  public static final String MAINTENANCE_FAILED = "LakehouseMaintenanceFailed";
  /**
   * Debezium skipped a table's incremental snapshot at every attempt of an apply (not retried: the attempts are on
   * the signal topic, a retry would count them again); the table stays owed, so applying again tries anew.
   */
  public static final String SNAPSHOT_SKIPPED = "LakehouseSnapshotSkipped";

  public static final List<String> NON_RETRYABLE = List.of(CONFIGURATION, SQL, PERMISSION);

  private FailureTypes() {}
}
