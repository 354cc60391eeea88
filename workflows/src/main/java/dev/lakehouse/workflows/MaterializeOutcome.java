package dev.lakehouse.workflows;

import dev.lakehouse.workflows.activities.MaterializeResult;
import java.util.List;

/** Result of a successful run: one result per model, in completion order. */
public record MaterializeOutcome(List<MaterializeResult> results) {
  public MaterializeOutcome {
    results = List.copyOf(results);
  }
}
