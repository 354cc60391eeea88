package dev.lakehouse.reliability.workload;

import java.util.ArrayList;
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

  public synchronized int size() {
    return changes.size();
  }

  public synchronized long transactions() {
    return transactions;
  }
}
