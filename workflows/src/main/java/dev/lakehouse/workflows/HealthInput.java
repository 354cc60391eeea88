package dev.lakehouse.workflows;

import java.util.Map;

/**
 * Health thresholds: a Flink checkpoint older than {@code maxCheckpointAgeMillis}, or a replication slot lagging more
 * than {@code maxSlotLagBytes}, is a problem; {@code maxLagMillis} is each model's freshness policy (by asset key).
 * Inputs of older schedules carry only the checkpoint age (null others: no slot threshold, no freshness check).
 */
public record HealthInput(long maxCheckpointAgeMillis, Long maxSlotLagBytes, Map<String, Long> maxLagMillis) {
  public HealthInput {
    maxLagMillis = maxLagMillis == null ? null : Map.copyOf(maxLagMillis);
  }

  /** The input of a health check before slot thresholds and freshness policies (recorded histories, tests). */
  public HealthInput(long maxCheckpointAgeMillis) {
    this(maxCheckpointAgeMillis, null, null);
  }
}
