package dev.lakehouse.workflows;

import java.util.List;

/**
 * Input of the coordinator, and what it carries across continue-as-new: the queue, the pause state, the
 * counters and the last run. Start it with {@link #initial(int)}.
 */
public record MaterializerInput(int runsPerExecution, List<PendingRun> queue, boolean paused, long runsCompleted,
    long runsFailed, RunSummary lastRun) {
  public MaterializerInput {
    queue = queue == null ? List.of() : List.copyOf(queue);
  }

  public static MaterializerInput initial(int runsPerExecution) {
    return new MaterializerInput(runsPerExecution, List.of(), false, 0, 0, null);
  }
}
