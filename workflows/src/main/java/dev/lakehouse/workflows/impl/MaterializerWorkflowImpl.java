package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.AssetMaterialization;
import dev.lakehouse.workflows.BackfillRequest;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeInput;
import dev.lakehouse.workflows.MaterializeOutcome;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializeWorkflow;
import dev.lakehouse.workflows.MaterializerInput;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.PendingRun;
import dev.lakehouse.workflows.RunSummary;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.MaterializePlan;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
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
 * run waits. Continues as new after {@code runsPerExecution} runs (or when the server suggests it),
 * carrying queue, pause state and counters.
 */
public class MaterializerWorkflowImpl implements MaterializerWorkflow {
  private static final Logger log = Workflow.getLogger(MaterializerWorkflowImpl.class);
  static final String ALL_MODELS = "kind:model";

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
    int runsThisExecution = 0;
    int limit = Math.max(1, input.runsPerExecution());

    while (true) {
      Workflow.await(() -> !paused && !queue.isEmpty());
      running = queue.remove(0);
      lastRun = execute(running);
      if ("COMPLETED".equals(lastRun.status()) || "NOTHING_TO_RUN".equals(lastRun.status())) {
        runsCompleted++;
      } else {
        runsFailed++;
      }
      running = null;
      runsThisExecution++;
      if (runsThisExecution >= limit || Workflow.getInfo().isContinueAsNewSuggested()) {
        log.info("continuing as new after {} runs, {} queued, paused={}", runsThisExecution, queue.size(), paused);
        Workflow.continueAsNew(new MaterializerInput(input.runsPerExecution(), queue, paused, runsCompleted,
            runsFailed, lastRun, List.copyOf(materializations.values())));
      }
    }
  }

  private RunSummary execute(PendingRun run) {
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
      return new RunSummary(null, selection, run.fullRefresh(), "INVALID_SELECTION", List.of(), planned.error());
    }
    if (planned.plan().steps().isEmpty()) {
      return new RunSummary(null, selection, run.fullRefresh(), "NOTHING_TO_RUN", List.of(),
          "the selection contains no model");
    }
    String childId = Lakehouse.MATERIALIZER_ID + "-run-" + (runsCompleted + runsFailed + 1) + "-"
        + Workflow.randomUUID().toString().substring(0, 8);
    MaterializeWorkflow child = Workflow.newChildWorkflowStub(MaterializeWorkflow.class,
        ChildWorkflowOptions.newBuilder().setWorkflowId(childId).build());
    try {
      MaterializeOutcome outcome = child.run(new MaterializeInput(planned.plan(), run.fullRefresh()));
      long now = Workflow.currentTimeMillis(); // deterministic: the time of this workflow task
      outcome.results().forEach(r -> materializations.put(r.assetKey(),
          new AssetMaterialization(r.assetKey(), now, childId, run.fullRefresh(), r.rowsOut())));
      return new RunSummary(childId, selection, run.fullRefresh(), "COMPLETED", outcome.results(), null);
    } catch (ChildWorkflowFailure e) {
      String message = Failures.rootMessage(e);
      log.warn("run {} failed: {}", childId, message);
      return new RunSummary(childId, selection, run.fullRefresh(), "FAILED", List.of(), message);
    }
  }

  private void enqueue(String selection, boolean fullRefresh) {
    String sel = selection == null || selection.isBlank() ? ALL_MODELS : selection.trim();
    merge(new PendingRun(List.of(sel), fullRefresh, 1));
  }

  /** Coalesces into the queued run of the same mode, or appends. */
  private void merge(PendingRun run) {
    for (int i = 0; i < queue.size(); i++) {
      PendingRun p = queue.get(i);
      if (p.fullRefresh() == run.fullRefresh()) {
        Set<String> union = new LinkedHashSet<>(p.selections());
        union.addAll(run.selections());
        queue.set(i, new PendingRun(new ArrayList<>(union), p.fullRefresh(), p.requests() + run.requests()));
        return;
      }
    }
    queue.add(run);
  }

  @Override
  public void request(MaterializeRequest request) {
    log.info("request {} ({})", request.selection(), request.reason());
    enqueue(request.selection(), false);
  }

  @Override
  public void backfill(BackfillRequest request) {
    log.info("backfill {} full refresh {} ({})", request.selection(), request.fullRefresh(), request.reason());
    enqueue(request.selection(), request.fullRefresh());
  }

  @Override
  public void pause() {
    paused = true;
    pausedBySignal = true;
  }

  @Override
  public void resume() {
    paused = false;
    pausedBySignal = false;
  }

  @Override
  public MaterializerStatus status() {
    return new MaterializerStatus(paused, running, queue, runsCompleted, runsFailed, lastRun,
        List.copyOf(materializations.values()));
  }

  @Override
  public List<PendingRun> queue() {
    return List.copyOf(queue);
  }
}
