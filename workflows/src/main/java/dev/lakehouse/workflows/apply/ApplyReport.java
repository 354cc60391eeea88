package dev.lakehouse.workflows.apply;

import java.util.List;

/** What {@code spec-apply} planned and, unless a dry run or refused, what it changed (one line per change). */
public record ApplyReport(ApplyPlan plan, boolean dryRun, List<String> changes) {
  public ApplyReport {
    changes = List.copyOf(changes);
  }
}
