package dev.lakehouse.workflows.activities;

/** Rows read from the model's inputs, written to it, and rejected (to {@code parsed_data.rejected_*}). */
public record MaterializeResult(String assetKey, long rowsIn, long rowsOut, long rowsRejected) {}
