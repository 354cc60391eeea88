package dev.lakehouse.workflows;

import dev.lakehouse.workflows.activities.MaintenanceResult;
import java.util.List;

/** Operations done and failed ({@code table operation: message}). */
public record MaintenanceReport(String group, List<MaintenanceResult> done, List<String> failed) {
  public MaintenanceReport {
    done = List.copyOf(done);
    failed = List.copyOf(failed);
  }
}
