package dev.lakehouse.activities.kafka;

import java.util.List;
import java.util.Optional;

/**
 * One table's incremental snapshot as one apply run asked for it: the signals naming the table whose ids start with
 * the run's prefix ({@code <prefix><table>}, then {@code <prefix><table>#2}, ...: one per attempt) and the scans of
 * the table Debezium reported under the run's ids. The table is {@link State#READ} once a scan read it to its end;
 * {@link State#SKIPPED} when every attempt so far ended in a skip (a signal that reached Debezium while its streaming
 * thread was reading a chunk of the same snapshot made it fail and skip the table: the attempt is sent again);
 * {@link State#RUNNING} otherwise. No attempt yet counts as skipped: the table needs a signal.
 */
public record SnapshotAttempts(String table, String runPrefix, List<String> signalIds,
    List<SnapshotScans.Scan> scans) {
  public enum State { READ, RUNNING, SKIPPED }

  public SnapshotAttempts {
    signalIds = List.copyOf(signalIds);
    scans = List.copyOf(scans);
  }

  /** The attempts of {@code table} under {@code runPrefix} among every signal and scan. */
  public static SnapshotAttempts of(String table, String runPrefix, List<SnapshotSignals.Signal> signals,
      List<SnapshotScans.Scan> scans) {
    return new SnapshotAttempts(table, runPrefix,
        signals.stream().filter(s -> s.tables().contains(table) && s.id().startsWith(runPrefix))
            .map(SnapshotSignals.Signal::id).toList(),
        scans.stream().filter(s -> s.table().equals(table) && s.id().startsWith(runPrefix)).toList());
  }

  /**
   * The attempts of {@code table} under the run of the latest of {@code signals} naming it (in topic order: the
   * last apply that signalled it), or under {@code fallbackPrefix} when none names it.
   */
  public static SnapshotAttempts latest(String table, List<SnapshotSignals.Signal> signals,
      List<SnapshotScans.Scan> scans, String fallbackPrefix) {
    String run = signals.stream().filter(s -> s.tables().contains(table)).reduce((a, b) -> b)
        .map(s -> runPrefix(s.id(), table)).orElse(fallbackPrefix);
    return of(table, run, signals, scans);
  }

  /**
   * The run prefix of a signal id of ours ({@code <prefix><table>} or {@code <prefix><table>#<n>}); another id is
   * its own prefix.
   */
  public static String runPrefix(String signalId, String table) {
    String id = signalId.replaceFirst("#\\d+$", "");
    return id.endsWith(table) ? id.substring(0, id.length() - table.length()) : signalId;
  }

  public State state() {
    if (scans.stream().anyMatch(SnapshotScans.Scan::read)) {
      return State.READ;
    }
    return scans.size() >= signalIds.size() ? State.SKIPPED : State.RUNNING;
  }

  /** The scan that read the table, if one did. */
  public Optional<SnapshotScans.Scan> readScan() {
    return scans.stream().filter(SnapshotScans.Scan::read).findFirst();
  }

  /** The last status Debezium reported, if any. */
  public Optional<String> lastStatus() {
    return scans.isEmpty() ? Optional.empty() : Optional.of(scans.get(scans.size() - 1).status());
  }

  public int attempts() {
    return signalIds.size();
  }

  /** The id of the next attempt's signal. */
  public String nextId() {
    return runPrefix + table + (signalIds.isEmpty() ? "" : "#" + (signalIds.size() + 1));
  }
}
