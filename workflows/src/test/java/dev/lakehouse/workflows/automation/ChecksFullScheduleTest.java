package dev.lakehouse.workflows.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSeverity;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.AssetChecksInput;
import dev.lakehouse.workflows.AssetChecksOutcome;
import dev.lakehouse.workflows.LakehouseWorkflows;
import dev.lakehouse.workflows.RunSearchAttributes;
import dev.lakehouse.workflows.activities.AssetCheckActivities;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.CheckRequest;
import dev.lakehouse.workflows.assets.AssetGraph;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * What a run of the {@code checks-full} schedule does. Temporal's test server has no Schedules (the e2e
 * {@code AutomationIT} triggers real ones): this starts the action {@link ScheduleAutomation} gives the schedule
 * (its workflow type, input and task queue), as the server does on each tick or {@code lakehouse schedules trigger},
 * on a worker with every workflow and fake checks.
 */
class ChecksFullScheduleTest {
  /** The checkout's spec without its user models (their checks are the same activity; fewer assets to list). */
  static final PipelineSpec SPEC = SpecLoader.load().withUserModels(List.of());

  private final AssetCheckActivities checks = mock(AssetCheckActivities.class, withSettings().withoutAnnotations()
      .defaultAnswer(inv -> inv.getMethod().getName().equals("evaluate") ? passing(inv.getArgument(0)) : null));
  private TestWorkflowEnvironment env;

  static AssetCheckReport passing(String asset) {
    return new AssetCheckReport(asset, List.of(new AssetCheckResult(asset, "unique key", CheckKind.UNIQUE,
        CheckSeverity.ERROR, true, 0, List.of(), null)));
  }

  @AfterEach
  void close() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void aRunOfTheScheduleChecksEveryModelOverWholeTablesAndRecordsTheResultsOnce() {
    env = TestWorkflowEnvironment.newInstance();
    RunSearchAttributes.ALL.forEach(k -> env.registerSearchAttribute(k.getName(), k.getValueType()));
    Worker worker = env.newWorker(SPEC.endpoints().temporal().taskQueue());
    LakehouseWorkflows.register(worker, AssetGraph.fromSpec(SPEC));
    worker.registerActivitiesImplementations(checks);
    env.start();

    ScheduledJob job = AutomationPlan.checksFullSchedule(SPEC).get(0);
    Schedule schedule = new ScheduleAutomation(env.getWorkflowClient(), SPEC).schedule(job,
        ScheduleState.newBuilder().build());
    assertThat(schedule.getSpec().getCronExpressions()).containsExactly(SPEC.schedules().checksFullCron());
    ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) schedule.getAction();
    // the server starts <schedule-id>-<scheduled time> with the action's type, input and options
    String runId = action.getOptions().getWorkflowId() + "-2026-12-07T03:00:00Z";
    WorkflowStub run = env.getWorkflowClient().newUntypedWorkflowStub(action.getWorkflowType(),
        WorkflowOptions.newBuilder(action.getOptions()).setWorkflowId(runId).build());
    run.start(action.getArguments().get(0, AssetChecksInput.class));
    AssetChecksOutcome outcome = run.getResult(AssetChecksOutcome.class);

    List<String> models = AssetGraph.fromSpec(SPEC).plan("kind:model").assetKeys();
    assertThat(models).contains("parsed_data.parsed_users", "data_vault.s_users", "data_vault.l_users_accounts");
    assertThat(outcome.errors()).isEmpty();
    assertThat(outcome.reports()).extracting(AssetCheckReport::assetKey).containsExactlyElementsOf(models);
    for (String model : models) {
      verify(checks).evaluate(model, new CheckRequest(runId, true, null, null));
    }
    // as lakehouse checks --full: whole tables, one write of every result, nothing through the per-asset write
    ArgumentCaptor<CheckRecord> recorded = ArgumentCaptor.forClass(CheckRecord.class);
    verify(checks).record(recorded.capture());
    assertThat(recorded.getValue().wholeTable()).isTrue();
    assertThat(recorded.getValue().runId()).isEqualTo(runId);
    assertThat(recorded.getValue().reports()).hasSize(models.size());
    verify(checks, never()).check(anyString(), any());
  }
}
