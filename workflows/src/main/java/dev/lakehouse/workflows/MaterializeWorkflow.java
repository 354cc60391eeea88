package dev.lakehouse.workflows;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Runs a plan in dependency order, independent models in parallel; each model's checks run right after it
 * (docs/models.md#checks). If a model fails, or a check of severity error fails on it, its downstream models are
 * skipped, independent ones still run, and the run fails with a {@code LakehouseMaterializationFailed} failure
 * naming the failed assets. The check results of the run are written once, at its end, failed runs included.
 */
@WorkflowInterface
public interface MaterializeWorkflow {
  @WorkflowMethod
  MaterializeOutcome run(MaterializeInput input);

  /**
   * From the coordinator: no earlier run has {@code assetKey} pending any more, so this run may start it (one of
   * {@link MaterializeInput#awaiting}). May arrive before the run starts waiting for it.
   */
  @SignalMethod
  void released(String assetKey);
}
