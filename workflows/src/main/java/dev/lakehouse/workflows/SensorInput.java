package dev.lakehouse.workflows;

/**
 * A sensor's input and cursor: the raw table it watches ({@code raw_data.users}), the poll interval,
 * after how many polls it continues as new, the last snapshot it has seen (null: none yet), how many
 * requests it has signalled, and the table's total record count at that snapshot (null: not known, e.g. a
 * cursor written before the sensor read record counts; then the next new snapshot is signalled).
 */
public record SensorInput(String table, long intervalMillis, int iterationsPerRun, Long lastSnapshotId,
    long signalsSent, Long lastTotalRecords) {

  /** A cursor without a record count (what {@code automation start} and older histories carry). */
  public SensorInput(String table, long intervalMillis, int iterationsPerRun, Long lastSnapshotId, long signalsSent) {
    this(table, intervalMillis, iterationsPerRun, lastSnapshotId, signalsSent, null);
  }

  /** The cursor moved to {@code snapshotId} ({@code totalRecords} rows), {@code signalled} or not. */
  public SensorInput advance(Long snapshotId, Long totalRecords, boolean signalled) {
    return new SensorInput(table, intervalMillis, iterationsPerRun, snapshotId, signalsSent + (signalled ? 1 : 0),
        totalRecords);
  }

  /** The same cursor polling every {@code millis}. */
  public SensorInput withInterval(long millis) {
    return new SensorInput(table, millis, iterationsPerRun, lastSnapshotId, signalsSent, lastTotalRecords);
  }
}
