package dev.lakehouse.workflows.activities;

/** The current snapshot of an Iceberg table; {@code snapshotId} is null for a table without snapshots. */
public record SnapshotInfo(String table, Long snapshotId, Long committedAtMillis) {}
