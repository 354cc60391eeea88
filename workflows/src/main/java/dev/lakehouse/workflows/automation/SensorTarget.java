package dev.lakehouse.workflows.automation;

/**
 * A sensor: what the spec wants ({@code intervalMillis} the spec's) or what runs ({@code intervalMillis} from its
 * cursor; {@code running} false when its workflow is not running; {@code intervalMillis} 0 when unknown).
 */
public record SensorTarget(String id, String table, long intervalMillis, boolean running) {}
