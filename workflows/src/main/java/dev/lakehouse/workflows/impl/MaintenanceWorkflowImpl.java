package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.MaintenanceInput;
import dev.lakehouse.workflows.MaintenanceReport;
import dev.lakehouse.workflows.MaintenanceWorkflow;
import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.MaintenanceActivities;
import dev.lakehouse.workflows.activities.MaintenanceResult;
import dev.lakehouse.workflows.activities.FailureTypes;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

public class MaintenanceWorkflowImpl implements MaintenanceWorkflow {
  private final MaintenanceActivities maintenance =
      Workflow.newActivityStub(MaintenanceActivities.class, ActivityOptionsCatalog.maintenance());

  @Override
  public MaintenanceReport run(MaintenanceInput input) {
    List<MaintenanceResult> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String table : maintenance.tables(input.group())) {
      for (String op : input.operations()) {
        try {
          done.add(switch (op) {
            case MaintenanceInput.OPTIMIZE -> maintenance.optimize(table, input.optimizeFileSizeThreshold());
            case MaintenanceInput.EXPIRE_SNAPSHOTS -> maintenance.expireSnapshots(table, input.expireSnapshotsRetention());
            case MaintenanceInput.REMOVE_ORPHAN_FILES ->
                maintenance.removeOrphanFiles(table, input.removeOrphanFilesRetention());
            case MaintenanceInput.DROP_EXTENDED_STATS -> maintenance.dropExtendedStats(table);
            default -> throw ApplicationFailure.newNonRetryableFailure("unknown maintenance operation " + op,
                FailureTypes.CONFIGURATION);
          });
        } catch (ActivityFailure e) {
          failed.add(table + " " + op + ": " + Failures.rootMessage(e));
        }
      }
    }
    if (!failed.isEmpty()) {
      Workflow.getLogger(MaintenanceWorkflowImpl.class).warn("maintenance {}: {} failed: {}", input.group(),
          failed.size(), failed);
    }
    return new MaintenanceReport(input.group(), done, failed);
  }
}
