package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.Incident;
import dev.lakehouse.workflows.IncidentsWorkflow;
import dev.lakehouse.workflows.Lakehouse;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.util.List;
import org.slf4j.Logger;

/**
 * How a workflow reports its scope's incidents to {@code incidents} (started by {@code lakehouse automation start};
 * workflow code cannot signalWithStart). When it is not running the report is logged and dropped: the next run
 * reports the whole set again, so nothing stays wrong for longer than one period.
 */
final class Incidents {
  private static final Logger log = Workflow.getLogger(Incidents.class);

  private Incidents() {}

  static void report(String scope, List<Incident> current) {
    for (int attempt = 1; ; attempt++) {
      try {
        Workflow.newExternalWorkflowStub(IncidentsWorkflow.class, Lakehouse.INCIDENTS_ID).report(scope, current);
        return;
      } catch (SignalExternalWorkflowException | ApplicationFailure e) {
        if (attempt == 1) {
          // it may be between two runs (continue-as-new) at this very moment: once more, a little later
          Workflow.sleep(java.time.Duration.ofSeconds(2));
          continue;
        }
        notReported(scope, current, e);
        return;
      }
    }
  }

  private static void notReported(String scope, List<Incident> current, RuntimeException e) {
    log.warn("incidents: '{}' not reachable ({}), {} incident(s) of {} not reported; lakehouse automation start"
        + " starts it", Lakehouse.INCIDENTS_ID, e.getMessage(), current.size(), scope);
  }
}
