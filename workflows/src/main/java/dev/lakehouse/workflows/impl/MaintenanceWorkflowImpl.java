package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.Incident;
import dev.lakehouse.workflows.MaintenanceInput;
import dev.lakehouse.workflows.MaintenanceOperation;
import dev.lakehouse.workflows.MaintenanceReport;
import dev.lakehouse.workflows.MaintenanceWorkflow;
import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.CatalogActivities;
import dev.lakehouse.workflows.activities.MaintenanceActivities;
import dev.lakehouse.workflows.activities.MaintenanceResult;
import dev.lakehouse.workflows.activities.FailureTypes;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

public class MaintenanceWorkflowImpl implements MaintenanceWorkflow {
  /**
   * {@code Workflow.getVersion} change ID of failing the run when an operation failed: runs recorded before it
   * completed instead, and replay them that way.
   */
  static final String FAIL_ON_FAILED_OPERATIONS = "fail-on-failed-operations";
  /** Change ID of reporting the run's outcome to {@code incidents}. */
  static final String REPORT_INCIDENTS = "report-incidents";

  private final MaintenanceActivities maintenance =
      Workflow.newActivityStub(MaintenanceActivities.class, ActivityOptionsCatalog.maintenance());
  private final CatalogActivities catalog =
      Workflow.newActivityStub(CatalogActivities.class, ActivityOptionsCatalog.maintenance());

  @Override
  public MaintenanceReport run(MaintenanceInput input) {
    List<MaintenanceResult> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String table : maintenance.tables(input.group())) {
      for (String op : input.operations()) {
        MaintenanceOperation operation = MaintenanceOperation.fromLabel(op).orElseThrow(() ->
            ApplicationFailure.newNonRetryableFailure("unknown maintenance operation " + op,
                FailureTypes.CONFIGURATION));
        try {
          done.add(switch (operation) {
            case OPTIMIZE -> maintenance.optimize(table, input.optimizeFileSizeThreshold());
            case EXPIRE_SNAPSHOTS -> maintenance.expireSnapshots(table, input.expireSnapshotsRetention());
            case REMOVE_ORPHAN_FILES -> maintenance.removeOrphanFiles(table, input.removeOrphanFilesRetention());
            case DROP_EXTENDED_STATS -> maintenance.dropExtendedStats(table);
            case METADATA_CLEANUP -> catalog.cleanUpMetadata(table);
          });
        } catch (ActivityFailure e) {
          failed.add(table + " " + op + ": " + RootCause.message(e));
        }
      }
    }
    MaintenanceReport report = new MaintenanceReport(input.group(), done, failed);
    if (Workflow.getVersion(REPORT_INCIDENTS, Workflow.DEFAULT_VERSION, 1) >= 1) {
      // a failed run opens the group's incident, the next good run resolves it (incidents alerts once each)
      String scope = "maintenance-" + input.group();
      Incidents.report(scope, failed.isEmpty() ? List.of() : List.of(new Incident(scope,
          Incident.Kind.MAINTENANCE_FAILED, input.group(), "maintenance " + input.group() + ": " + failed.size()
          + " operation(s) failed: " + String.join("; ", failed), Workflow.currentTimeMillis(),
          Workflow.getInfo().getWorkflowId())));
    }
    if (!failed.isEmpty()) {
      Logger log = Workflow.getLogger(MaintenanceWorkflowImpl.class);
      log.warn("maintenance {}: {} failed: {}", input.group(), failed.size(), failed);
      // Every operation ran (one failure does not stop the others); now the run fails, so the UI, describe and
      // the cron's next run show it, with what did succeed logged and in the failure's details.
      if (Workflow.getVersion(FAIL_ON_FAILED_OPERATIONS, Workflow.DEFAULT_VERSION, 1) >= 1) {
        log.info("maintenance {}: done {}", input.group(), done);
        throw ApplicationFailure.newNonRetryableFailure("maintenance " + input.group() + ": " + failed.size()
            + " of " + (done.size() + failed.size()) + " operations failed: " + String.join("; ", failed),
            FailureTypes.MAINTENANCE_FAILED, report);
      }
    }
    return report;
  }
}
