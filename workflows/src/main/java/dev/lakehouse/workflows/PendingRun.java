package dev.lakehouse.workflows;

import java.util.List;

/**
 * A queued run: the union of coalesced selections, the mode, and how many requests it merges. A failed run
 * queued again is a retry: {@code retry} is its number (0: not a retry; absent in older histories) and it does not
 * start before {@code dueAtMillis} (workflow time; 0: at once). {@code triggers} ({@link Trigger} labels) and
 * {@code reasons} are those of the merged requests, in arrival order without repeats (empty in older histories):
 * the run's search attribute {@code LakehouseTrigger} and its memo.
 */
public record PendingRun(List<String> selections, boolean fullRefresh, int requests, int retry, long dueAtMillis,
    List<String> triggers, List<String> reasons) {
  /** At most this many reasons are kept: many sensor signals coalesce into one run. */
  public static final int MAX_REASONS = 10;

  public PendingRun {
    selections = List.copyOf(selections);
    triggers = triggers == null ? List.of() : List.copyOf(triggers);
    reasons = reasons == null ? List.of()
        : List.copyOf(reasons.subList(Math.max(0, reasons.size() - MAX_REASONS), reasons.size()));
  }

  public PendingRun(List<String> selections, boolean fullRefresh, int requests, int retry, long dueAtMillis) {
    this(selections, fullRefresh, requests, retry, dueAtMillis, List.of(), List.of());
  }

  /** The selection text of the run: the union, comma-separated. */
  public String selection() {
    return String.join(",", selections);
  }
}
