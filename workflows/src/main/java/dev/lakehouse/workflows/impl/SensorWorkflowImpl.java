package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.SensorInput;
import dev.lakehouse.workflows.SensorWorkflow;
import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.CatalogActivities;
import dev.lakehouse.workflows.activities.SnapshotInfo;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Polls a raw table's current snapshot; signals the coordinator only when it changed. The cursor advances
 * only after a successful signal, so a change seen while the coordinator is down is signalled later.
 */
public class SensorWorkflowImpl implements SensorWorkflow {
  private static final Logger log = Workflow.getLogger(SensorWorkflowImpl.class);

  private final CatalogActivities catalog =
      Workflow.newActivityStub(CatalogActivities.class, ActivityOptionsCatalog.quick());
  private SensorInput state;

  @Override
  public void run(SensorInput input) {
    state = input;
    Duration interval = Duration.ofMillis(input.intervalMillis());
    for (int i = 0; i < input.iterationsPerRun(); i++) {
      Workflow.sleep(interval);
      SnapshotInfo snapshot;
      try {
        snapshot = catalog.currentSnapshot(input.table());
      } catch (ActivityFailure e) {
        log.warn("sensor {}: cannot read snapshot: {}", input.table(), Failures.rootMessage(e));
        continue;
      }
      Long id = snapshot == null ? null : snapshot.snapshotId();
      if (id == null || Objects.equals(id, state.lastSnapshotId())) {
        continue;
      }
      try {
        Workflow.newExternalWorkflowStub(MaterializerWorkflow.class, Lakehouse.MATERIALIZER_ID)
            .request(new MaterializeRequest(input.table() + "+", "sensor " + input.table() + " snapshot " + id));
        state = new SensorInput(state.table(), state.intervalMillis(), state.iterationsPerRun(), id,
            state.signalsSent() + 1);
      } catch (SignalExternalWorkflowException | ApplicationFailure e) {
        // the coordinator is not running (NOT_FOUND): keep the cursor, signal again next poll
        log.warn("sensor {}: coordinator not reachable, will signal snapshot {} again: {}", input.table(), id,
            e.getMessage());
      }
    }
    Workflow.continueAsNew(state);
  }

  @Override
  public SensorInput cursor() {
    return state;
  }
}
