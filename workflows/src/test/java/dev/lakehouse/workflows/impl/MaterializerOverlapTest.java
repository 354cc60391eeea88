package dev.lakehouse.workflows.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.workflows.AssetFinished;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.BackfillRequest;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeInput;
import dev.lakehouse.workflows.MaterializeOutcome;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializeWorkflow;
import dev.lakehouse.workflows.MaterializerInput;
import dev.lakehouse.workflows.MaterializerRetry;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.RunSummary;
import dev.lakehouse.workflows.Trigger;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelActivities;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Runs in flight side by side (docs/architecture.md#overlapping-runs), proven by the order of the model activity
 * calls: each call is logged when it starts and when it ends, and one writer per table means no two runs' calls of
 * one model ever interleave, in start order of the runs.
 */
class MaterializerOverlapTest extends WorkflowTestSupport {
  private static final String USERS = "raw_data.users+";
  private static final String S_USERS = "data_vault.s_users";
  private static final String PARSED_USERS = "parsed_data.parsed_users";

  private final ModelActivities models = mock(ModelActivities.class, withSettings().withoutAnnotations());
  private final List<Event> events = new CopyOnWriteArrayList<>();
  /** Holds the first call of {@link #S_USERS} until counted down. */
  private final CountDownLatch hold = new CountDownLatch(1);
  private final AtomicInteger sUsersCalls = new AtomicInteger();

  private record Event(boolean start, String runId, String assetKey, boolean fullRefresh) {}

  /** Every model succeeds; the first s_users call waits for {@link #hold}, and fails when {@code failFirst}. */
  private void models(boolean failFirst) {
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      String key = inv.getArgument(0);
      MaterializeContext context = inv.getArgument(1);
      events.add(new Event(true, context.runId(), key, context.fullRefresh()));
      try {
        if (key.equals(S_USERS) && sUsersCalls.incrementAndGet() == 1) {
          hold.await(30, TimeUnit.SECONDS);
          if (failFirst) {
            throw ApplicationFailure.newNonRetryableFailure("s_users broke", FailureTypes.SQL);
          }
        }
        return new MaterializeResult(key, 1, 1, 0);
      } finally {
        events.add(new Event(false, context.runId(), key, context.fullRefresh()));
      }
    });
    start(w -> w.registerActivitiesImplementations(models));
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

  private void awaitEvent(Predicate<Event> event) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> events.stream().anyMatch(event));
  }

  private static Predicate<Event> started(String key) {
    return e -> e.start() && e.assetKey().equals(key);
  }

  /** The runs, in the order of their first call. */
  private List<String> runs() {
    return events.stream().map(Event::runId).distinct().toList();
  }

  /** Per model: the calls of different runs never interleave, and come in the runs' start order. */
  private void assertOneWriterPerTable() {
    List<String> runs = runs();
    events.stream().map(Event::assetKey).distinct().forEach(key -> {
      List<Event> calls = events.stream().filter(e -> e.assetKey().equals(key)).toList();
      for (int i = 0; i < calls.size(); i += 2) {
        Event start = calls.get(i);
        Event end = calls.get(i + 1);
        assertThat(start.start()).as(key + ": a call starts while another is open: " + calls).isTrue();
        assertThat(end).as(key + ": the next event ends the same call").isEqualTo(new Event(false, start.runId(),
            key, start.fullRefresh()));
        if (i > 0) {
          assertThat(runs.indexOf(start.runId())).as(key + ": runs in start order").isGreaterThan(
              runs.indexOf(calls.get(i - 2).runId()));
        }
      }
    });
  }

  private int index(Predicate<Event> event) {
    for (int i = 0; i < events.size(); i++) {
      if (event.test(events.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such event in " + events);
  }

  private void request(String selection) {
    Automation.request(client, SPEC, new MaterializeRequest(selection, "test", Trigger.SENSOR));
  }

  @Test
  void theNextRunParsesWhileThePreviousLoadsTheVaultOneWriterPerTable() {
    models(false);
    request(USERS);
    awaitEvent(started(S_USERS));
    String first = runs().get(0);

    request(USERS); // starts at once beside the first
    awaitEvent(e -> !e.start() && e.assetKey().equals(PARSED_USERS) && !e.runId().equals(first));
    String second = runs().get(1);
    assertThat(status().inFlight()).hasSize(2);
    assertThat(status().running().selections()).containsExactly(USERS);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status().materializations())
        .as("recorded when reported, before the second run ends")
        .filteredOn(m -> m.assetKey().equals(PARSED_USERS)).singleElement()
        .satisfies(m -> assertThat(m.runWorkflowId()).isEqualTo(second)));
    assertThat(status().inFlight()).as("both still in flight").hasSize(2);
    assertThat(events).as("the second run's parse ran while the first still loads s_users")
        .noneMatch(e -> !e.start() && e.assetKey().equals(S_USERS))
        .as("the second run's s_users waits for the first's").noneMatch(e -> e.assetKey().equals(S_USERS)
            && e.runId().equals(second));

    hold.countDown();
    awaitIdle(2);
    assertOneWriterPerTable();
    assertThat(index(e -> e.start() && e.assetKey().equals(S_USERS) && e.runId().equals(second)))
        .isGreaterThan(index(e -> !e.start() && e.assetKey().equals(S_USERS) && e.runId().equals(first)));
    MaterializerStatus s = status();
    assertThat(s.runsCompleted()).isEqualTo(2);
    assertThat(s.inFlight()).isEmpty();
    assertThat(s.materializations()).filteredOn(m -> m.assetKey().equals(S_USERS)).singleElement()
        .satisfies(m -> assertThat(m.runWorkflowId()).isEqualTo(second));
    Histories.recordIfRequested(client, Lakehouse.MATERIALIZER_ID, "materializer-overlapping-runs");
    Histories.recordIfRequested(client, second, "materialize-awaiting-release");
  }

  @Test
  void aFullRefreshOverlapsNothing() {
    models(false);
    request(USERS);
    awaitEvent(started(S_USERS));
    Automation.backfill(client, SPEC, new BackfillRequest("data_vault.h_users", true, "rebuild", Trigger.BACKFILL));
    request("raw_data.accounts+"); // shares no model with the first run, yet queues behind the full refresh
    await().atMost(Duration.ofSeconds(30)).until(() -> status().queue().size() == 2);
    assertThat(status().inFlight()).hasSize(1);

    hold.countDown();
    awaitIdle(3);
    assertOneWriterPerTable();
    List<String> runs = runs();
    assertThat(runs).hasSize(3);
    int fullRefreshStart = index(e -> e.start() && e.fullRefresh());
    int fullRefreshEnd = index(e -> !e.start() && e.fullRefresh());
    assertThat(events.subList(0, fullRefreshStart)).as("the first run ended before the full refresh started")
        .allMatch(e -> e.runId().equals(runs.get(0))).hasSize((int) events.stream()
            .filter(e -> e.runId().equals(runs.get(0))).count());
    assertThat(events.subList(fullRefreshEnd + 1, events.size())).as("the next run started after it ended")
        .isNotEmpty().allMatch(e -> e.runId().equals(runs.get(2)) && e.assetKey().contains("accounts"));
  }

  /**
   * A run that reported every model and only writes its check results holds no slot: with two runs in that state,
   * a third starts (without the rule it would wait for one of them to end).
   */
  @Test
  void aRunWritingOnlyItsCheckResultsHoldsNoSlot() throws Exception {
    CountDownLatch writes = new CountDownLatch(1);
    doAnswer(inv -> {
      writes.await(30, TimeUnit.SECONDS);
      return null;
    }).when(checks).record(any());
    models(false);
    hold.countDown();
    for (int run = 1; run <= 3; run++) {
      request(USERS);
      int started = run;
      await().atMost(Duration.ofSeconds(30)).until(() -> runs().size() == started
          && events.stream().filter(e -> !e.start() && e.runId().equals(runs().get(started - 1))).count()
          == GRAPH.plan(USERS).assetKeys().size());
    }
    assertThat(status().inFlight()).as("three runs in flight, two of them only writing check results").hasSize(3);
    assertThat(status().queue()).isEmpty();

    writes.countDown();
    awaitIdle(3);
    assertThat(status().runsCompleted()).isEqualTo(3);
    assertOneWriterPerTable();
    Histories.recordIfRequested(client, Lakehouse.MATERIALIZER_ID, "materializer-reported-run-frees-slot");
  }

  @Test
  void aFailedRunsRetryRunsAfterTheLaterRunThatSucceededAndLeavesNoFailure() {
    models(true);
    request(USERS);
    awaitEvent(started(S_USERS));
    request(USERS);
    awaitEvent(e -> !e.start() && e.assetKey().equals(PARSED_USERS) && !e.runId().equals(runs().get(0)));
    hold.countDown(); // the first run's s_users fails; the second's s_users runs after it, and succeeds

    await().atMost(Duration.ofSeconds(30)).until(() -> {
      MaterializerStatus s = status();
      return s.runsFailed() == 1 && s.runsCompleted() == 1 && s.queue().size() == 1 && s.queue().get(0).retry() == 1;
    });
    env.sleep(Duration.ofSeconds(31)); // past the first backoff
    awaitIdle(3);

    assertOneWriterPerTable();
    List<String> sUsersRuns = events.stream().filter(e -> e.start() && e.assetKey().equals(S_USERS))
        .map(Event::runId).toList();
    List<String> runs = runs();
    assertThat(sUsersRuns).as("first (failed), second, then the first's retry").containsExactly(runs.get(0),
        runs.get(1), runs.get(2));
    MaterializerStatus s = status();
    assertThat(s.failures()).isEmpty();
    assertThat(s.lastRun().status()).isEqualTo(RunSummary.Status.COMPLETED);
    assertThat(s.materializations()).filteredOn(m -> m.assetKey().equals(S_USERS)).singleElement()
        .satisfies(m -> assertThat(m.runWorkflowId()).isEqualTo(runs.get(2)));
  }

  @Test
  void continuesAsNewOnlyOnceNothingIsInFlight() {
    models(false);
    MaterializerWorkflow stub = client.newWorkflowStub(MaterializerWorkflow.class,
        Automation.options(SPEC, Lakehouse.MATERIALIZER_ID));
    WorkflowClient.start(stub::run, new MaterializerInput(2, List.of(), false, 0, 0, null, null, 0,
        MaterializerRetry.DEFAULT, null, 2));
    String firstExecution = currentRunId();
    request(USERS);
    awaitEvent(started(S_USERS));
    request(USERS);
    awaitEvent(e -> !e.start() && e.assetKey().equals(PARSED_USERS) && !e.runId().equals(runs().get(0)));
    request("raw_data.accounts+"); // the limit of two runs is reached: waits for the next execution
    await().atMost(Duration.ofSeconds(30)).until(() -> status().queue().size() == 1);
    assertThat(currentRunId()).as("no continue-as-new while runs are in flight").isEqualTo(firstExecution);
    assertThat(status().inFlight()).hasSize(2);
    assertThat(runs()).hasSize(2);

    hold.countDown();
    awaitIdle(3);
    assertThat(currentRunId()).isNotEqualTo(firstExecution);
    List<String> runs = runs();
    assertThat(runs).hasSize(3);
    for (String run : runs) {
      assertThat(client.newUntypedWorkflowStub(run, Optional.empty(), Optional.empty()).describe().getStatus())
          .as(run).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    }
    assertThat(status().runsCompleted()).isEqualTo(3);
    assertOneWriterPerTable();
  }

  @Test
  void aReleaseBeforeTheRunWaitsAndAReportOfNoRunAreHarmless() {
    models(false);
    hold.countDown();
    MaterializeInput input = new MaterializeInput(GRAPH.plan(PARSED_USERS), false, List.of(PARSED_USERS), true);

    // awaited and not released: nothing runs, until the release
    MaterializeWorkflow waiting = child("awaiting-1");
    WorkflowClient.start(waiting::run, input);
    env.sleep(Duration.ofMinutes(5));
    assertThat(events).isEmpty();
    waiting.released(PARSED_USERS);
    assertThat(WorkflowStub.fromTyped(waiting).getResult(MaterializeOutcome.class).results())
        .extracting(MaterializeResult::assetKey).containsExactly(PARSED_USERS);

    // released before the run starts (signalWithStart delivers the signal first)
    MaterializeWorkflow early = child("awaiting-2");
    BatchRequest batch = client.newSignalWithStartRequest();
    batch.add(early::run, input);
    batch.add(early::released, PARSED_USERS);
    client.signalWithStart(batch);
    assertThat(WorkflowStub.fromTyped(early).getResult(MaterializeOutcome.class).results()).hasSize(1);

    // a report from a run the coordinator does not have in flight (it ended) changes nothing
    request("data_vault.h_users");
    awaitIdle(1);
    client.newWorkflowStub(MaterializerWorkflow.class, Lakehouse.MATERIALIZER_ID)
        .assetFinished(new AssetFinished("materializer-run-99-gone", "data_vault.h_users"));
    request("data_vault.h_users");
    awaitIdle(2);
    assertThat(status().runsCompleted()).isEqualTo(2);
  }

  private MaterializeWorkflow child(String id) {
    return client.newWorkflowStub(MaterializeWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TASK_QUEUE).build());
  }

  private String currentRunId() {
    return client.newUntypedWorkflowStub(Lakehouse.MATERIALIZER_ID, Optional.empty(), Optional.empty()).describe()
        .getExecution().getRunId();
  }
}
