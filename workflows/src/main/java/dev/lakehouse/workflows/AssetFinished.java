package dev.lakehouse.workflows;

import dev.lakehouse.workflows.activities.MaterializeResult;

/**
 * Signal {@link MaterializerWorkflow#assetFinished}: the run {@code runWorkflowId} will not write
 * {@code assetKey} any more (its model is done, failed or skipped there), so a later run may take it;
 * {@code result}: the materialization when it is done (null when failed or skipped), so the coordinator's record
 * of the model does not wait for the run's end.
 */
public record AssetFinished(String runWorkflowId, String assetKey, MaterializeResult result) {
  public AssetFinished(String runWorkflowId, String assetKey) {
    this(runWorkflowId, assetKey, null);
  }
}
