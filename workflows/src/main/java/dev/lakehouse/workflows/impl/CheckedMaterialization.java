package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.AssetCheckActivities;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.CheckRequest;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelActivities;
import dev.lakehouse.workflows.assets.MaterializePlan;
import io.temporal.failure.ActivityFailure;
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
 *
 * <p>Runs since {@value #RECORD_AT_END} evaluate the checks without writing them, and the run writes every asset's
 * results in one activity at its end ({@link #recordResults}), failed runs included: one Iceberg commit per run
 * instead of one per asset, and none on the path from a model to its downstream models. Runs since
 * {@value #RECORD_APART} also write a generated model's {@code ops.materializations} row (its new watermark) in an
 * activity of its own beside the model's checks, instead of at the end of the model's activity: one statement less
 * between a model's MERGE and its downstream models'. The asset is done (and its downstream may start) once both
 * are; a record that fails after its retries fails the asset, and the next run reads the same range again.
 */
final class CheckedMaterialization {
  /** The {@code Workflow.getVersion} change ID that added checks to runs. */
  static final String VERSION_CHANGE = "asset-checks";
  /** The {@code Workflow.getVersion} change ID that moved the check results' write to the end of the run. */
  static final String RECORD_AT_END = "check-results-at-run-end";
  /** The {@code Workflow.getVersion} change ID that moved a model's record beside its checks. */
  static final String RECORD_APART = "model-record-beside-checks";

  private static final Logger log = Workflow.getLogger(CheckedMaterialization.class);

  private final AssetCheckActivities checks =
      Workflow.newActivityStub(AssetCheckActivities.class, ActivityOptionsCatalog.checks());
  private final AssetCheckActivities records =
      Workflow.newActivityStub(AssetCheckActivities.class, ActivityOptionsCatalog.checkRecords());
  private final ModelActivities modelRecords =
      Workflow.newActivityStub(ModelActivities.class, ActivityOptionsCatalog.modelRecords());
  private final ModelActivities models;
  private final MaterializeContext context;
  /** {@code key -> true} when the asset failed or was skipped in this run: nothing to wait for */
  private final Predicate<String> givenUp;
  private final Set<String> materialized = new HashSet<>();
  private final List<AssetCheckReport> reports = new ArrayList<>();
  /** false: each check activity writes its own results (runs recorded before {@value #RECORD_AT_END}) */
  private final boolean recordAtEnd;
  /** false: the model's activity writes its own record (runs recorded before {@value #RECORD_APART}) */
  private final boolean recordApart;

  CheckedMaterialization(ModelActivities models, MaterializeContext context, Predicate<String> givenUp) {
    this.models = models;
    this.context = context;
    this.givenUp = givenUp;
    this.recordAtEnd = recordsAtEnd();
    this.recordApart = Workflow.getVersion(RECORD_APART, Workflow.DEFAULT_VERSION, 1) >= 1;
  }

  /** Whether this run writes its check results at its end: earlier runs replay with a write per check activity. */
  static boolean recordsAtEnd() {
    return Workflow.getVersion(RECORD_AT_END, Workflow.DEFAULT_VERSION, 1) >= 1;
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
      result = models.materialize(key, recordApart ? context.withRecordApart() : context);
    } finally {
      materialized.add(key);
    }
    Promise<Void> recorded = result.record() == null ? null : Async.procedure(modelRecords::record, result.record());
    AssetCheckReport report;
    try {
      Workflow.await(() -> step.checkAfter().stream().allMatch(a -> materialized.contains(a) || givenUp.test(a)));
      CheckRequest request = CheckRequest.after(context.runId(), context.fullRefresh(), result.withoutRecord());
      report = recordAtEnd ? checks.evaluate(key, request) : checks.check(key, request);
    } catch (RuntimeException e) {
      awaitQuietly(key, recorded); // no activity of the asset outlives it
      throw e;
    }
    if (recorded != null) {
      recorded.get(); // a record that failed after its retries fails the asset
    }
    reports.add(report);
    List<AssetCheckResult> errors = report.failedErrors();
    if (!report.failed().isEmpty()) {
      log.warn("asset {}: {}", key, report.summary());
    }
    if (!errors.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure("check failed: " + errors.stream()
          .map(AssetCheckResult::describe).collect(Collectors.joining("; ")), FailureTypes.CHECK_FAILED, report);
    }
    return result.withoutRecord();
  }

  private static void awaitQuietly(String key, Promise<Void> recorded) {
    if (recorded == null) {
      return;
    }
    try {
      recorded.get();
    } catch (ActivityFailure e) {
      log.warn("asset {}: its record was not written either: {}", key, RootCause.message(e));
    }
  }

  /**
   * Writes the results of every check run so far in one activity (retried; idempotent), when this run records at
   * its end and there is a result. Returns why the write failed after its retries, or null.
   */
  String recordResults() {
    return record(records, new CheckRecord(context.runId(), context.fullRefresh(), reports), recordAtEnd);
  }

  /** The one write of {@code record} through {@code activities} (if {@code enabled}); why it failed, or null. */
  static String record(AssetCheckActivities activities, CheckRecord record, boolean enabled) {
    if (!enabled || record.nothingToWrite()) {
      return null;
    }
    try {
      activities.record(record);
      return null;
    } catch (ActivityFailure e) {
      log.warn("the check results of {} were not recorded: {}", record.runId(), RootCause.message(e));
      return RootCause.message(e);
    }
  }
}
