package dev.lakehouse.reliability.workload;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Every change the workload committed, in commit order. Thread-safe: read while a workload runs. */
public final class ChangeLog {
  private final List<Change> changes = new ArrayList<>();
  private long transactions;

  synchronized void committed(List<Change> tx) {
    changes.addAll(tx);
    transactions++;
  }

  /** A snapshot of every committed change so far, in commit order. */
  public synchronized List<Change> changes() {
    return List.copyOf(changes);
  }

  /**
   * Takes {@code lost} out of the log: changes a scenario counted as lost for good (committed to the source, never to
   * reach the lakehouse, as its recovery documents), so that the scenarios after it compare every table with what the
   * lakehouse can still hold. Returns how many it took out (each change once).
   */
  public synchronized int writeOff(Collection<Change> lost) {
    int n = 0;
    for (Change c : lost) {
      if (changes.remove(c)) {
        n++;
      }
    }
    return n;
  }

  public synchronized int size() {
    return changes.size();
  }

  public synchronized long transactions() {
    return transactions;
  }
}
