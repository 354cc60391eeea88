package dev.lakehouse.workflows;

import java.util.List;

/** A queued run: the union of coalesced selections, the mode, and how many requests it merges. */
public record PendingRun(List<String> selections, boolean fullRefresh, int requests) {
  public PendingRun {
    selections = List.copyOf(selections);
  }

  /** The selection text of the run: the union, comma-separated. */
  public String selection() {
    return String.join(",", selections);
  }
}
