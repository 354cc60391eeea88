package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.AssetFailure;
import dev.lakehouse.workflows.AssetMaterialization;
import dev.lakehouse.workflows.activities.MaterializeResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per model, the coordinator's last materialization and its failure (until its next success). With runs in flight
 * side by side an older run may end after a newer one that recorded the same model later: its outcome is older,
 * kept out. Plain bookkeeping, no Workflow call: the caller passes the time.
 */
final class ModelOutcomes {
  private final Map<String, AssetMaterialization> materializations = new TreeMap<>();
  private final Map<String, AssetFailure> failures = new TreeMap<>();
  /** Per model, the run sequence number whose outcome was recorded last: an older run's ending later loses. */
  private final Map<String, Long> outcomeSeq = new TreeMap<>();

  /** The state carried by a continue-as-new. */
  void restore(List<AssetMaterialization> carriedMaterializations, List<AssetFailure> carriedFailures) {
    carriedMaterializations.forEach(m -> materializations.put(m.assetKey(), m));
    carriedFailures.forEach(f -> failures.put(f.assetKey(), f));
  }

  List<AssetMaterialization> materializations() {
    return List.copyOf(materializations.values());
  }

  List<AssetFailure> failures() {
    return List.copyOf(failures.values());
  }

  /** The models failed now, a copy. */
  Set<String> failedModels() {
    return Set.copyOf(failures.keySet());
  }

  /** Whether the models failed now are exactly {@code models}. */
  boolean failedModelsEqual(Set<String> models) {
    return failures.keySet().equals(models);
  }

  /** Records successful materializations at {@code now}; a success ends a model's failure. */
  void materialized(List<MaterializeResult> results, String childId, boolean fullRefresh, long seq, long now) {
    results.stream().filter(r -> latest(r.assetKey(), seq)).forEach(r -> {
      materializations.put(r.assetKey(), new AssetMaterialization(r.assetKey(), now, childId, fullRefresh,
          r.rowsOut()));
      failures.remove(r.assetKey());
    });
  }

  /** Records the models a run did not materialize, after its last attempt, as failed. */
  void failed(List<String> models, long seq, long now, String runWorkflowId, String error, int attempts) {
    models.stream().filter(key -> latest(key, seq)).forEach(key -> failures.put(key,
        new AssetFailure(key, now, runWorkflowId, error, attempts)));
  }

  /** Whether the run {@code seq} is the latest to record an outcome of {@code key}; if so, it now is. */
  private boolean latest(String key, long seq) {
    if (outcomeSeq.getOrDefault(key, -1L) > seq) {
      return false;
    }
    outcomeSeq.put(key, seq);
    return true;
  }
}
