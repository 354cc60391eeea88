package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Data checks of models on Trino (docs/models.md#checks). */
@ActivityInterface(namePrefix = "Checks.")
public interface AssetCheckActivities {
  /**
   * Runs every check of one model (built-in and declared) over what {@code request} says, records the results in
   * {@code ops.asset_checks} and returns them. Kept for the runs whose histories call it (before {@link #evaluate}
   * and {@link #record} split it); new runs evaluate, then record the run's results once.
   */
  @ActivityMethod
  AssetCheckReport check(String assetKey, CheckRequest request);

  /**
   * Runs every check of one model over what {@code request} says and returns the results, stamped with when they
   * ran, without writing them. A failing check is a result, not an activity failure; a check that Trino rejects
   * (bad SQL, a missing table) is a failed result saying why. Unreachable services are retried.
   */
  @ActivityMethod
  AssetCheckReport evaluate(String assetKey, CheckRequest request);

  /**
   * Writes the results of a run's check reports to {@code ops.asset_checks} in one statement (one Iceberg commit).
   * Idempotent: a retry after a write of unknown outcome writes only the rows (run, asset, check, checked_at) that
   * are not there yet.
   */
  @ActivityMethod
  void record(CheckRecord record);
}
