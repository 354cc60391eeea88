package dev.lakehouse.workflows;

import java.util.List;

/**
 * Query {@code status} of the coordinator; {@code materializations}: the last one of each model, by key;
 * {@code failures}: the models whose last run failed after its last retry, until they next succeed;
 * {@code retry}: how failed runs are run again (queued retries are in {@code queue}).
 */
public record MaterializerStatus(boolean paused, PendingRun running, List<PendingRun> queue, long runsCompleted,
    long runsFailed, RunSummary lastRun, List<AssetMaterialization> materializations, List<AssetFailure> failures,
    MaterializerRetry retry) {
  public MaterializerStatus {
    queue = queue == null ? List.of() : List.copyOf(queue);
    materializations = materializations == null ? List.of() : List.copyOf(materializations);
    failures = failures == null ? List.of() : List.copyOf(failures);
  }
}
