package dev.lakehouse.workflows;

/**
 * Signal {@link MaterializerWorkflow#assetFinished}: the run {@code runWorkflowId} will not write
 * {@code assetKey} any more (its model is done, failed or skipped there), so a later run may take it.
 */
public record AssetFinished(String runWorkflowId, String assetKey) {}
