package dev.lakehouse.workflows;

import java.util.List;

/**
 * Input of the coordinator, and what it carries across continue-as-new: the queue, the pause state, the
 * counters, the last run and the last materialization of each model (absent in older histories: empty).
 * Start it with {@link #initial(int)}.
 */
public record MaterializerInput(int runsPerExecution, List<PendingRun> queue, boolean paused, long runsCompleted,
    long runsFailed, RunSummary lastRun, List<AssetMaterialization> materializations) {
  public MaterializerInput {
    queue = queue == null ? List.of() : List.copyOf(queue);
    materializations = materializations == null ? List.of() : List.copyOf(materializations);
  }

  public static MaterializerInput initial(int runsPerExecution) {
    return new MaterializerInput(runsPerExecution, List.of(), false, 0, 0, null, List.of());
  }
}
