package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.AssetChecksInput;
import dev.lakehouse.workflows.AssetChecksOutcome;
import dev.lakehouse.workflows.AssetChecksWorkflow;
import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.AssetCheckActivities;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.CheckRequest;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class AssetChecksWorkflowImpl implements AssetChecksWorkflow {
  private final AssetCheckActivities checks =
      Workflow.newActivityStub(AssetCheckActivities.class, ActivityOptionsCatalog.checks());

  @Override
  public AssetChecksOutcome run(AssetChecksInput input) {
    String runId = Workflow.getInfo().getWorkflowId();
    Map<String, Promise<AssetCheckReport>> running = new LinkedHashMap<>();
    for (String asset : input.assets()) {
      running.put(asset, Async.function(checks::check, asset, new CheckRequest(runId, input.wholeTable(), null, null)));
    }
    List<AssetCheckReport> reports = new ArrayList<>();
    Map<String, String> errors = new LinkedHashMap<>();
    running.forEach((asset, p) -> {
      try {
        reports.add(p.get());
      } catch (RuntimeException e) {
        errors.put(asset, RootCause.message(e));
      }
    });
    return new AssetChecksOutcome(reports, errors);
  }
}
