package dev.lakehouse.workflows;

import dev.lakehouse.workflows.assets.MaterializePlan;
import java.util.List;

/**
 * Input of one materialization run: the resolved plan and the mode. {@code awaiting}: models of the plan that an
 * earlier run still in flight has pending, so this run starts each of them only after the coordinator signals
 * {@link MaterializeWorkflow#released} (one writer per table; docs/architecture.md#overlapping-runs);
 * {@code reportsToCoordinator}: signal the coordinator {@link MaterializerWorkflow#assetFinished} as each model
 * of the plan is done, failed or skipped. Both absent in runs of older coordinators (empty, false).
 */
public record MaterializeInput(MaterializePlan plan, boolean fullRefresh, List<String> awaiting,
    boolean reportsToCoordinator) {
  public MaterializeInput {
    awaiting = awaiting == null ? List.of() : List.copyOf(awaiting);
  }

  /** A run on its own: no earlier run to wait for, nothing to report. */
  public MaterializeInput(MaterializePlan plan, boolean fullRefresh) {
    this(plan, fullRefresh, List.of(), false);
  }
}
