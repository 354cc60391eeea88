package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.AssetFinished;
import dev.lakehouse.workflows.MaterializeInput;
import dev.lakehouse.workflows.MaterializeOutcome;
import dev.lakehouse.workflows.MaterializeWorkflow;
import dev.lakehouse.workflows.PendingRun;
import dev.lakehouse.workflows.assets.MaterializePlan;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The coordinator's runs in flight, oldest first, and one writer per table across them
 * (docs/architecture.md#overlapping-runs): a run started while others are in flight awaits each model of its plan
 * that an earlier one still has pending; when no earlier run has it pending any more (they reported it done,
 * failed or skipped, or ended), the run is signalled that the model is released. A full refresh overlaps nothing.
 * Releases are derived from this state each time the coordinator's loop wakes, not from single events, so a
 * report that arrives before the run started, or after it ended, changes nothing.
 */
final class RunsInFlight {
  /** One run in flight; {@code seq} orders runs by start. */
  static final class Flight {
    final long seq;
    final String childId;
    final PendingRun run;
    final MaterializePlan plan;
    /** Models of the plan this run has not reported finished: later runs may not write them yet. */
    final Set<String> unfinished;
    /** Models this run waits for an earlier run to finish, not yet released to it. */
    final Set<String> awaiting;
    final MaterializeWorkflow child;
    final Promise<MaterializeOutcome> result;
    final Promise<WorkflowExecution> started;
    boolean startSeen;

    private Flight(long seq, String childId, PendingRun run, MaterializePlan plan, Set<String> awaiting,
        ChildWorkflowOptions options) {
      this.seq = seq;
      this.childId = childId;
      this.run = run;
      this.plan = plan;
      this.unfinished = new LinkedHashSet<>(plan.assetKeys());
      this.awaiting = awaiting;
      this.child = Workflow.newChildWorkflowStub(MaterializeWorkflow.class, options);
      this.result = Async.function(child::run, new MaterializeInput(plan, run.fullRefresh(), List.copyOf(awaiting),
          true));
      this.started = Workflow.getWorkflowExecution(child);
    }
  }

  private final List<Flight> flights = new ArrayList<>();

  boolean isEmpty() {
    return flights.isEmpty();
  }

  int size() {
    return flights.size();
  }

  /** The runs in flight, oldest first. */
  List<PendingRun> runs() {
    return flights.stream().map(f -> f.run).toList();
  }

  /**
   * Whether {@code run} may start now: room for one more, and a full refresh neither starts nor runs beside it.
   * With {@code reportedFreesSlot}, a run that reported every model holds no slot: all it has left is the one
   * write of its check results, and no later run waits for it.
   */
  boolean admits(PendingRun run, int maxInFlight, boolean reportedFreesSlot) {
    long holding = reportedFreesSlot ? flights.stream().filter(f -> !f.unfinished.isEmpty()).count()
        : flights.size();
    return flights.isEmpty() || holding < maxInFlight && !run.fullRefresh()
        && flights.stream().noneMatch(f -> f.run.fullRefresh());
  }

  /** Starts the child: it awaits each model of its plan that a run in flight has not finished. */
  Flight start(long seq, String childId, PendingRun run, MaterializePlan plan, ChildWorkflowOptions options) {
    Set<String> awaiting = new LinkedHashSet<>(plan.assetKeys());
    Set<String> held = new LinkedHashSet<>();
    flights.forEach(f -> held.addAll(f.unfinished));
    awaiting.retainAll(held);
    Flight flight = new Flight(seq, childId, run, plan, awaiting, options);
    flights.add(flight);
    return flight;
  }

  /** A run's report, and its run; one for a run that already ended (the report raced its end) is ignored: null. */
  Flight finished(AssetFinished report) {
    Flight flight = flights.stream().filter(f -> f.childId.equals(report.runWorkflowId())).findFirst().orElse(null);
    if (flight != null) {
      flight.unfinished.remove(report.assetKey());
    }
    return flight;
  }

  /** The oldest run that ended, removed (what it did not report is released with it), or null. */
  Flight nextEnded() {
    for (int i = 0; i < flights.size(); i++) {
      if (flights.get(i).result.isCompleted()) {
        return flights.remove(i);
      }
    }
    return null;
  }

  /**
   * Signals each started run the models it awaits that no earlier run has pending any more. A run whose start
   * failed gets nothing (its result fails). The signal is not waited for: a run that ended meanwhile (its awaited
   * model skipped after an upstream failure) cannot receive it, and needs it no more.
   */
  void release() {
    for (int k = 0; k < flights.size(); k++) {
      Flight flight = flights.get(k);
      if (!flight.started.isCompleted()) {
        continue;
      }
      flight.startSeen = true;
      if (flight.started.getFailure() != null) {
        continue;
      }
      List<Flight> earlier = flights.subList(0, k);
      for (String key : List.copyOf(flight.awaiting)) {
        if (earlier.stream().noneMatch(f -> f.unfinished.contains(key))) {
          flight.awaiting.remove(key);
          Async.procedure(flight.child::released, key);
        }
      }
    }
  }

  /**
   * Whether a run ended or started since the last {@link #release}: the coordinator's loop has work. (A report is a
   * signal, which wakes the loop on its own.)
   */
  boolean changed() {
    return flights.stream().anyMatch(f -> f.result.isCompleted() || f.started.isCompleted() && !f.startSeen);
  }
}
