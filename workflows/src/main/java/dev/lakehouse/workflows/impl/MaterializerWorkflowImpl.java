package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.AssetFinished;
import dev.lakehouse.workflows.Incident;
import dev.lakehouse.workflows.BackfillRequest;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeInput;
import dev.lakehouse.workflows.MaterializeOutcome;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializeWorkflow;
import dev.lakehouse.workflows.MaterializerInput;
import dev.lakehouse.workflows.MaterializerRetry;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.PendingRun;
import dev.lakehouse.workflows.RunSearchAttributes;
import dev.lakehouse.workflows.RunSummary;
import dev.lakehouse.workflows.RunSummary.Status;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.MaterializePlan;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The coordinator. Coalescing: a request merges into the queued run of the same mode (incremental or full
 * refresh), its selection joining the union; so while one run is in progress at most one more incremental
 * run waits. A failed run is queued again as a retry due after a backoff (it coalesces like a request, and a
 * request joining it makes it due at once); other queued runs go first meanwhile. When its retries are used up,
 * its models are recorded as failed until they next succeed. Continues as new after {@code runsPerExecution}
 * runs, after {@code signalsPerExecution} signals (also while paused or idle, when signals are all that grows the
 * history), or when the server suggests it, carrying queue, pause state, counters, materializations and failures.
 */
public class MaterializerWorkflowImpl implements MaterializerWorkflow {
  private static final Logger log = Workflow.getLogger(MaterializerWorkflowImpl.class);
  /** For inputs that do not say (executions started before the setting existed). */
  static final int DEFAULT_SIGNALS_PER_EXECUTION = 1000;
  /**
   * {@code Workflow.getVersion} change IDs of decisions added while coordinators were running. Each is asked only
   * where the new code would issue a command the old code did not (a continue-as-new while waiting, a retry
   * timer), so replaying an older history gets {@code DEFAULT_VERSION} there and decides as the old code did; an
   * execution that has not reached that point yet takes the new behaviour.
   */
  static final String CONTINUE_AS_NEW_ON_SIGNALS = "continue-as-new-on-signals";
  static final String RETRY_FAILED_RUNS = "retry-failed-runs";
  static final String REPORT_FAILED_MODELS = "report-failed-models";
  /** Runs started with search attributes and a memo ({@link RunSearchAttributes}). */
  static final String RUN_SEARCH_ATTRIBUTES = "run-search-attributes";
  /**
   * Several runs in flight, one writer per table ({@link RunsInFlight}). Asked first in each execution, so an
   * execution started before it keeps running one child at a time until it continues as new.
   */
  static final String OVERLAPPING_RUNS = "overlapping-runs";
  /**
   * A run that reported every model holds no slot of the runs in flight ({@link RunsInFlight#admits}). Asked once
   * per execution, when the loop with runs in flight starts.
   */
  static final String REPORTED_FREES_SLOT = "reported-run-frees-slot";
  /** For inputs that do not say: the next run starts while one is in flight. */
  static final int DEFAULT_RUNS_IN_FLIGHT = 2;

  /** The plan or why there is none; recorded with sideEffect, so a spec change never breaks replay. */
  public record PlanResult(MaterializePlan plan, String error) {}

  private final AssetGraph graph;
  private final RunQueue queue = new RunQueue();
  private boolean paused;
  private Boolean pausedBySignal; // set by pause/resume signals, which may arrive before run()
  private PendingRun running;
  private long runsCompleted;
  private long runsFailed;
  private RunSummary lastRun;
  private final ModelOutcomes outcomes = new ModelOutcomes();
  private MaterializerRetry retry = MaterializerRetry.DEFAULT;
  private long signalsThisExecution; // every signal this execution handled, those before run() included
  private Promise<Void> dueTimer; // wakes the loop when the earliest queued retry is due
  private long dueTimerAt;
  private final RunsInFlight flights = new RunsInFlight();
  private long runSeq; // runs started this execution, in start order

  /** A run's summary and, when it failed, the models of its plan that it did not materialize. */
  private record Executed(RunSummary summary, List<String> notMaterialized) {}

  public MaterializerWorkflowImpl(AssetGraph graph) {
    this.graph = graph;
  }

  @Override
  public void run(MaterializerInput input) {
    // Signals delivered with the start (signalWithStart) run before this method: keep what they did,
    // on top of the state carried by the input.
    queue.restore(input.queue());
    if (pausedBySignal == null) {
      paused = input.paused();
    }
    runsCompleted = input.runsCompleted();
    runsFailed = input.runsFailed();
    lastRun = input.lastRun();
    outcomes.restore(input.materializations(), input.failures());
    if (input.retry() != null) {
      retry = input.retry();
    }
    int runsThisExecution = 0;
    int limit = Math.max(1, input.runsPerExecution());
    int signalLimit = input.signalsPerExecution() > 0 ? input.signalsPerExecution() : DEFAULT_SIGNALS_PER_EXECUTION;
    if (Workflow.getVersion(OVERLAPPING_RUNS, Workflow.DEFAULT_VERSION, 1) >= 1) {
      runOverlapping(input, limit, signalLimit);
      return;
    }

    while (true) {
      int next = paused ? -1 : nextDue();
      if (next < 0) {
        // Waiting (paused, idle, or only retries not yet due): signals are what grows the history now.
        if ((signalsThisExecution >= signalLimit || Workflow.getInfo().isContinueAsNewSuggested())
            && Workflow.getVersion(CONTINUE_AS_NEW_ON_SIGNALS, Workflow.DEFAULT_VERSION, 1) >= 1) {
          continueAsNew(input, "while waiting, after " + signalsThisExecution + " signals");
        }
        awaitWork();
        continue;
      }
      running = queue.remove(next);
      Set<String> failedBefore = outcomes.failedModels();
      ended(running, failedBefore, execute(running, ++runSeq), runSeq);
      running = null;
      runsThisExecution++;
      if (runsThisExecution >= limit || Workflow.getInfo().isContinueAsNewSuggested()
          || (signalsThisExecution >= signalLimit
              && Workflow.getVersion(CONTINUE_AS_NEW_ON_SIGNALS, Workflow.DEFAULT_VERSION, 1) >= 1)) {
        continueAsNew(input, "after " + runsThisExecution + " runs and " + signalsThisExecution + " signals");
      }
    }
  }

  /**
   * The loop with runs in flight side by side (docs/architecture.md#overlapping-runs). Each pass: the runs that
   * ended, oldest first; the releases of models no earlier run has pending; then, unless paused or draining, the
   * due runs in queue order while {@link RunsInFlight#admits} them. Draining (the run or signal limit reached, or
   * the server suggests it) starts nothing more, and continues as new only once nothing is in flight: a parent's
   * continue-as-new would close its children.
   */
  private void runOverlapping(MaterializerInput input, int limit, int signalLimit) {
    int maxInFlight = input.maxRunsInFlight() > 0 ? input.maxRunsInFlight() : DEFAULT_RUNS_IN_FLIGHT;
    boolean reportedFreesSlot = Workflow.getVersion(REPORTED_FREES_SLOT, Workflow.DEFAULT_VERSION, 1) >= 1;
    int runsThisExecution = 0;
    while (true) {
      for (RunsInFlight.Flight f = flights.nextEnded(); f != null; f = flights.nextEnded()) {
        Set<String> failedBefore = outcomes.failedModels();
        ended(f.run, failedBefore, finish(f), f.seq);
        runsThisExecution++;
      }
      flights.release();
      boolean draining = runsThisExecution + flights.size() >= limit || signalsThisExecution >= signalLimit
          || Workflow.getInfo().isContinueAsNewSuggested();
      if (draining && flights.isEmpty()) {
        continueAsNew(input, "after " + runsThisExecution + " runs and " + signalsThisExecution + " signals");
      }
      int next = paused || draining ? -1 : nextDue();
      if (next >= 0 && flights.admits(queue.get(next), maxInFlight, reportedFreesSlot)) {
        PendingRun run = queue.remove(next);
        Executed withoutChild = startRun(run, ++runSeq);
        if (withoutChild != null) {
          ended(run, outcomes.failedModels(), withoutChild, runSeq);
          runsThisExecution++;
        }
        continue; // the next due run may start too
      }
      awaitWork(flights::changed);
    }
  }

  /** After a run: counters, a retry or the failures it leaves, and the incidents when the failures changed. */
  private void ended(PendingRun run, Set<String> failedBefore, Executed executed, long seq) {
    lastRun = executed.summary();
    if (lastRun.status().completed()) {
      runsCompleted++;
    } else {
      runsFailed++;
    }
    if (lastRun.status() == Status.FAILED) {
      retryOrRecordFailure(run, executed, seq);
    }
    if (!outcomes.failedModelsEqual(failedBefore)
        && Workflow.getVersion(REPORT_FAILED_MODELS, Workflow.DEFAULT_VERSION, 1) >= 1) {
      // a model failed after its last retry, or succeeded again: one alert each (incidents)
      Incidents.report(Lakehouse.MATERIALIZER_ID, outcomes.failures().stream().map(f -> new Incident(
          Lakehouse.MATERIALIZER_ID, Incident.Kind.MODEL_FAILED, f.assetKey(), f.assetKey() + " failed after "
          + f.attempts() + " attempt(s): " + f.message(), f.atMillis(), f.runWorkflowId())).toList());
    }
  }

  /**
   * Continues as new carrying the whole state. No signal is lost: everything that can wake this (main) thread, a
   * signal, the retry timer or the child's result, reaches the workflow as a callback, and the SDK runs the
   * callbacks of a workflow task's events in history order before a thread blocked in {@code await} or
   * {@code child.run} resumes; so when this thread gets here, request(), backfill(), pause() and resume() have
   * already applied every signal delivered up to this workflow task to the fields carried below. A signal that
   * arrives while the task is in flight is not in it: the server then rejects the task's continue-as-new
   * (unhandled command) and sends a new task holding that signal, in which this decision is taken again with it.
   * Signals after the continue-as-new address the workflow ID and reach the new run, whose run() keeps what its
   * handlers queued before it started.
   */
  private void continueAsNew(MaterializerInput input, String why) {
    log.info("continuing as new {}: {} queued, paused={}", why, queue.size(), paused);
    Workflow.continueAsNew(new MaterializerInput(input.runsPerExecution(), queue.runs(), paused, runsCompleted,
        runsFailed, lastRun, outcomes.materializations(), input.signalsPerExecution(), retry,
        outcomes.failures(), input.maxRunsInFlight()));
  }

  /** Index of the first queued run that is due (retries wait for their time), or -1. */
  private int nextDue() {
    return queue.nextDue(Workflow.currentTimeMillis());
  }

  /**
   * Blocks until a signal is handled or, when not paused, the earliest queued retry is due: one timer per due
   * time, so being woken by signals meanwhile adds no timers. Without retries this creates no command, as the
   * await of older versions did not.
   */
  private void awaitWork() {
    awaitWork(() -> false);
  }

  /** {@link #awaitWork()}, also woken when {@code more} holds. */
  private void awaitWork(java.util.function.BooleanSupplier more) {
    long seen = signalsThisExecution;
    long due = paused ? Long.MAX_VALUE
        : queue.earliestDue();
    if (due == Long.MAX_VALUE) {
      Workflow.await(() -> signalsThisExecution != seen || more.getAsBoolean());
      return;
    }
    if (dueTimer == null || dueTimerAt != due || dueTimer.isCompleted()) {
      dueTimerAt = due;
      dueTimer = Workflow.newTimer(Duration.ofMillis(Math.max(1, due - Workflow.currentTimeMillis())));
    }
    Promise<Void> timer = dueTimer;
    Workflow.await(() -> signalsThisExecution != seen || timer.isCompleted() || more.getAsBoolean());
  }

  /**
   * After a FAILED run: queue it again as the next retry, due after its backoff, while retries are left;
   * otherwise record the models it did not materialize as failed (until their next success).
   */
  private void retryOrRecordFailure(PendingRun run, Executed executed, long seq) {
    int attempt = run.retry() + 1;
    long now = Workflow.currentTimeMillis();
    if (attempt <= retry.retries()
        && Workflow.getVersion(RETRY_FAILED_RUNS, Workflow.DEFAULT_VERSION, 1) >= 1) {
      long backoff = retry.backoffMillis(attempt);
      log.info("retry {} of {} of '{}' in {} ms", attempt, retry.retries(), run.selection(), backoff);
      queue.merge(new PendingRun(run.selections(), run.fullRefresh(), run.requests(), attempt, now + backoff,
          run.triggers(), run.reasons()));
      return;
    }
    RunSummary failed = executed.summary();
    outcomes.failed(executed.notMaterialized(), seq, now, failed.workflowId(), failed.error(), attempt);
  }

  /** One run, start to end: the loop of coordinators before {@link #OVERLAPPING_RUNS}. */
  private Executed execute(PendingRun run, long seq) {
    PlanResult planned = plan(run);
    Executed withoutChild = withoutChild(run, planned);
    if (withoutChild != null) {
      return withoutChild;
    }
    String childId = childId(0);
    ChildWorkflowOptions.Builder options = ChildWorkflowOptions.newBuilder().setWorkflowId(childId);
    if (Workflow.getVersion(RUN_SEARCH_ATTRIBUTES, Workflow.DEFAULT_VERSION, 1) >= 1) {
      options.setTypedSearchAttributes(RunSearchAttributes.of(planned.plan().assetKeys(), run))
          .setMemo(RunSearchAttributes.memo(run));
    }
    MaterializeWorkflow child = Workflow.newChildWorkflowStub(MaterializeWorkflow.class, options.build());
    try {
      return completed(run, childId, child.run(new MaterializeInput(planned.plan(), run.fullRefresh())), seq);
    } catch (ChildWorkflowFailure e) {
      return failed(run, childId, planned.plan(), e, seq);
    }
  }

  /** Starts a run beside those in flight; a run without a child (no plan, no model) is returned ended. */
  private Executed startRun(PendingRun run, long seq) {
    PlanResult planned = plan(run);
    Executed withoutChild = withoutChild(run, planned);
    if (withoutChild != null) {
      return withoutChild;
    }
    String childId = childId(flights.size());
    ChildWorkflowOptions options = ChildWorkflowOptions.newBuilder().setWorkflowId(childId)
        .setTypedSearchAttributes(RunSearchAttributes.of(planned.plan().assetKeys(), run))
        .setMemo(RunSearchAttributes.memo(run)).build();
    RunsInFlight.Flight flight = flights.start(seq, childId, run, planned.plan(), options);
    log.info("run {} started, awaiting {} from earlier runs", childId, flight.awaiting);
    return null;
  }

  /** A run in flight that ended. */
  private Executed finish(RunsInFlight.Flight f) {
    try {
      return completed(f.run, f.childId, f.result.get(), f.seq);
    } catch (ChildWorkflowFailure e) {
      return failed(f.run, f.childId, f.plan, e, f.seq);
    }
  }

  /** Numbered by runs ended plus those in flight, so two in flight never share a number. */
  private String childId(int inFlight) {
    return Lakehouse.MATERIALIZER_ID + "-run-" + (runsCompleted + runsFailed + inFlight + 1) + "-"
        + Workflow.randomUUID().toString().substring(0, 8);
  }

  private PlanResult plan(PendingRun run) {
    String selection = run.selection();
    return Workflow.sideEffect(PlanResult.class, () -> {
      try {
        return new PlanResult(graph.plan(selection), null);
      } catch (IllegalArgumentException e) {
        return new PlanResult(null, e.getMessage());
      }
    });
  }

  /** The end of a run that needs no child: an invalid selection, or one without models; else null. */
  private static Executed withoutChild(PendingRun run, PlanResult planned) {
    String selection = run.selection();
    if (planned.error() != null) {
      log.warn("invalid selection {}: {}", selection, planned.error());
      return new Executed(new RunSummary(null, selection, run.fullRefresh(), Status.INVALID_SELECTION, List.of(),
          planned.error()), List.of());
    }
    if (planned.plan().steps().isEmpty()) {
      return new Executed(new RunSummary(null, selection, run.fullRefresh(), Status.NOTHING_TO_RUN, List.of(),
          "the selection contains no model"), List.of());
    }
    return null;
  }

  private Executed completed(PendingRun run, String childId, MaterializeOutcome outcome, long seq) {
    materialized(outcome.results(), childId, run.fullRefresh(), seq);
    return new Executed(new RunSummary(childId, run.selection(), run.fullRefresh(), Status.COMPLETED,
        outcome.results(), null), List.of());
  }

  private Executed failed(PendingRun run, String childId, MaterializePlan plan, ChildWorkflowFailure e, long seq) {
    String message = RootCause.message(e);
    log.warn("run {} failed: {}", childId, message);
    // the models that did succeed are materialized all the same (their watermarks moved)
    List<MaterializeResult> succeeded = succeededBeforeFailure(e);
    materialized(succeeded, childId, run.fullRefresh(), seq);
    List<String> notMaterialized = new ArrayList<>(plan.assetKeys());
    succeeded.forEach(r -> notMaterialized.remove(r.assetKey()));
    return new Executed(new RunSummary(childId, run.selection(), run.fullRefresh(), Status.FAILED, List.of(),
        message), notMaterialized);
  }

  /** Records successful materializations ({@link ModelOutcomes#materialized}) at the time of this workflow task. */
  private void materialized(List<MaterializeResult> results, String childId, boolean fullRefresh, long seq) {
    outcomes.materialized(results, childId, fullRefresh, seq, Workflow.currentTimeMillis());
  }

  /** The results a failed MaterializeWorkflow carries as details: the models that did succeed. */
  private static List<MaterializeResult> succeededBeforeFailure(ChildWorkflowFailure e) {
    if (e.getCause() instanceof ApplicationFailure af && FailureTypes.MATERIALIZATION_FAILED.equals(af.getType())
        && af.getDetails().getSize() > 0) {
      MaterializeResult[] results = af.getDetails().get(0, MaterializeResult[].class);
      return results == null ? List.of() : List.of(results);
    }
    return List.of();
  }

  @Override
  public void request(MaterializeRequest request) {
    signalsThisExecution++;
    log.info("request {} ({})", request.selection(), request.reason());
    queue.enqueue(request.selection(), false, request.trigger(), request.reason());
  }

  @Override
  public void backfill(BackfillRequest request) {
    signalsThisExecution++;
    log.info("backfill {} full refresh {} ({})", request.selection(), request.fullRefresh(), request.reason());
    queue.enqueue(request.selection(), request.fullRefresh(), request.trigger(), request.reason());
  }

  @Override
  public void assetFinished(AssetFinished finished) {
    signalsThisExecution++;
    RunsInFlight.Flight flight = flights.finished(finished);
    if (flight != null && finished.result() != null) { // recorded now, not only when the run ends
      materialized(List.of(finished.result()), flight.childId, flight.run.fullRefresh(), flight.seq);
    }
  }

  @Override
  public void pause() {
    signalsThisExecution++;
    paused = true;
    pausedBySignal = true;
  }

  @Override
  public void resume() {
    signalsThisExecution++;
    paused = false;
    pausedBySignal = false;
  }

  @Override
  public MaterializerStatus status() {
    List<PendingRun> inFlight = running != null ? List.of(running) : flights.runs();
    return new MaterializerStatus(paused, inFlight.isEmpty() ? null : inFlight.get(0), queue.runs(), runsCompleted,
        runsFailed, lastRun, outcomes.materializations(), outcomes.failures(), retry, inFlight);
  }

  @Override
  public List<PendingRun> queue() {
    return List.copyOf(queue.runs());
  }
}
