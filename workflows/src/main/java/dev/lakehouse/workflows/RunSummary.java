package dev.lakehouse.workflows;

import dev.lakehouse.workflows.activities.MaterializeResult;
import java.util.List;

/** What a coordinator run did. {@code status}: COMPLETED, FAILED, INVALID_SELECTION, NOTHING_TO_RUN. */
public record RunSummary(String workflowId, String selection, boolean fullRefresh, String status,
    List<MaterializeResult> results, String error) {
  public RunSummary {
    results = results == null ? List.of() : List.copyOf(results);
  }
}
