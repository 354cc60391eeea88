package dev.lakehouse.workflows;

import java.util.List;

/**
 * A queued run: the union of coalesced selections, the mode, and how many requests it merges. A failed run
 * queued again is a retry: {@code retry} is its number (0: not a retry; absent in older histories) and it does not
 * start before {@code dueAtMillis} (workflow time; 0: at once).
 */
public record PendingRun(List<String> selections, boolean fullRefresh, int requests, int retry, long dueAtMillis) {
  public PendingRun {
    selections = List.copyOf(selections);
  }

  /** The selection text of the run: the union, comma-separated. */
  public String selection() {
    return String.join(",", selections);
  }
}
