package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.MaterializeInput;
import dev.lakehouse.workflows.MaterializeOutcome;
import dev.lakehouse.workflows.MaterializeWorkflow;
import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelActivities;
import dev.lakehouse.workflows.assets.MaterializePlan;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;

public class MaterializeWorkflowImpl implements MaterializeWorkflow {
  private static final Logger log = Workflow.getLogger(MaterializeWorkflowImpl.class);

  private final ModelActivities models = Workflow.newActivityStub(ModelActivities.class, ActivityOptionsCatalog.models());
  private final RunOwnership ownership = new RunOwnership();

  @Override
  public MaterializeOutcome run(MaterializeInput input) {
    MaterializePlan plan = input.plan();
    ownership.begin(input);
    MaterializeContext context = new MaterializeContext(Workflow.getInfo().getWorkflowId(), plan.selection(),
        input.fullRefresh());
    Map<String, Promise<MaterializeResult>> running = new LinkedHashMap<>();
    Set<String> done = new LinkedHashSet<>();
    Map<String, String> failed = new LinkedHashMap<>();
    Set<String> skipped = new LinkedHashSet<>();
    List<MaterializeResult> results = new ArrayList<>();
    CheckedMaterialization checked = CheckedMaterialization.enabled()
        ? new CheckedMaterialization(models, context, k -> failed.containsKey(k) || skipped.contains(k)) : null;
    log.info("materializing {} (full refresh: {}): {}", plan.selection(), input.fullRefresh(), plan.assetKeys());

    while (done.size() + failed.size() + skipped.size() < plan.steps().size()) {
      for (MaterializePlan.Step step : plan.steps()) {
        String key = step.assetKey();
        if (running.containsKey(key) || done.contains(key) || failed.containsKey(key) || skipped.contains(key)) {
          continue;
        }
        if (step.upstream().stream().anyMatch(u -> failed.containsKey(u) || skipped.contains(u))) {
          skipped.add(key);
        } else if (done.containsAll(step.upstream()) && ownership.mayStart(key)) {
          running.put(key, checked != null ? checked.start(step) : Async.function(models::materialize, key, context));
        }
      }
      ownership.finished(skipped.stream(), List.of());
      int releases = ownership.releases();
      if (running.isEmpty() && plan.steps().stream().map(MaterializePlan.Step::assetKey).allMatch(k ->
          done.contains(k) || failed.containsKey(k) || skipped.contains(k) || ownership.mayStart(k))) {
        continue; // everything left was skipped in this pass
      }
      // a model finished here, or an earlier run released one this run waits for
      Workflow.await(() -> running.values().stream().anyMatch(Promise::isCompleted)
          || ownership.releases() != releases);
      for (var it = running.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getValue().isCompleted()) {
          continue;
        }
        it.remove();
        RuntimeException failure = e.getValue().getFailure();
        if (failure == null) {
          done.add(e.getKey());
          results.add(e.getValue().get());
        } else {
          String message = RootCause.message(failure);
          log.warn("asset {} failed: {}", e.getKey(), message);
          failed.put(e.getKey(), message);
        }
      }
      ownership.finished(Stream.concat(done.stream(), failed.keySet().stream()), results);
    }
    ownership.delivered();

    // every result of the run in one write, failed runs too (status and the console read them from there)
    String notRecorded = checked == null ? null : checked.recordResults();
    if (!failed.isEmpty() || notRecorded != null) {
      StringBuilder sb = new StringBuilder();
      failed.forEach((k, m) -> sb.append(sb.length() == 0 ? "" : "; ").append("asset ").append(k)
          .append(" failed: ").append(m));
      if (!skipped.isEmpty()) {
        sb.append("; skipped downstream: ").append(String.join(", ", skipped));
      }
      if (notRecorded != null) {
        sb.append(sb.length() == 0 ? "" : "; ").append("check results not recorded in ops.asset_checks: ")
            .append(notRecorded);
      }
      throw ApplicationFailure.newNonRetryableFailure(sb.toString(), FailureTypes.MATERIALIZATION_FAILED, results,
          checked == null ? List.of() : checked.reports());
    }
    return new MaterializeOutcome(results, checked == null ? List.of() : checked.reports());
  }

  @Override
  public void released(String assetKey) {
    ownership.released(assetKey);
  }
}
