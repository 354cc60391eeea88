package dev.lakehouse.workflows;

import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.MaterializeResult;
import java.util.List;

/**
 * Result of a successful run: one result per model and one check report per checked model, in completion order
 * (runs recorded before checks have none).
 */
public record MaterializeOutcome(List<MaterializeResult> results, List<AssetCheckReport> checks) {
  public MaterializeOutcome {
    results = List.copyOf(results);
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  public MaterializeOutcome(List<MaterializeResult> results) {
    this(results, List.of());
  }
}
