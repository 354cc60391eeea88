package dev.lakehouse.workflows.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.BackfillRequest;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelActivities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MaterializerWorkflowTest extends WorkflowTestSupport {
  private final ModelActivities models = mock(ModelActivities.class, withSettings().withoutAnnotations());

  private record Call(String assetKey, MaterializeContext context) {}

  private List<Call> calls() {
    List<Call> out = new ArrayList<>();
    mockingDetails(models).getInvocations().forEach(i -> out.add(new Call(i.getArgument(0), i.getArgument(1))));
    return out;
  }

  private MaterializerStatus status() {
    return client.newWorkflowStub(MaterializerWorkflow.class, Lakehouse.MATERIALIZER_ID).status();
  }

  private void awaitIdle(long runs) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      MaterializerStatus s = status();
      return s.running() == null && s.queue().isEmpty() && s.runsCompleted() + s.runsFailed() >= runs;
    });
  }

  private void succeed() {
    when(models.materialize(anyString(), any())).thenAnswer(
        inv -> new MaterializeResult(inv.getArgument(0), 1, 1, 0));
  }

  @Test
  void tenQuickRequestsAreCoalescedIntoAtMostTwoRuns() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      release.await(30, TimeUnit.SECONDS);
      return new MaterializeResult(inv.getArgument(0), 1, 1, 0);
    });
    start(w -> w.registerActivitiesImplementations(models));
    List<String> models = GRAPH.plan(null).assetKeys();

    for (int i = 0; i < 10; i++) {
      Automation.request(client, SPEC, new MaterializeRequest(models.get(i % models.size()), "test " + i));
    }
    release.countDown();
    awaitIdle(1);

    MaterializerStatus s = status();
    Set<String> runIds = new HashSet<>();
    calls().forEach(c -> runIds.add(c.context().runId()));
    assertThat(runIds).hasSizeBetween(1, 2);
    assertThat(s.runsCompleted()).isEqualTo(runIds.size());
    assertThat(s.runsFailed()).isZero();
    assertThat(calls()).extracting(Call::assetKey).containsAll(models);
    assertThat(s.lastRun().status()).isEqualTo("COMPLETED");
    Histories.recordIfRequested(client, Lakehouse.MATERIALIZER_ID, "materializer-coalescing");
  }

  @Test
  void pauseStopsTriggeringAndResumeRestartsIt() {
    succeed();
    start(w -> w.registerActivitiesImplementations(models));

    Automation.setPaused(client, SPEC, true);
    Automation.request(client, SPEC, new MaterializeRequest("raw_data.users+", "while paused"));
    Automation.request(client, SPEC, new MaterializeRequest("raw_data.accounts+", "while paused"));
    env.sleep(Duration.ofMinutes(10));

    MaterializerStatus paused = status();
    assertThat(paused.paused()).isTrue();
    assertThat(paused.queue()).hasSize(1);
    assertThat(paused.queue().get(0).selections()).containsExactly("raw_data.users+", "raw_data.accounts+");
    assertThat(paused.queue().get(0).requests()).isEqualTo(2);
    assertThat(calls()).isEmpty();

    Automation.setPaused(client, SPEC, false);
    awaitIdle(1);
    assertThat(status().paused()).isFalse();
    assertThat(status().runsCompleted()).isEqualTo(1);
    assertThat(calls()).extracting(Call::assetKey).containsExactlyInAnyOrder(
        "parsed_data.parsed_users", "data_vault.h_users", "data_vault.s_users", "parsed_data.parsed_accounts",
        "data_vault.h_accounts", "data_vault.s_accounts", "data_vault.l_users_accounts");
    Histories.recordIfRequested(client, Lakehouse.MATERIALIZER_ID, "materializer-pause-resume");
  }

  @Test
  void backfillRunsExactlyTheSelectionWithFullRefresh() {
    succeed();
    start(w -> w.registerActivitiesImplementations(models));

    Automation.backfill(client, SPEC, new BackfillRequest("data_vault.s_users+", true, "test"));
    awaitIdle(1);

    assertThat(calls()).hasSize(1);
    Call call = calls().get(0);
    assertThat(call.assetKey()).isEqualTo("data_vault.s_users");
    assertThat(call.context().fullRefresh()).isTrue();
    assertThat(call.context().selection()).isEqualTo("data_vault.s_users+");
    assertThat(status().lastRun().fullRefresh()).isTrue();
    assertThat(status().lastRun().results()).containsExactly(new MaterializeResult("data_vault.s_users", 1, 1, 0));
    // the per-model record the CLI's `assets` shows
    assertThat(status().materializations()).singleElement().satisfies(m -> {
      assertThat(m.assetKey()).isEqualTo("data_vault.s_users");
      assertThat(m.fullRefresh()).isTrue();
      assertThat(m.runWorkflowId()).isEqualTo(status().lastRun().workflowId());
      assertThat(m.atMillis()).isPositive();
    });
  }

  @Test
  void invalidSelectionIsReportedWithoutStoppingTheCoordinator() {
    succeed();
    start(w -> w.registerActivitiesImplementations(models));

    Automation.request(client, SPEC, new MaterializeRequest("data_vault.nope", "typo"));
    awaitIdle(1);
    assertThat(status().lastRun().status()).isEqualTo("INVALID_SELECTION");
    assertThat(status().lastRun().error()).contains("matches no asset");

    Automation.request(client, SPEC, new MaterializeRequest("data_vault.h_users", "fixed"));
    awaitIdle(2);
    assertThat(status().lastRun().status()).isEqualTo("COMPLETED");
    assertThat(status().runsFailed()).isEqualTo(1);
  }

  @Test
  void continuesAsNewCarryingCountersAndQueue() {
    succeed();
    start(w -> w.registerActivitiesImplementations(models));
    MaterializerWorkflow stub = client.newWorkflowStub(MaterializerWorkflow.class,
        Automation.options(SPEC, Lakehouse.MATERIALIZER_ID));
    io.temporal.client.WorkflowClient.start(stub::run, new dev.lakehouse.workflows.MaterializerInput(2, List.of(),
        false, 0, 0, null, null));
    String firstRun = client.newUntypedWorkflowStub(Lakehouse.MATERIALIZER_ID).getExecution().getRunId();

    for (int i = 0; i < 3; i++) {
      Automation.request(client, SPEC, new MaterializeRequest("data_vault.h_users", "n" + i));
      awaitIdle(i + 1);
    }

    assertThat(status().runsCompleted()).isEqualTo(3);
    String currentRun = client.newUntypedWorkflowStub(Lakehouse.MATERIALIZER_ID, java.util.Optional.empty(),
        java.util.Optional.empty()).describe().getExecution().getRunId();
    assertThat(currentRun).isNotEqualTo(firstRun);
  }
}
