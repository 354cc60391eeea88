package dev.lakehouse.workflows;

import java.util.List;

/**
 * Input of the coordinator, and what it carries across continue-as-new: the queue, the pause state, the
 * counters, the last run and the last materialization of each model, the models whose last run failed. Fields
 * absent in older histories decode as empty, 0 or null: {@code signalsPerExecution} 0 and {@code retry} null then
 * mean the defaults. Start it with {@link #initial}.
 */
public record MaterializerInput(int runsPerExecution, List<PendingRun> queue, boolean paused, long runsCompleted,
    long runsFailed, RunSummary lastRun, List<AssetMaterialization> materializations, int signalsPerExecution,
    MaterializerRetry retry, List<AssetFailure> failures, int maxRunsInFlight) {
  public MaterializerInput {
    queue = queue == null ? List.of() : List.copyOf(queue);
    materializations = materializations == null ? List.of() : List.copyOf(materializations);
    failures = failures == null ? List.of() : List.copyOf(failures);
  }

  /** The input without {@code maxRunsInFlight} (0: the default). */
  public MaterializerInput(int runsPerExecution, List<PendingRun> queue, boolean paused, long runsCompleted,
      long runsFailed, RunSummary lastRun, List<AssetMaterialization> materializations, int signalsPerExecution,
      MaterializerRetry retry, List<AssetFailure> failures) {
    this(runsPerExecution, queue, paused, runsCompleted, runsFailed, lastRun, materializations, signalsPerExecution,
        retry, failures, 0);
  }

  public static MaterializerInput initial(int runsPerExecution, int signalsPerExecution, MaterializerRetry retry) {
    return initial(runsPerExecution, signalsPerExecution, retry, 0);
  }

  public static MaterializerInput initial(int runsPerExecution, int signalsPerExecution, MaterializerRetry retry,
      int maxRunsInFlight) {
    return new MaterializerInput(runsPerExecution, List.of(), false, 0, 0, null, List.of(), signalsPerExecution,
        retry, List.of(), maxRunsInFlight);
  }
}
