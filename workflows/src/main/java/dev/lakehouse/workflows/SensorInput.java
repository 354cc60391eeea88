package dev.lakehouse.workflows;

/**
 * A sensor's input and cursor: the raw table it watches ({@code raw_data.users}), the poll interval,
 * after how many polls it continues as new, and the last snapshot it signalled (null: none yet).
 */
public record SensorInput(String table, long intervalMillis, int iterationsPerRun, Long lastSnapshotId,
    long signalsSent) {}
