package dev.lakehouse.workflows.activities;

/**
 * The {@code ops.materializations} row of a model run whose MERGEs committed but which left the row to
 * {@link ModelActivities#record} (when {@link MaterializeContext#recordApart}): the range read (the new watermark,
 * as {@code {"0":[41,97]}}), the row counts and when the run started and its MERGEs ended.
 */
public record MaterializationRecord(String assetKey, String runId, boolean fullRefresh, String inputRanges,
    long rowsIn, long rowsOut, long rowsRejected, long startedAtMillis, long finishedAtMillis) {}
