package dev.lakehouse.workflows.activities;

/**
 * What a model materialization is part of: the run (child workflow id), the selection and whether it is
 * a full refresh (rebuild from all raw rows) rather than incremental (from the model's watermark).
 */
public record MaterializeContext(String runId, String selection, boolean fullRefresh) {}
