package dev.lakehouse.workflows.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSeverity;
import dev.lakehouse.workflows.AssetChecksInput;
import dev.lakehouse.workflows.AssetChecksOutcome;
import dev.lakehouse.workflows.AssetChecksWorkflow;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.MaterializeInput;
import dev.lakehouse.workflows.MaterializeOutcome;
import dev.lakehouse.workflows.MaterializeWorkflow;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.CheckRequest;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelActivities;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * Checks inside a run: after each materialization, error fails the asset and skips downstream, warn reports; the
 * results of the run are written once, at its end.
 */
class MaterializeWorkflowChecksTest extends WorkflowTestSupport {
  private final ModelActivities models = mock(ModelActivities.class, withSettings().withoutAnnotations());

  private MaterializeOutcome run(String workflowId, String selection, boolean fullRefresh) {
    MaterializeWorkflow wf = client.newWorkflowStub(MaterializeWorkflow.class, Automation.options(SPEC, workflowId));
    return wf.run(new MaterializeInput(GRAPH.plan(selection), fullRefresh));
  }

  private static AssetCheckReport failing(String asset, String check, CheckSeverity severity, long rows,
      List<String> sample) {
    return new AssetCheckReport(asset, List.of(
        new AssetCheckResult(asset, "unique key", CheckKind.UNIQUE, CheckSeverity.ERROR, true, 0, List.of(), null),
        new AssetCheckResult(asset, check, CheckKind.RELATIONSHIPS, severity, false, rows, sample, null)));
  }

  @Test
  void anErrorFailsTheAssetAndSkipsItsDownstreamAWarningIsOnlyReported() {
    when(models.materialize(anyString(), any())).thenAnswer(inv -> new MaterializeResult(inv.getArgument(0), 2, 2, 0,
        "{\"0\":[-1,1]}", 10L));
    when(checks.evaluate(eq("parsed_data.parsed_users"), any())).thenReturn(failing("parsed_data.parsed_users",
        "unique id, source_lsn", CheckSeverity.ERROR, 1, List.of("u1|42")));
    when(checks.evaluate(eq("data_vault.l_users_accounts"), any())).thenReturn(failing("data_vault.l_users_accounts",
        "relationships h_users_hk → h_users", CheckSeverity.WARN, 3, List.of("a", "b", "c")));
    start(w -> w.registerActivitiesImplementations(models));

    assertThatThrownBy(() -> run("materialize-checks-test", null, false))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> {
          ApplicationFailure failure = (ApplicationFailure) e.getCause();
          assertThat(failure.getType()).isEqualTo(FailureTypes.MATERIALIZATION_FAILED);
          assertThat(failure.getOriginalMessage()).isEqualTo("asset parsed_data.parsed_users failed: check failed:"
              + " unique id, source_lsn: 1 row (e.g. u1|42) (LakehouseCheckFailed);"
              + " skipped downstream: data_vault.h_users, data_vault.s_users");
          MaterializeResult[] done = failure.getDetails().get(0, MaterializeResult[].class);
          assertThat(done).extracting(MaterializeResult::assetKey).containsExactlyInAnyOrder(
              "parsed_data.parsed_accounts", "data_vault.h_accounts", "data_vault.l_users_accounts",
              "data_vault.s_accounts");
          AssetCheckReport[] reports = failure.getDetails().get(1, AssetCheckReport[].class);
          assertThat(reports).extracting(AssetCheckReport::assetKey).containsExactlyInAnyOrder(
              "parsed_data.parsed_users", "parsed_data.parsed_accounts", "data_vault.h_accounts",
              "data_vault.l_users_accounts", "data_vault.s_accounts");
          AssetCheckReport link = List.of(reports).stream()
              .filter(r -> r.assetKey().equals("data_vault.l_users_accounts")).findFirst().orElseThrow();
          assertThat(link.summary()).isEqualTo(
              "2 checks, 1 failing: relationships h_users_hk → h_users: 3 rows (e.g. a, b, c) [warn]");
        });
    verify(models).materialize(eq("parsed_data.parsed_users"), any());
    verify(models, never()).materialize(eq("data_vault.h_users"), any());
    verify(models, never()).materialize(eq("data_vault.s_users"), any());
    // the link's checks read h_users, which was skipped: they ran anyway instead of waiting for it
    verify(checks).evaluate(eq("data_vault.l_users_accounts"), any());
    // the failed run still writes every result, the failing error check's too, in one write at its end
    ArgumentCaptor<CheckRecord> recorded = ArgumentCaptor.forClass(CheckRecord.class);
    verify(checks).record(recorded.capture());
    assertThat(recorded.getValue().runId()).isEqualTo("materialize-checks-test");
    assertThat(recorded.getValue().reports()).extracting(AssetCheckReport::assetKey).containsExactlyInAnyOrder(
        "parsed_data.parsed_users", "parsed_data.parsed_accounts", "data_vault.h_accounts",
        "data_vault.l_users_accounts", "data_vault.s_accounts");
    assertThat(recorded.getValue().reports().stream().filter(r -> r.assetKey().equals("parsed_data.parsed_users"))
        .findFirst().orElseThrow().failedErrors()).extracting(AssetCheckResult::check)
        .containsExactly("unique id, source_lsn");
    verify(checks, never()).check(anyString(), any());
    Histories.recordIfRequested(client, "materialize-checks-test", "materialize-checks-error-and-warn");
  }

  @Test
  void checksOfASatelliteAndALinkWaitForTheHubsTheyRead() {
    Map<String, Long> materializedAt = new ConcurrentHashMap<>();
    Map<String, Long> checkedAt = new ConcurrentHashMap<>();
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      String key = inv.getArgument(0);
      if (key.startsWith("data_vault.h_")) {
        Thread.sleep(500); // a slow hub: the satellite's own load ends first
      }
      materializedAt.put(key, System.nanoTime());
      return new MaterializeResult(key, 1, 1, 0, "{\"0\":[-1,0]}", 5L);
    });
    when(checks.evaluate(anyString(), any())).thenAnswer(inv -> {
      checkedAt.put(inv.getArgument(0), System.nanoTime());
      return passing(inv.getArgument(0));
    });
    start(w -> w.registerActivitiesImplementations(models));

    MaterializeOutcome outcome = run("materialize-checks-wait-test", null, false);

    assertThat(outcome.checks()).hasSize(7);
    ArgumentCaptor<CheckRecord> recorded = ArgumentCaptor.forClass(CheckRecord.class);
    verify(checks).record(recorded.capture());
    assertThat(recorded.getValue().reports()).containsExactlyElementsOf(outcome.checks());
    assertThat(checkedAt.get("data_vault.s_users")).isGreaterThan(materializedAt.get("data_vault.h_users"));
    assertThat(checkedAt.get("data_vault.s_accounts")).isGreaterThan(materializedAt.get("data_vault.h_accounts"));
    assertThat(checkedAt.get("data_vault.l_users_accounts")).isGreaterThan(materializedAt.get("data_vault.h_users"))
        .isGreaterThan(materializedAt.get("data_vault.h_accounts"));
  }

  @Test
  void checksGetTheBatchTheRunWroteOrTheWholeTableOnAFullRefresh() {
    when(models.materialize(eq("parsed_data.parsed_users"), any()))
        .thenReturn(new MaterializeResult("parsed_data.parsed_users", 4, 4, 0, "{\"0\":[3,7]}", 42L));
    when(models.materialize(eq("data_vault.h_users"), any()))
        .thenReturn(new MaterializeResult("data_vault.h_users", 0, 0, 0, "{\"0\":[9,9]}", null));
    start(w -> w.registerActivitiesImplementations(models));

    run("materialize-checks-batch-test", "parsed_data.parsed_users,data_vault.h_users", false);
    verify(checks).evaluate("parsed_data.parsed_users",
        new CheckRequest("materialize-checks-batch-test", false, "{\"0\":[3,7]}", 42L));
    // nothing read: the checks look at the latest batch again (a failing error check keeps failing until fixed)
    verify(checks).evaluate("data_vault.h_users", new CheckRequest("materialize-checks-batch-test", false, null, null));

    run("materialize-checks-full-test", "parsed_data.parsed_users", true);
    verify(checks).evaluate("parsed_data.parsed_users",
        new CheckRequest("materialize-checks-full-test", true, "{\"0\":[3,7]}", 42L));
  }

  @Test
  void checksOnDemandReportEveryAssetAndWhyOneCouldNotRun() {
    when(checks.evaluate(eq("data_vault.h_users"), any())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("line 1:8: Table 'iceberg.data_vault.h_users' does not exist",
            FailureTypes.SQL));
    start(w -> { });
    AssetChecksWorkflow wf = client.newWorkflowStub(AssetChecksWorkflow.class, Automation.options(SPEC, "checks-1"));

    AssetChecksOutcome outcome = wf.run(new AssetChecksInput(List.of("data_vault.s_users", "data_vault.h_users"), true));

    assertThat(outcome.reports()).extracting(AssetCheckReport::assetKey).containsExactly("data_vault.s_users");
    assertThat(outcome.errors()).containsOnlyKeys("data_vault.h_users");
    assertThat(outcome.errors().get("data_vault.h_users")).contains("does not exist (LakehouseSqlError)");
    verify(checks).evaluate("data_vault.s_users", new CheckRequest("checks-1", true, null, null));
    // on demand, the results are written too, in one write once every model is checked
    verify(checks).record(new CheckRecord("checks-1", true, outcome.reports()));
  }

  @Test
  void aRunWhoseResultsCannotBeWrittenFailsSayingSo() {
    when(models.materialize(anyString(), any())).thenAnswer(inv -> new MaterializeResult(inv.getArgument(0), 1, 1, 0,
        "{\"0\":[-1,0]}", 5L));
    doThrow(ApplicationFailure.newNonRetryableFailure("line 1:1: Table 'iceberg.ops.asset_checks' is read-only",
        FailureTypes.SQL)).when(checks).record(any());
    start(w -> w.registerActivitiesImplementations(models));

    assertThatThrownBy(() -> run("materialize-checks-unrecorded-test", "data_vault.h_users", false))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> {
          ApplicationFailure failure = (ApplicationFailure) e.getCause();
          assertThat(failure.getType()).isEqualTo(FailureTypes.MATERIALIZATION_FAILED);
          assertThat(failure.getOriginalMessage()).isEqualTo("check results not recorded in ops.asset_checks:"
              + " line 1:1: Table 'iceberg.ops.asset_checks' is read-only (LakehouseSqlError)");
          assertThat(failure.getDetails().get(1, AssetCheckReport[].class)).extracting(AssetCheckReport::assetKey)
              .containsExactly("data_vault.h_users");
        });
    verify(models).materialize(eq("data_vault.h_users"), any());
  }

  @Test
  void aRunWithNothingToCheckWritesNothing() {
    when(models.materialize(anyString(), any())).thenAnswer(inv -> new MaterializeResult(inv.getArgument(0), 0, 0, 0));
    when(checks.evaluate(anyString(), any())).thenAnswer(inv -> new AssetCheckReport(inv.getArgument(0), List.of()));
    start(w -> w.registerActivitiesImplementations(models));

    MaterializeOutcome outcome = run("materialize-checks-nothing-test", "data_vault.h_users", false);

    assertThat(outcome.checks()).extracting(AssetCheckReport::assetKey).containsExactly("data_vault.h_users");
    verify(checks, never()).record(any());
  }
}
