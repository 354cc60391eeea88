package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** SQL models on Trino (parsed tables and the Data Vault). */
@ActivityInterface(namePrefix = "Model.")
public interface ModelActivities {
  /**
   * Materializes one model ({@code parsed_data.parsed_users}, {@code data_vault.s_users}, ...): idempotent,
   * heartbeats, records the run in {@code ops.materializations} (with
   * {@link MaterializeContext#recordApart}, a generated model returns that row in its result for {@link #record}). Errors are {@code ApplicationFailure}s of a
   * {@link FailureTypes} type whose message names the asset.
   */
  @ActivityMethod
  MaterializeResult materialize(String assetKey, MaterializeContext context);

  /**
   * Writes the {@code ops.materializations} row a {@link #materialize} with {@link MaterializeContext#recordApart}
   * left: the model's new watermark. Idempotent (a retry after a commit of unknown outcome adds no second row).
   */
  @ActivityMethod
  void record(MaterializationRecord record);
}
