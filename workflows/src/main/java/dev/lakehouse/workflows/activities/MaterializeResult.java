package dev.lakehouse.workflows.activities;

/**
 * Rows read from the model's inputs, written to it, and rejected (to {@code parsed_data.rejected_*}); and the batch
 * it read, which the asset's checks look at: its Kafka offset ranges as {@code ops.materializations} records them
 * ({@code {"0":[41,97]}}; null when the run read nothing) and its smallest source LSN (null when unknown).
 */
public record MaterializeResult(String assetKey, long rowsIn, long rowsOut, long rowsRejected, String inputRanges,
    Long minLsn) {
  public MaterializeResult(String assetKey, long rowsIn, long rowsOut, long rowsRejected) {
    this(assetKey, rowsIn, rowsOut, rowsRejected, null, null);
  }
}
