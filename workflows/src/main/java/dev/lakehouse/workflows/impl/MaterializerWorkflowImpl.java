package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.AssetFailure;
import dev.lakehouse.workflows.Incident;
import dev.lakehouse.workflows.AssetMaterialization;
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
import dev.lakehouse.workflows.assets.Selection;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

  /** The plan or why there is none; recorded with sideEffect, so a spec change never breaks replay. */
  public record PlanResult(MaterializePlan plan, String error) {}

  private final AssetGraph graph;
  private final List<PendingRun> queue = new ArrayList<>();
  private boolean paused;
  private Boolean pausedBySignal; // set by pause/resume signals, which may arrive before run()
  private PendingRun running;
  private long runsCompleted;
  private long runsFailed;
  private RunSummary lastRun;
  private final Map<String, AssetMaterialization> materializations = new TreeMap<>();
  private final Map<String, AssetFailure> failures = new TreeMap<>();
  private MaterializerRetry retry = MaterializerRetry.DEFAULT;
  private long signalsThisExecution; // every signal this execution handled, those before run() included
  private Promise<Void> dueTimer; // wakes the loop when the earliest queued retry is due
  private long dueTimerAt;

  /** A run's summary and, when it failed, the models of its plan that it did not materialize. */
  private record Executed(RunSummary summary, List<String> notMaterialized) {}

  public MaterializerWorkflowImpl(AssetGraph graph) {
    this.graph = graph;
  }

  @Override
  public void run(MaterializerInput input) {
    // Signals delivered with the start (signalWithStart) run before this method: keep what they did,
    // on top of the state carried by the input.
    List<PendingRun> early = new ArrayList<>(queue);
    queue.clear();
    input.queue().forEach(this::merge);
    early.forEach(this::merge);
    if (pausedBySignal == null) {
      paused = input.paused();
    }
    runsCompleted = input.runsCompleted();
    runsFailed = input.runsFailed();
    lastRun = input.lastRun();
    input.materializations().forEach(m -> materializations.put(m.assetKey(), m));
    input.failures().forEach(f -> failures.put(f.assetKey(), f));
    if (input.retry() != null) {
      retry = input.retry();
    }
    int runsThisExecution = 0;
    int limit = Math.max(1, input.runsPerExecution());
    int signalLimit = input.signalsPerExecution() > 0 ? input.signalsPerExecution() : DEFAULT_SIGNALS_PER_EXECUTION;

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
      Set<String> failedBefore = Set.copyOf(failures.keySet());
      Executed executed = execute(running);
      lastRun = executed.summary();
      if (lastRun.status().completed()) {
        runsCompleted++;
      } else {
        runsFailed++;
      }
      if (lastRun.status() == Status.FAILED) {
        retryOrRecordFailure(running, executed);
      }
      if (!failures.keySet().equals(failedBefore)
          && Workflow.getVersion(REPORT_FAILED_MODELS, Workflow.DEFAULT_VERSION, 1) >= 1) {
        // a model failed after its last retry, or succeeded again: one alert each (incidents)
        Incidents.report(Lakehouse.MATERIALIZER_ID, failures.values().stream().map(f -> new Incident(
            Lakehouse.MATERIALIZER_ID, Incident.Kind.MODEL_FAILED, f.assetKey(), f.assetKey() + " failed after "
            + f.attempts() + " attempt(s): " + f.message(), f.atMillis(), f.runWorkflowId())).toList());
      }
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
    Workflow.continueAsNew(new MaterializerInput(input.runsPerExecution(), queue, paused, runsCompleted,
        runsFailed, lastRun, List.copyOf(materializations.values()), input.signalsPerExecution(), retry,
        List.copyOf(failures.values())));
  }

  /** Index of the first queued run that is due (retries wait for their time), or -1. */
  private int nextDue() {
    long now = Workflow.currentTimeMillis();
    for (int i = 0; i < queue.size(); i++) {
      if (queue.get(i).dueAtMillis() <= now) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Blocks until a signal is handled or, when not paused, the earliest queued retry is due: one timer per due
   * time, so being woken by signals meanwhile adds no timers. Without retries this creates no command, as the
   * await of older versions did not.
   */
  private void awaitWork() {
    long seen = signalsThisExecution;
    long due = paused ? Long.MAX_VALUE
        : queue.stream().mapToLong(PendingRun::dueAtMillis).min().orElse(Long.MAX_VALUE);
    if (due == Long.MAX_VALUE) {
      Workflow.await(() -> signalsThisExecution != seen);
      return;
    }
    if (dueTimer == null || dueTimerAt != due || dueTimer.isCompleted()) {
      dueTimerAt = due;
      dueTimer = Workflow.newTimer(Duration.ofMillis(Math.max(1, due - Workflow.currentTimeMillis())));
    }
    Promise<Void> timer = dueTimer;
    Workflow.await(() -> signalsThisExecution != seen || timer.isCompleted());
  }

  /**
   * After a FAILED run: queue it again as the next retry, due after its backoff, while retries are left;
   * otherwise record the models it did not materialize as failed (until their next success).
   */
  private void retryOrRecordFailure(PendingRun run, Executed executed) {
    int attempt = run.retry() + 1;
    long now = Workflow.currentTimeMillis();
    if (attempt <= retry.retries()
        && Workflow.getVersion(RETRY_FAILED_RUNS, Workflow.DEFAULT_VERSION, 1) >= 1) {
      long backoff = retry.backoffMillis(attempt);
      log.info("retry {} of {} of '{}' in {} ms", attempt, retry.retries(), run.selection(), backoff);
      merge(new PendingRun(run.selections(), run.fullRefresh(), run.requests(), attempt, now + backoff,
          run.triggers(), run.reasons()));
      return;
    }
    RunSummary failed = executed.summary();
    executed.notMaterialized().forEach(key -> failures.put(key,
        new AssetFailure(key, now, failed.workflowId(), failed.error(), attempt)));
  }

  private Executed execute(PendingRun run) {
    String selection = run.selection();
    PlanResult planned = Workflow.sideEffect(PlanResult.class, () -> {
      try {
        return new PlanResult(graph.plan(selection), null);
      } catch (IllegalArgumentException e) {
        return new PlanResult(null, e.getMessage());
      }
    });
    if (planned.error() != null) {
      log.warn("invalid selection {}: {}", selection, planned.error());
      return new Executed(new RunSummary(null, selection, run.fullRefresh(), Status.INVALID_SELECTION, List.of(),
          planned.error()), List.of());
    }
    if (planned.plan().steps().isEmpty()) {
      return new Executed(new RunSummary(null, selection, run.fullRefresh(), Status.NOTHING_TO_RUN, List.of(),
          "the selection contains no model"), List.of());
    }
    String childId = Lakehouse.MATERIALIZER_ID + "-run-" + (runsCompleted + runsFailed + 1) + "-"
        + Workflow.randomUUID().toString().substring(0, 8);
    ChildWorkflowOptions.Builder options = ChildWorkflowOptions.newBuilder().setWorkflowId(childId);
    if (Workflow.getVersion(RUN_SEARCH_ATTRIBUTES, Workflow.DEFAULT_VERSION, 1) >= 1) {
      options.setTypedSearchAttributes(RunSearchAttributes.of(planned.plan().assetKeys(), run))
          .setMemo(RunSearchAttributes.memo(run));
    }
    MaterializeWorkflow child = Workflow.newChildWorkflowStub(MaterializeWorkflow.class, options.build());
    try {
      MaterializeOutcome outcome = child.run(new MaterializeInput(planned.plan(), run.fullRefresh()));
      materialized(outcome.results(), childId, run.fullRefresh());
      return new Executed(new RunSummary(childId, selection, run.fullRefresh(), Status.COMPLETED, outcome.results(),
          null), List.of());
    } catch (ChildWorkflowFailure e) {
      String message = RootCause.message(e);
      log.warn("run {} failed: {}", childId, message);
      // the models that did succeed are materialized all the same (their watermarks moved)
      List<MaterializeResult> succeeded = succeededBeforeFailure(e);
      materialized(succeeded, childId, run.fullRefresh());
      List<String> notMaterialized = new ArrayList<>(planned.plan().assetKeys());
      succeeded.forEach(r -> notMaterialized.remove(r.assetKey()));
      return new Executed(new RunSummary(childId, selection, run.fullRefresh(), Status.FAILED, List.of(), message),
          notMaterialized);
    }
  }

  /** Records successful materializations; a success ends a model's failure. */
  private void materialized(List<MaterializeResult> results, String childId, boolean fullRefresh) {
    long now = Workflow.currentTimeMillis(); // deterministic: the time of this workflow task
    results.forEach(r -> {
      materializations.put(r.assetKey(), new AssetMaterialization(r.assetKey(), now, childId, fullRefresh,
          r.rowsOut()));
      failures.remove(r.assetKey());
    });
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

  private void enqueue(String selection, boolean fullRefresh, String trigger, String reason) {
    merge(new PendingRun(List.of(Selection.orAllModels(selection)), fullRefresh, 1, 0, 0,
        trigger == null ? List.of() : List.of(trigger), reason == null ? List.of() : List.of(reason)));
  }

  /**
   * Coalesces into the queued run of the same mode, or appends. A merged run keeps the higher retry number and
   * the earlier due time: a request joining a retry that waits for its backoff makes it run at once.
   */
  private void merge(PendingRun run) {
    for (int i = 0; i < queue.size(); i++) {
      PendingRun p = queue.get(i);
      if (p.fullRefresh() == run.fullRefresh()) {
        queue.set(i, new PendingRun(union(p.selections(), run.selections()), p.fullRefresh(),
            p.requests() + run.requests(), Math.max(p.retry(), run.retry()), Math.min(p.dueAtMillis(), run.dueAtMillis()),
            union(p.triggers(), run.triggers()), union(p.reasons(), run.reasons())));
        return;
      }
    }
    queue.add(run);
  }

  private static List<String> union(List<String> a, List<String> b) {
    Set<String> union = new LinkedHashSet<>(a);
    union.addAll(b);
    return new ArrayList<>(union);
  }

  @Override
  public void request(MaterializeRequest request) {
    signalsThisExecution++;
    log.info("request {} ({})", request.selection(), request.reason());
    enqueue(request.selection(), false, request.trigger(), request.reason());
  }

  @Override
  public void backfill(BackfillRequest request) {
    signalsThisExecution++;
    log.info("backfill {} full refresh {} ({})", request.selection(), request.fullRefresh(), request.reason());
    enqueue(request.selection(), request.fullRefresh(), request.trigger(), request.reason());
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
    return new MaterializerStatus(paused, running, queue, runsCompleted, runsFailed, lastRun,
        List.copyOf(materializations.values()), List.copyOf(failures.values()), retry);
  }

  @Override
  public List<PendingRun> queue() {
    return List.copyOf(queue);
  }
}
