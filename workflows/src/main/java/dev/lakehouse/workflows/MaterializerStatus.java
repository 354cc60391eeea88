package dev.lakehouse.workflows;

import java.util.List;

/**
 * Query {@code status} of the coordinator; {@code materializations}: the last one of each model, by key;
 * {@code failures}: the models whose last run failed after its last retry, until they next succeed;
 * {@code retry}: how failed runs are run again (queued retries are in {@code queue}); {@code inFlight}: the runs in
 * flight, oldest first, of which {@code running} is the first (absent in answers of older coordinators: then
 * {@code running} alone).
 */
public record MaterializerStatus(boolean paused, PendingRun running, List<PendingRun> queue, long runsCompleted,
    long runsFailed, RunSummary lastRun, List<AssetMaterialization> materializations, List<AssetFailure> failures,
    MaterializerRetry retry, List<PendingRun> inFlight) {
  public MaterializerStatus {
    inFlight = inFlight == null ? (running == null ? List.of() : List.of(running)) : List.copyOf(inFlight);
    queue = queue == null ? List.of() : List.copyOf(queue);
    materializations = materializations == null ? List.of() : List.copyOf(materializations);
    failures = failures == null ? List.of() : List.copyOf(failures);
  }

  /** A status with at most one run in flight, {@code running}. */
  public MaterializerStatus(boolean paused, PendingRun running, List<PendingRun> queue, long runsCompleted,
      long runsFailed, RunSummary lastRun, List<AssetMaterialization> materializations, List<AssetFailure> failures,
      MaterializerRetry retry) {
    this(paused, running, queue, runsCompleted, runsFailed, lastRun, materializations, failures, retry, null);
  }
}
