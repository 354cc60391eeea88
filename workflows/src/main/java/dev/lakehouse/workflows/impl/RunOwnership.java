package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.AssetFinished;
import dev.lakehouse.workflows.MaterializeInput;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.activities.MaterializeResult;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The run's side of one writer per table across overlapping runs (docs/architecture.md#overlapping-runs): a model
 * an earlier run still has pending ({@link MaterializeInput#awaiting}) starts only once the coordinator released
 * it; each model that is done, failed or skipped here is reported to the coordinator, which then releases it to
 * later runs. Runs of older coordinators have nothing awaiting and report nothing, so they issue the same commands
 * as before.
 */
final class RunOwnership {
  /** The {@code Workflow.getVersion} change ID of the reports to the coordinator. */
  static final String VERSION_CHANGE = "report-assets-to-coordinator";

  private final Set<String> awaiting = new HashSet<>();
  /** Kept from the signal handler, which may run before {@link #begin} (a release racing the run's start). */
  private final Set<String> released = new HashSet<>();
  private final Set<String> reported = new LinkedHashSet<>();
  private MaterializerWorkflow coordinator;
  private final List<Promise<Void>> reports = new ArrayList<>();

  /** Called first in the run: what to wait for and whom to report to. */
  void begin(MaterializeInput input) {
    awaiting.addAll(input.awaiting());
    String parent = Workflow.getInfo().getParentWorkflowId().orElse(null);
    if (input.reportsToCoordinator() && parent != null
        && Workflow.getVersion(VERSION_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      coordinator = Workflow.newExternalWorkflowStub(MaterializerWorkflow.class, parent);
    }
  }

  /** The signal handler. */
  void released(String assetKey) {
    released.add(assetKey);
  }

  /** Whether no earlier run has {@code assetKey} pending. */
  boolean mayStart(String assetKey) {
    return !awaiting.contains(assetKey) || released.contains(assetKey);
  }

  /** How many releases arrived: the run's loop waits for this to change when only awaited models are left. */
  int releases() {
    return released.size();
  }

  /**
   * Reports the models newly done, failed or skipped, each once. The signal is not waited for here, so the run
   * goes on at once; {@link #delivered} waits for them all before the run ends.
   */
  void finished(Stream<String> assetKeys, List<MaterializeResult> results) {
    if (coordinator == null) {
      return;
    }
    String runId = Workflow.getInfo().getWorkflowId();
    assetKeys.filter(reported::add).toList()
        .forEach(key -> reports.add(Async.procedure(coordinator::assetFinished, new AssetFinished(runId, key,
            results.stream().filter(r -> r.assetKey().equals(key)).findFirst().orElse(null)))));
  }

  /**
   * Waits until every report was delivered or refused, before the run ends: a run must not complete with signals
   * of its own still in flight. A refused one (the coordinator is gone) changes nothing: the coordinator releases
   * whatever a run did not report when the run ends.
   */
  void delivered() {
    Workflow.await(() -> reports.stream().allMatch(Promise::isCompleted));
  }
}
