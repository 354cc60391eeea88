package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Data checks of models on Trino (docs/models.md#checks). */
@ActivityInterface(namePrefix = "Checks.")
public interface AssetCheckActivities {
  /**
   * Runs every check of one model (built-in and declared) over what {@code request} says, records the results in
   * {@code ops.asset_checks} and returns them. A failing check is a result, not an activity failure; a check that
   * Trino rejects (bad SQL, a missing table) is a failed result saying why. Unreachable services are retried.
   */
  @ActivityMethod
  AssetCheckReport check(String assetKey, CheckRequest request);
}
