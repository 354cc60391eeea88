package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.PendingRun;
import dev.lakehouse.workflows.assets.Selection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The coordinator's queue of runs not started yet, with its coalescing: a run merges into the queued run of the
 * same mode (incremental or full refresh). Plain bookkeeping, no Workflow call: the caller passes the time.
 */
final class RunQueue {
  private final List<PendingRun> runs = new ArrayList<>();

  /** The queued runs, live (carried by continue-as-new and reported by status as they are). */
  List<PendingRun> runs() {
    return runs;
  }

  int size() {
    return runs.size();
  }

  PendingRun get(int i) {
    return runs.get(i);
  }

  PendingRun remove(int i) {
    return runs.remove(i);
  }

  /**
   * The queue carried by the input, with the runs queued before run() started (signals delivered with the start)
   * merged on top of it.
   */
  void restore(List<PendingRun> carried) {
    List<PendingRun> early = new ArrayList<>(runs);
    runs.clear();
    carried.forEach(this::merge);
    early.forEach(this::merge);
  }

  /** Index of the first queued run that is due at {@code now} (retries wait for their time), or -1. */
  int nextDue(long now) {
    for (int i = 0; i < runs.size(); i++) {
      if (runs.get(i).dueAtMillis() <= now) {
        return i;
      }
    }
    return -1;
  }

  /** The earliest due time of a queued run, or {@code Long.MAX_VALUE} when none is queued. */
  long earliestDue() {
    return runs.stream().mapToLong(PendingRun::dueAtMillis).min().orElse(Long.MAX_VALUE);
  }

  void enqueue(String selection, boolean fullRefresh, String trigger, String reason) {
    merge(new PendingRun(List.of(Selection.orAllModels(selection)), fullRefresh, 1, 0, 0,
        trigger == null ? List.of() : List.of(trigger), reason == null ? List.of() : List.of(reason)));
  }

  /**
   * Coalesces into the queued run of the same mode, or appends. A merged run keeps the higher retry number and
   * the earlier due time: a request joining a retry that waits for its backoff makes it run at once.
   */
  void merge(PendingRun run) {
    for (int i = 0; i < runs.size(); i++) {
      PendingRun p = runs.get(i);
      if (p.fullRefresh() == run.fullRefresh()) {
        runs.set(i, new PendingRun(union(p.selections(), run.selections()), p.fullRefresh(),
            p.requests() + run.requests(), Math.max(p.retry(), run.retry()), Math.min(p.dueAtMillis(), run.dueAtMillis()),
            union(p.triggers(), run.triggers()), union(p.reasons(), run.reasons())));
        return;
      }
    }
    runs.add(run);
  }

  private static List<String> union(List<String> a, List<String> b) {
    Set<String> union = new LinkedHashSet<>(a);
    union.addAll(b);
    return new ArrayList<>(union);
  }
}
