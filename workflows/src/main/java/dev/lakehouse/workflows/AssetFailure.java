package dev.lakehouse.workflows;

/**
 * A model whose last run failed and was not run again (its retries used up), as the coordinator saw it: when
 * (workflow time), by which run (child workflow id), the run's error, and how many runs in a row failed. It stays
 * until the model's next successful materialization.
 */
public record AssetFailure(String assetKey, long atMillis, String runWorkflowId, String message, int attempts) {}
