package dev.lakehouse.workflows.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.workflows.AssetFailure;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.BackfillRequest;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializerInput;
import dev.lakehouse.workflows.MaterializerRetry;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.RunSearchAttributes;
import dev.lakehouse.workflows.RunSummary;
import dev.lakehouse.workflows.PendingRun;
import dev.lakehouse.workflows.Trigger;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelActivities;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
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

  private String currentRunId() {
    return client.newUntypedWorkflowStub(Lakehouse.MATERIALIZER_ID, Optional.empty(), Optional.empty()).describe()
        .getExecution().getRunId();
  }

  private void succeed() {
    when(models.materialize(anyString(), any())).thenAnswer(
        inv -> new MaterializeResult(inv.getArgument(0), 1, 1, 0));
  }

  @Test
  void tenQuickRequestsAreCoalescedIntoAtMostThreeRuns() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      release.await(30, TimeUnit.SECONDS);
      return new MaterializeResult(inv.getArgument(0), 1, 1, 0);
    });
    start(w -> w.registerActivitiesImplementations(models));
    List<String> models = GRAPH.plan(null).assetKeys();

    for (int i = 0; i < 10; i++) {
      Automation.request(client, SPEC, new MaterializeRequest(models.get(i % models.size()), "test " + i,
          Trigger.CLI));
    }
    release.countDown();
    awaitIdle(1);

    MaterializerStatus s = status();
    Set<String> runIds = new HashSet<>();
    calls().forEach(c -> runIds.add(c.context().runId()));
    // the first run, the one started beside it (two in flight by default), and one queued that coalesced the rest
    assertThat(runIds).hasSizeBetween(1, MaterializerWorkflowImpl.DEFAULT_RUNS_IN_FLIGHT + 1);
    assertThat(s.runsCompleted()).isEqualTo(runIds.size());
    assertThat(s.runsFailed()).isZero();
    assertThat(calls()).extracting(Call::assetKey).containsAll(models);
    assertThat(s.lastRun().status()).isEqualTo(RunSummary.Status.COMPLETED);
    Histories.recordIfRequested(client, Lakehouse.MATERIALIZER_ID, "materializer-coalescing");
  }

  @Test
  void pauseStopsTriggeringAndResumeRestartsIt() {
    succeed();
    start(w -> w.registerActivitiesImplementations(models));

    Automation.setPaused(client, SPEC, true);
    Automation.request(client, SPEC, new MaterializeRequest("raw_data.users+", "while paused", Trigger.CLI));
    Automation.request(client, SPEC, new MaterializeRequest("raw_data.accounts+", "from a sensor",
        Trigger.SENSOR));
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
    // the run is found by its assets, mode and first trigger; its memo says what was asked and why
    WorkflowExecutionDescription run = client.newUntypedWorkflowStub(status().lastRun().workflowId(),
        Optional.empty(), Optional.empty()).describe();
    assertThat(run.getTypedSearchAttributes().get(RunSearchAttributes.ASSETS))
        .containsExactlyInAnyOrderElementsOf(GRAPH.plan(null).assetKeys());
    assertThat(run.getTypedSearchAttributes().get(RunSearchAttributes.RUN_MODE)).isEqualTo("incremental");
    assertThat(run.getTypedSearchAttributes().get(RunSearchAttributes.TRIGGER)).isEqualTo("cli");
    assertThat(run.getMemo("selection", String.class)).isEqualTo("raw_data.users+,raw_data.accounts+");
    assertThat(run.getMemo("triggers", List.class)).asInstanceOf(InstanceOfAssertFactories.LIST)
        .containsExactly("cli", "sensor");
    assertThat(run.getMemo("reasons", List.class)).asInstanceOf(InstanceOfAssertFactories.LIST)
        .containsExactly("while paused", "from a sensor");
    Histories.recordIfRequested(client, Lakehouse.MATERIALIZER_ID, "materializer-pause-resume");
  }

  @Test
  void backfillRunsExactlyTheSelectionWithFullRefresh() {
    succeed();
    start(w -> w.registerActivitiesImplementations(models));

    Automation.backfill(client, SPEC, new BackfillRequest("data_vault.s_users+", true, "test", Trigger.BACKFILL));
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

    Automation.request(client, SPEC, new MaterializeRequest("data_vault.nope", "typo", Trigger.CLI));
    awaitIdle(1);
    assertThat(status().lastRun().status()).isEqualTo(RunSummary.Status.INVALID_SELECTION);
    assertThat(status().lastRun().error()).contains("matches no asset");

    Automation.request(client, SPEC, new MaterializeRequest("data_vault.h_users", "fixed", Trigger.CLI));
    awaitIdle(2);
    assertThat(status().lastRun().status()).isEqualTo(RunSummary.Status.COMPLETED);
    assertThat(status().runsFailed()).isEqualTo(1);
  }

  @Test
  void continuesAsNewCarryingCountersAndQueue() {
    succeed();
    start(w -> w.registerActivitiesImplementations(models));
    MaterializerWorkflow stub = client.newWorkflowStub(MaterializerWorkflow.class,
        Automation.options(SPEC, Lakehouse.MATERIALIZER_ID));
    io.temporal.client.WorkflowClient.start(stub::run, new dev.lakehouse.workflows.MaterializerInput(2, List.of(),
        false, 0, 0, null, null, 0, null, null));
    String firstRun = client.newUntypedWorkflowStub(Lakehouse.MATERIALIZER_ID).getExecution().getRunId();

    for (int i = 0; i < 3; i++) {
      Automation.request(client, SPEC, new MaterializeRequest("data_vault.h_users", "n" + i, Trigger.CLI));
      awaitIdle(i + 1);
    }

    assertThat(status().runsCompleted()).isEqualTo(3);
    String currentRun = client.newUntypedWorkflowStub(Lakehouse.MATERIALIZER_ID, java.util.Optional.empty(),
        java.util.Optional.empty()).describe().getExecution().getRunId();
    assertThat(currentRun).isNotEqualTo(firstRun);
  }

  @Test
  void continuesAsNewWhilePausedWithoutLosingARequest() throws Exception {
    succeed();
    start(w -> w.registerActivitiesImplementations(models));
    int perExecution = 50;
    int sent = 10_000;
    MaterializerWorkflow stub = client.newWorkflowStub(MaterializerWorkflow.class,
        Automation.options(SPEC, Lakehouse.MATERIALIZER_ID));
    WorkflowClient.start(stub::run, new MaterializerInput(50, List.of(), true, 0, 0, null, null, perExecution,
        MaterializerRetry.DEFAULT, null));
    String firstRun = currentRunId();

    // Bursts from four senders at once, as sensors and the CLI would be: signals land while workflow tasks are in
    // flight and while the coordinator continues as new. Between bursts the coordinator catches up: under a
    // constant flood the server refuses every continue-as-new that would drop a signal which arrived meanwhile
    // (unhandled command), so the history grows until the flood stops.
    List<String> selections = List.of("raw_data.users+", "raw_data.accounts+", "data_vault.h_users");
    int burst = perExecution / 2;
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try {
      for (int from = 0; from < sent; from += burst) {
        List<Future<?>> sending = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int first = from + t;
          int to = from + burst;
          sending.add(senders.submit(() -> {
            for (int i = first; i < to; i += 4) {
              Automation.request(client, SPEC, new MaterializeRequest(selections.get(i % 3), "while paused " + i,
                  Trigger.CLI));
            }
          }));
        }
        for (Future<?> f : sending) {
          f.get(1, TimeUnit.MINUTES);
        }
        int expected = from + burst;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
            .until(() -> status().queue().get(0).requests() == expected);
      }
    } finally {
      senders.shutdownNow();
    }

    MaterializerStatus paused = status();
    assertThat(paused.paused()).isTrue();
    assertThat(paused.queue()).singleElement().extracting(PendingRun::requests).isEqualTo(sent);
    assertThat(paused.queue().get(0).selections()).containsExactlyInAnyOrderElementsOf(selections);
    assertThat(calls()).isEmpty();

    // every execution of the chain stays small: it continued as new after about perExecution signals; a signal
    // costs at most four events (signalled, workflow task scheduled, started, completed)
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
        assertThat(historyLengthsUntilCurrentRun(firstRun)).as("history lengths of the executions that continued as new")
            .hasSizeGreaterThanOrEqualTo(sent / (perExecution + burst))
            .allSatisfy(n -> assertThat(n).isLessThan(4 * (perExecution + burst) + 20)));
    Histories.recordIfRequested(client, Lakehouse.MATERIALIZER_ID, firstRun,
        "materializer-continue-as-new-while-paused");

    Automation.setPaused(client, SPEC, false);
    awaitIdle(1);
    assertThat(status().runsCompleted()).isEqualTo(1);
    assertThat(status().runsFailed()).isZero();
    assertThat(calls()).extracting(c -> c.context().runId()).containsOnly(status().lastRun().workflowId());
    assertThat(calls()).extracting(Call::assetKey).containsExactlyInAnyOrderElementsOf(GRAPH.plan(null).assetKeys());
  }

  /**
   * The history length of each execution from {@code firstRun} up to, without, the current one, each checked to
   * have continued as new. Walks back from the current run through each start event's previous run: the test
   * server does not always return the last events (completed task, continued as new) of a run it continued.
   */
  private List<Integer> historyLengthsUntilCurrentRun(String firstRun) {
    List<Integer> lengths = new ArrayList<>();
    String run = currentRunId();
    while (!run.equals(firstRun)) {
      String previous = client.fetchHistory(Lakehouse.MATERIALIZER_ID, run).getEvents().get(0)
          .getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      assertThat(previous).as("run before " + run).isNotEmpty();
      assertThat(client.newUntypedWorkflowStub(Lakehouse.MATERIALIZER_ID, Optional.of(previous), Optional.empty())
          .describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
      lengths.add(0, client.fetchHistory(Lakehouse.MATERIALIZER_ID, previous).getEvents().size());
      run = previous;
    }
    return lengths;
  }

  @Test
  void aFailedRunIsRetriedAfterABackoffWithoutANewRequest() {
    AtomicInteger attempts = new AtomicInteger();
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      if (attempts.incrementAndGet() <= 2) {
        throw ApplicationFailure.newFailure("Query exceeded maximum time limit", FailureTypes.SQL);
      }
      return new MaterializeResult(inv.getArgument(0), 1, 1, 0);
    });
    start(w -> w.registerActivitiesImplementations(models));

    Automation.request(client, SPEC, new MaterializeRequest("data_vault.h_users", "once", Trigger.CLI));
    PendingRun first = awaitRetry(1);
    assertThat(first.dueAtMillis() - env.currentTimeMillis()).as("first backoff").isBetween(20_000L, 30_000L);
    assertThat(first.selections()).containsExactly("data_vault.h_users");
    assertThat(status().failures()).as("not failed while a retry is pending").isEmpty();
    env.sleep(Duration.ofSeconds(31));
    PendingRun second = awaitRetry(2);
    assertThat(second.dueAtMillis() - env.currentTimeMillis()).as("doubled").isBetween(50_000L, 60_000L);
    env.sleep(Duration.ofSeconds(61));
    awaitIdle(3);

    MaterializerStatus s = status();
    assertThat(s.runsFailed()).isEqualTo(2);
    assertThat(s.runsCompleted()).isEqualTo(1);
    assertThat(s.lastRun().status()).isEqualTo(RunSummary.Status.COMPLETED);
    assertThat(s.failures()).isEmpty();
    assertThat(s.materializations()).extracting(m -> m.assetKey()).containsExactly("data_vault.h_users");
    assertThat(calls()).hasSize(3).extracting(c -> c.context().runId()).doesNotHaveDuplicates();
    Histories.recordIfRequested(client, Lakehouse.MATERIALIZER_ID, "materializer-retry");
  }

  /** Waits until the run failed and sits in the queue as retry {@code n}. */
  private PendingRun awaitRetry(int n) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      MaterializerStatus s = status();
      return s.running() == null && s.runsFailed() == n && s.queue().size() == 1 && s.queue().get(0).retry() == n;
    });
    return status().queue().get(0);
  }

  @Test
  void aRunThatKeepsFailingStopsAfterItsRetriesAndItsModelsShowFailedUntilTheySucceed() {
    AtomicBoolean broken = new AtomicBoolean(true);
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      String key = inv.getArgument(0);
      if (broken.get() && key.equals("data_vault.s_users")) {
        throw ApplicationFailure.newFailure("line 1:8: Column 'emial' cannot be resolved", FailureTypes.SQL);
      }
      return new MaterializeResult(key, 1, 1, 0);
    });
    start(w -> w.registerActivitiesImplementations(models));

    Automation.request(client, SPEC, new MaterializeRequest("parsed_data.parsed_users+", "test", Trigger.CLI));
    env.sleep(Duration.ofMinutes(30)); // past every backoff: 30 s, 1 min, 2 min
    awaitIdle(4);

    MaterializerStatus s = status();
    int retries = SPEC.schedules().materializerRetry().retries();
    assertThat(s.runsFailed()).isEqualTo(1 + retries);
    assertThat(s.queue()).isEmpty();
    assertThat(calls()).filteredOn(c -> c.assetKey().equals("data_vault.s_users")).hasSize(1 + retries);
    // only the model that failed: the others of the run succeeded each time
    assertThat(s.failures()).singleElement().satisfies(f -> {
      assertThat(f.assetKey()).isEqualTo("data_vault.s_users");
      assertThat(f.attempts()).isEqualTo(1 + retries);
      assertThat(f.runWorkflowId()).isEqualTo(s.lastRun().workflowId());
      assertThat(f.message()).contains("asset data_vault.s_users failed").contains("emial");
      assertThat(f.atMillis()).isPositive();
    });
    assertThat(s.materializations()).extracting(m -> m.assetKey())
        .containsExactly("data_vault.h_users", "parsed_data.parsed_users");

    broken.set(false);
    Automation.request(client, SPEC, new MaterializeRequest("data_vault.s_users", "fixed", Trigger.CLI));
    awaitIdle(5);
    assertThat(status().failures()).isEmpty();
    assertThat(status().lastRun().status()).isEqualTo(RunSummary.Status.COMPLETED);
    assertThat(status().materializations()).extracting(m -> m.assetKey()).contains("data_vault.s_users");
  }

  @Test
  void aRequestJoiningAPendingRetryRunsItAtOnceAsOneRun() {
    AtomicInteger attempts = new AtomicInteger();
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      if (attempts.incrementAndGet() == 1) {
        throw ApplicationFailure.newFailure("transient trouble", FailureTypes.SQL);
      }
      return new MaterializeResult(inv.getArgument(0), 1, 1, 0);
    });
    start(w -> w.registerActivitiesImplementations(models));

    Automation.request(client, SPEC, new MaterializeRequest("data_vault.h_users", "first", Trigger.CLI));
    PendingRun retry = awaitRetry(1);
    Automation.request(client, SPEC, new MaterializeRequest("data_vault.h_accounts", "new rows", Trigger.CLI));
    awaitIdle(2);

    assertThat(env.currentTimeMillis()).as("the merged run did not wait for the backoff")
        .isLessThan(retry.dueAtMillis());
    assertThat(status().runsCompleted()).isEqualTo(1);
    assertThat(calls()).extracting(Call::assetKey)
        .containsExactlyInAnyOrder("data_vault.h_users", "data_vault.h_users", "data_vault.h_accounts");
  }
}
