package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.SensorInput;
import dev.lakehouse.workflows.SensorWorkflow;
import dev.lakehouse.workflows.Trigger;
import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.CatalogActivities;
import dev.lakehouse.workflows.activities.SnapshotInfo;
import dev.lakehouse.workflows.assets.Selection;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Polls a raw table's current snapshot; signals the coordinator only when a new snapshot changed the table's
 * record count (Flink also commits snapshots that add nothing, one per checkpoint without data, which would
 * start useless runs). The cursor advances past such snapshots at once, and past others only after a
 * successful signal, so a change seen while the coordinator is down is signalled later.
 */
public class SensorWorkflowImpl implements SensorWorkflow {
  private static final Logger log = Workflow.getLogger(SensorWorkflowImpl.class);
  /**
   * Requests name {@code eager:<table>}, which leaves out models with a schedule of their own; before, {@code
   * <table>+}. Asked before the first signal of an execution, so an older history replays its selection.
   */
  static final String EAGER_SELECTION = "sensor-eager-selection";

  private final CatalogActivities catalog =
      Workflow.newActivityStub(CatalogActivities.class, ActivityOptionsCatalog.quick());
  private SensorInput state;

  @Override
  public void run(SensorInput input) {
    state = input;
    for (int i = 0; i < input.iterationsPerRun(); i++) {
      // read each time: setInterval changes it without a restart (a timer's duration is not part of replay's
      // determinism check, and histories without the signal sleep the input's interval as before)
      Workflow.sleep(Duration.ofMillis(state.intervalMillis()));
      SnapshotInfo snapshot;
      try {
        snapshot = catalog.currentSnapshot(input.table());
      } catch (ActivityFailure e) {
        log.warn("sensor {}: cannot read snapshot: {}", input.table(), RootCause.message(e));
        continue;
      }
      Long id = snapshot == null ? null : snapshot.snapshotId();
      if (id == null || Objects.equals(id, state.lastSnapshotId())) {
        continue;
      }
      Long total = snapshot.totalRecords();
      if (!addsRecords(state, total)) {
        // Flink commits a snapshot on checkpoints without data too: nothing for the models, no run
        state = state.advance(id, total, false);
        continue;
      }
      String selection = Workflow.getVersion(EAGER_SELECTION, Workflow.DEFAULT_VERSION, 1) >= 1
          ? Selection.eager(input.table()) : input.table() + "+";
      try {
        Workflow.newExternalWorkflowStub(MaterializerWorkflow.class, Lakehouse.MATERIALIZER_ID)
            .request(new MaterializeRequest(selection, reason(input.table(), id, state, total), Trigger.SENSOR));
        state = state.advance(id, total, true);
      } catch (SignalExternalWorkflowException | ApplicationFailure e) {
        // the coordinator is not running (NOT_FOUND): keep the cursor, signal again next poll
        log.warn("sensor {}: coordinator not reachable, will signal snapshot {} again: {}", input.table(), id,
            e.getMessage());
      }
    }
    Workflow.continueAsNew(state);
  }

  /**
   * Whether a new snapshot holds records the cursor has not seen: its total record count differs from the
   * cursor's. Unknown counts (a summary without {@code total-records}, a cursor from before counts were kept)
   * count as new, so nothing is ever missed; a first snapshot with no rows is not.
   */
  static boolean addsRecords(SensorInput cursor, Long total) {
    if (total == null) {
      return true;
    }
    if (cursor.lastTotalRecords() == null) {
      return cursor.lastSnapshotId() != null || total > 0;
    }
    return !total.equals(cursor.lastTotalRecords());
  }

  private static String reason(String table, long id, SensorInput cursor, Long total) {
    String base = "sensor " + table + " snapshot " + id;
    return total == null || cursor.lastTotalRecords() == null ? base
        : base + " (" + (total - cursor.lastTotalRecords()) + " records)";
  }

  @Override
  public void setInterval(long intervalMillis) {
    if (intervalMillis > 0) {
      state = state.withInterval(intervalMillis);
    } else {
      log.warn("sensor {}: ignoring interval {} ms (must be positive)", state.table(), intervalMillis);
    }
  }

  @Override
  public SensorInput cursor() {
    return state;
  }
}
