package dev.lakehouse.workflows;

import dev.lakehouse.workflows.activities.MaterializeResult;
import java.util.List;

/** What a coordinator run did. */
public record RunSummary(String workflowId, String selection, boolean fullRefresh, Status status,
    List<MaterializeResult> results, String error) {

  /** How a run ended; travels by name ({@code "COMPLETED"}) in histories and query answers. */
  public enum Status {
    COMPLETED, FAILED, INVALID_SELECTION, NOTHING_TO_RUN;

    /** Counted as a completed run (a selection without models has nothing to fail). */
    public boolean completed() {
      return this == COMPLETED || this == NOTHING_TO_RUN;
    }
  }

  public RunSummary {
    results = results == null ? List.of() : List.copyOf(results);
  }
}
