package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.SpecApplyActivities;
import dev.lakehouse.workflows.apply.ApplyAction;
import dev.lakehouse.workflows.apply.ApplyActionKind;
import dev.lakehouse.workflows.apply.ApplyPlan;
import dev.lakehouse.workflows.apply.ApplyReport;
import dev.lakehouse.workflows.apply.ApplyRequest;
import dev.lakehouse.workflows.apply.ApplySystem;
import dev.lakehouse.workflows.apply.ObservedState;
import dev.lakehouse.workflows.apply.SpecApplyWorkflow;
import dev.lakehouse.workflows.apply.SpecPlanner;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Observes, plans ({@link SpecPlanner}, deterministic: the observation is an activity result in the history), and
 * converges one system after the other, each only when the plan has actions for it. The order matters: the
 * publication must cover a table before the connector captures it, the raw table must exist before the job inserts
 * into it; the new tables' snapshots, signalled with the connector's update, are awaited last. A failed step fails
 * the workflow; every step is idempotent, so applying again resumes.
 */
public class SpecApplyWorkflowImpl implements SpecApplyWorkflow {
  private final SpecApplyActivities quick =
      Workflow.newActivityStub(SpecApplyActivities.class, ActivityOptionsCatalog.quick());
  /** The change that added {@link SpecApplyActivities#awaitSnapshots} (histories from before it replay without). */
  static final String AWAIT_SNAPSHOTS = "await-snapshots";

  private final SpecApplyActivities awaiting =
      Workflow.newActivityStub(SpecApplyActivities.class, ActivityOptionsCatalog.awaiting());
  private final SpecApplyActivities snapshots =
      Workflow.newActivityStub(SpecApplyActivities.class, ActivityOptionsCatalog.snapshots());

  @Override
  public ApplyReport apply(ApplyRequest request) {
    ObservedState observed = quick.observe(request.desired());
    ApplyPlan plan = SpecPlanner.plan(request.desired(), observed, request.allowRemoval());
    if (request.dryRun() || plan.refused() || plan.nothingToDo()) {
      return new ApplyReport(plan, request.dryRun(), List.of());
    }
    List<String> changes = new ArrayList<>();
    if (!plan.of(ApplySystem.SOURCE).isEmpty()) {
      changes.addAll(quick.convergeSource(request.desired()));
    }
    List<String> snapshot = plan.of(ApplySystem.DEBEZIUM).stream()
        .filter(a -> a.kind() == ApplyActionKind.CONNECTOR_SNAPSHOT_TABLE).map(ApplyAction::target).toList();
    if (!plan.of(ApplySystem.DEBEZIUM).isEmpty()) {
      changes.addAll(awaiting.convergeConnector(request.desired(), snapshot));
    }
    if (!plan.of(ApplySystem.ICEBERG).isEmpty()) {
      changes.addAll(quick.convergeIceberg(request.desired(), plan.of(ApplySystem.ICEBERG)));
    }
    if (!plan.of(ApplySystem.FLINK).isEmpty()) {
      changes.addAll(awaiting.convergeIngestJob(request.desired()));
    }
    // last: the snapshot's rows flow into the raw table meanwhile, and a long one keeps nothing else waiting
    if (!snapshot.isEmpty()
        && Workflow.getVersion(AWAIT_SNAPSHOTS, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION) {
      changes.addAll(snapshots.awaitSnapshots(request.desired(), snapshot));
    }
    return new ApplyReport(plan, false, changes);
  }
}
