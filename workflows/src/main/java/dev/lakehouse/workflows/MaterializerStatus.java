package dev.lakehouse.workflows;

import java.util.List;

/** Query {@code status} of the coordinator. */
public record MaterializerStatus(boolean paused, PendingRun running, List<PendingRun> queue, long runsCompleted,
    long runsFailed, RunSummary lastRun) {
  public MaterializerStatus {
    queue = queue == null ? List.of() : List.copyOf(queue);
  }
}
