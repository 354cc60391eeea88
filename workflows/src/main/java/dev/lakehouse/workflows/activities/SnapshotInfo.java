package dev.lakehouse.workflows.activities;

/**
 * The current snapshot of an Iceberg table; {@code snapshotId} is null for a table without snapshots. From the
 * snapshot summary: {@code operation} ({@code append}, {@code replace}, ...), {@code addedRecords} (rows this
 * snapshot added) and {@code totalRecords} (rows in the table at this snapshot); null when the summary lacks them.
 */
public record SnapshotInfo(String table, Long snapshotId, Long committedAtMillis, String operation,
    Long addedRecords, Long totalRecords) {

  /** Without summary figures (older histories carry only these three fields). */
  public SnapshotInfo(String table, Long snapshotId, Long committedAtMillis) {
    this(table, snapshotId, committedAtMillis, null, null, null);
  }
}
