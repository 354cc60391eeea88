package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.AssetCheckActivities;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRequest;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * One asset of a {@code MaterializeWorkflow} run with its checks (docs/models.md#checks): the materialization
 * activity, then, once the models its checks read ({@link MaterializePlan.Step#checkAfter}) are materialized in
 * this run or will not be, the check activity. A failed check of severity error fails the asset, so the run's
 * loop skips its downstream models like after a failed materialization; warnings are only reported.
 */
final class CheckedMaterialization {
  /** The {@code Workflow.getVersion} change ID that added checks to runs. */
  static final String VERSION_CHANGE = "asset-checks";

  private static final Logger log = Workflow.getLogger(CheckedMaterialization.class);

  private final AssetCheckActivities checks =
      Workflow.newActivityStub(AssetCheckActivities.class, ActivityOptionsCatalog.checks());
  private final ModelActivities models;
  private final MaterializeContext context;
  /** {@code key -> true} when the asset failed or was skipped in this run: nothing to wait for */
  private final Predicate<String> givenUp;
  private final Set<String> materialized = new HashSet<>();
  private final List<AssetCheckReport> reports = new ArrayList<>();

  CheckedMaterialization(ModelActivities models, MaterializeContext context, Predicate<String> givenUp) {
    this.models = models;
    this.context = context;
    this.givenUp = givenUp;
  }

  /** Whether this run checks its assets: runs started before checks existed replay without them. */
  static boolean enabled() {
    return Workflow.getVersion(VERSION_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
  }

  Promise<MaterializeResult> start(MaterializePlan.Step step) {
    return Async.function(() -> run(step));
  }

  /** Every check report of the run so far, in completion order. */
  List<AssetCheckReport> reports() {
    return List.copyOf(reports);
  }

  private MaterializeResult run(MaterializePlan.Step step) {
    String key = step.assetKey();
    MaterializeResult result;
    try {
      result = models.materialize(key, context);
    } finally {
      materialized.add(key);
    }
    Workflow.await(() -> step.checkAfter().stream().allMatch(a -> materialized.contains(a) || givenUp.test(a)));
    AssetCheckReport report = checks.check(key, CheckRequest.after(context.runId(), context.fullRefresh(), result));
    reports.add(report);
    List<AssetCheckResult> errors = report.failedErrors();
    if (!report.failed().isEmpty()) {
      log.warn("asset {}: {}", key, report.summary());
    }
    if (!errors.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure("check failed: " + errors.stream()
          .map(AssetCheckResult::describe).collect(Collectors.joining("; ")), FailureTypes.CHECK_FAILED, report);
    }
    return result;
  }
}
