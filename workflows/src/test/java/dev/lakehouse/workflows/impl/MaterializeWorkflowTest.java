package dev.lakehouse.workflows.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.MaterializeInput;
import dev.lakehouse.workflows.MaterializeOutcome;
import dev.lakehouse.workflows.MaterializeWorkflow;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.activities.MaterializationRecord;
import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelActivities;
import dev.lakehouse.workflows.assets.MaterializePlan;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MaterializeWorkflowTest extends WorkflowTestSupport {
  private final ModelActivities models = mock(ModelActivities.class, withSettings().withoutAnnotations());

  private MaterializeOutcome run(String workflowId, String selection) {
    MaterializeWorkflow wf = client.newWorkflowStub(MaterializeWorkflow.class, Automation.options(SPEC, workflowId));
    return wf.run(new MaterializeInput(GRAPH.plan(selection), false));
  }

  @Test
  void followsTheGraphAndRunsIndependentAssetsInParallel() {
    // Two pairs that must run at the same time: each member waits for the other to start. A fixed sleep
    // and overlapping time spans would flake when a loaded machine dispatches the second one late.
    CountDownLatch parsed = new CountDownLatch(2);
    CountDownLatch accounts = new CountDownLatch(2);
    Map<String, CountDownLatch> pairOf = Map.of("parsed_data.parsed_users", parsed,
        "parsed_data.parsed_accounts", parsed, "data_vault.h_accounts", accounts,
        "data_vault.l_users_accounts", accounts);
    Map<String, Boolean> metPartner = new ConcurrentHashMap<>();
    Map<String, long[]> spans = new ConcurrentHashMap<>();
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      String key = inv.getArgument(0);
      long start = System.nanoTime();
      CountDownLatch pair = pairOf.get(key);
      if (pair != null) {
        pair.countDown();
        metPartner.put(key, pair.await(30, TimeUnit.SECONDS));
      }
      spans.put(key, new long[] {start, System.nanoTime()});
      return new MaterializeResult(key, 10, 9, 1);
    });
    start(w -> w.registerActivitiesImplementations(models));

    MaterializeOutcome outcome = run("materialize-order-test", null);

    MaterializePlan plan = GRAPH.plan(null);
    assertThat(spans).containsOnlyKeys(plan.assetKeys());
    assertThat(outcome.results()).hasSize(7).contains(new MaterializeResult("data_vault.s_users", 10, 9, 1));
    for (MaterializePlan.Step step : plan.steps()) {
      for (String up : step.upstream()) {
        assertThat(spans.get(step.assetKey())[0]).as(up + " ends before " + step.assetKey() + " starts")
            .isGreaterThan(spans.get(up)[1]);
      }
    }
    assertThat(metPartner).as("independent assets run at the same time (each saw its partner start)")
        .containsOnlyKeys(pairOf.keySet()).doesNotContainValue(false);
    Histories.recordIfRequested(client, "materialize-order-test", "materialize-all-models");
  }

  @Test
  void failingActivityIsRetriedThenSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    when(models.materialize(eq("data_vault.h_users"), any())).thenAnswer(inv -> {
      if (calls.incrementAndGet() == 1) {
        throw new java.io.UncheckedIOException(new java.net.ConnectException("Connection refused: 127.0.0.1:8080"));
      }
      return new MaterializeResult("data_vault.h_users", 3, 3, 0);
    });
    start(w -> w.registerActivitiesImplementations(models));

    MaterializeOutcome outcome = run("materialize-retry-test", "data_vault.h_users");

    assertThat(outcome.results()).containsExactly(new MaterializeResult("data_vault.h_users", 3, 3, 0));
    verify(models, times(2)).materialize(eq("data_vault.h_users"), any(MaterializeContext.class));
  }

  @Test
  void nonRetryableErrorFailsFastNamingTheAsset() {
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      String key = inv.getArgument(0);
      if (key.equals("data_vault.s_users")) {
        throw ApplicationFailure.newFailure("line 1:8: Column 'emial' cannot be resolved", FailureTypes.SQL);
      }
      return new MaterializeResult(key, 1, 1, 0);
    });
    start(w -> w.registerActivitiesImplementations(models));

    assertThatThrownBy(() -> run("materialize-fail-test", "parsed_data.parsed_users+"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> {
          ApplicationFailure failure = (ApplicationFailure) e.getCause();
          assertThat(failure.getType()).isEqualTo(FailureTypes.MATERIALIZATION_FAILED);
          assertThat(failure.getOriginalMessage()).isEqualTo(
              "asset data_vault.s_users failed: line 1:8: Column 'emial' cannot be resolved (LakehouseSqlError)");
        });
    verify(models, times(1)).materialize(eq("data_vault.s_users"), any(MaterializeContext.class));
    // the independent hub still ran
    verify(models, times(1)).materialize(eq("data_vault.h_users"), any(MaterializeContext.class));
  }

  @Test
  void downstreamOfAFailedAssetIsSkipped() {
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      String key = inv.getArgument(0);
      if (key.equals("parsed_data.parsed_accounts")) {
        throw ApplicationFailure.newFailure("bad config", FailureTypes.CONFIGURATION);
      }
      return new MaterializeResult(key, 1, 1, 0);
    });
    start(w -> w.registerActivitiesImplementations(models));

    assertThatThrownBy(() -> run("materialize-skip-test", "raw_data.accounts+"))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().hasMessageContaining("asset parsed_data.parsed_accounts failed: bad config")
        .hasMessageContaining("skipped downstream: data_vault.h_accounts, data_vault.l_users_accounts, data_vault.s_accounts");
    verify(models, times(1)).materialize(anyString(), any());
  }

  /**
   * A generated model's record (its new watermark) is written by an activity of its own beside the model's checks,
   * and its downstream models start only once it is written; the run's results carry no record.
   */
  @Test
  void eachRecordIsWrittenApartBeforeTheDownstreamModelsStart() {
    List<String> events = new CopyOnWriteArrayList<>();
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      String key = inv.getArgument(0);
      MaterializeContext context = inv.getArgument(1);
      events.add("materialize " + key + (context.recordApart() ? " apart" : ""));
      return new MaterializeResult(key, 3, 3, 0, "{\"0\":[-1,2]}", 7L, record(key, context));
    });
    doAnswer(inv -> events.add("record " + inv.<MaterializationRecord>getArgument(0).assetKey()))
        .when(models).record(any());
    start(w -> w.registerActivitiesImplementations(models));

    MaterializeOutcome outcome = run("materialize-record-apart-test", "raw_data.users+");

    List<String> keys = GRAPH.plan("raw_data.users+").assetKeys();
    assertThat(events).hasSize(2 * keys.size())
        .containsAll(keys.stream().map(k -> "materialize " + k + " apart").toList())
        .containsAll(keys.stream().map(k -> "record " + k).toList());
    for (MaterializePlan.Step step : GRAPH.plan("raw_data.users+").steps()) {
      for (String up : step.upstream()) {
        assertThat(events.indexOf("record " + up)).as(up + " recorded before " + step.assetKey() + " starts")
            .isLessThan(events.indexOf("materialize " + step.assetKey() + " apart"));
      }
    }
    assertThat(outcome.results()).hasSize(keys.size()).allMatch(r -> r.record() == null);
    Histories.recordIfRequested(client, "materialize-record-apart-test", "materialize-record-apart");
  }

  @Test
  void aRecordThatCannotBeWrittenFailsItsAssetAndSkipsItsDownstream() {
    when(models.materialize(anyString(), any())).thenAnswer(inv -> new MaterializeResult(inv.getArgument(0), 3, 3, 0,
        "{\"0\":[-1,2]}", 7L, record(inv.getArgument(0), inv.getArgument(1))));
    doThrow(ApplicationFailure.newNonRetryableFailure("ops.materializations is gone", FailureTypes.CONFIGURATION))
        .when(models).record(argThat(r -> r.assetKey().equals("parsed_data.parsed_users")));
    start(w -> w.registerActivitiesImplementations(models));

    assertThatThrownBy(() -> run("materialize-record-fails-test", "raw_data.users+"))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().hasMessageContaining("asset parsed_data.parsed_users failed: ops.materializations is gone")
        .hasMessageContaining("skipped downstream: data_vault.h_users");
    verify(models, times(1)).materialize(anyString(), any());
  }

  private static MaterializationRecord record(String key, MaterializeContext context) {
    return new MaterializationRecord(key, context.runId(), false, "{\"0\":[-1,2]}", 3, 3, 0, 1_000, 2_000);
  }

  static List<String> keys(List<MaterializeResult> results) {
    return results.stream().map(MaterializeResult::assetKey).toList();
  }
}
