package dev.lakehouse.workflows;

/** Health thresholds: a Flink checkpoint older than this is reported as a problem. */
public record HealthInput(long maxCheckpointAgeMillis) {}
