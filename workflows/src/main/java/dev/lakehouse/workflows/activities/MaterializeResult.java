package dev.lakehouse.workflows.activities;

/**
 * Rows read from the model's inputs, written to it, and rejected (to {@code parsed_data.rejected_*}); and the batch
 * it read, which the asset's checks look at: its Kafka offset ranges as {@code ops.materializations} records them
 * ({@code {"0":[41,97]}}; null when the run read nothing) and its smallest source LSN (null when unknown); and the
 * {@code ops.materializations} row still to write when the activity was asked to leave it
 * ({@link MaterializeContext#recordApart}; null otherwise, or when there is nothing to record); and for an incremental
 * run of a user model, exactly what it wrote ({@link WrittenData}; null when not known, and for every other model).
 */
public record MaterializeResult(String assetKey, long rowsIn, long rowsOut, long rowsRejected, String inputRanges,
    Long minLsn, MaterializationRecord record, WrittenData written) {
  public MaterializeResult(String assetKey, long rowsIn, long rowsOut, long rowsRejected, String inputRanges,
      Long minLsn, MaterializationRecord record) {
    this(assetKey, rowsIn, rowsOut, rowsRejected, inputRanges, minLsn, record, null);
  }

  public MaterializeResult(String assetKey, long rowsIn, long rowsOut, long rowsRejected, String inputRanges,
      Long minLsn) {
    this(assetKey, rowsIn, rowsOut, rowsRejected, inputRanges, minLsn, null);
  }

  public MaterializeResult(String assetKey, long rowsIn, long rowsOut, long rowsRejected) {
    this(assetKey, rowsIn, rowsOut, rowsRejected, null, null);
  }

  /** This result once its record is written: what the run reports and keeps. */
  public MaterializeResult withoutRecord() {
    return record == null ? this
        : new MaterializeResult(assetKey, rowsIn, rowsOut, rowsRejected, inputRanges, minLsn, null, written);
  }
}
