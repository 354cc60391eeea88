package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.AssetChecksInput;
import dev.lakehouse.workflows.AssetChecksOutcome;
import dev.lakehouse.workflows.AssetChecksWorkflow;
import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.AssetCheckActivities;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.CheckRecord;
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
  private final AssetCheckActivities records =
      Workflow.newActivityStub(AssetCheckActivities.class, ActivityOptionsCatalog.checkRecords());

  @Override
  public AssetChecksOutcome run(AssetChecksInput input) {
    String runId = Workflow.getInfo().getWorkflowId();
    boolean recordAtEnd = CheckedMaterialization.recordsAtEnd();
    Map<String, Promise<AssetCheckReport>> running = new LinkedHashMap<>();
    for (String asset : input.assets()) {
      CheckRequest request = new CheckRequest(runId, input.wholeTable(), null, null);
      running.put(asset, recordAtEnd ? Async.function(checks::evaluate, asset, request)
          : Async.function(checks::check, asset, request));
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
    String notRecorded = CheckedMaterialization.record(records,
        new CheckRecord(runId, input.wholeTable(), reports), recordAtEnd);
    if (notRecorded != null) {
      // evaluated but not written: say so for each, the results are still printed
      reports.stream().filter(r -> !r.results().isEmpty()).forEach(r -> errors.put(r.assetKey(),
          "results not recorded in ops.asset_checks: " + notRecorded));
    }
    return new AssetChecksOutcome(reports, errors);
  }
}
