package dev.lakehouse.workflows;

import java.util.List;

/** Query {@code status} of the coordinator; {@code materializations}: the last one of each model, by key. */
public record MaterializerStatus(boolean paused, PendingRun running, List<PendingRun> queue, long runsCompleted,
    long runsFailed, RunSummary lastRun, List<AssetMaterialization> materializations) {
  public MaterializerStatus {
    queue = queue == null ? List.of() : List.copyOf(queue);
    materializations = materializations == null ? List.of() : List.copyOf(materializations);
  }
}
