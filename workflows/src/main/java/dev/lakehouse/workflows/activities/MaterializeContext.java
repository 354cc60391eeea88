package dev.lakehouse.workflows.activities;

/**
 * What a model materialization is part of: the run (child workflow id), the selection and whether it is
 * a full refresh (rebuild from all raw rows) rather than incremental (from the model's watermark). With
 * {@code recordApart} the activity leaves a generated model's {@code ops.materializations} row to
 * {@link ModelActivities#record} ({@link MaterializeResult#record}), which the run writes beside the model's checks;
 * absent in older histories (false): the activity writes it.
 */
public record MaterializeContext(String runId, String selection, boolean fullRefresh, boolean recordApart) {
  public MaterializeContext(String runId, String selection, boolean fullRefresh) {
    this(runId, selection, fullRefresh, false);
  }

  public MaterializeContext withRecordApart() {
    return new MaterializeContext(runId, selection, fullRefresh, true);
  }
}
