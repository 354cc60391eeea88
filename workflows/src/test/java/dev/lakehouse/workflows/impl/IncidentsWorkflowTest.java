package dev.lakehouse.workflows.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.FreshnessVerdict;
import dev.lakehouse.workflows.HealthInput;
import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.Incident;
import dev.lakehouse.workflows.IncidentsInput;
import dev.lakehouse.workflows.IncidentsWorkflow;
import dev.lakehouse.workflows.IngestionHealthWorkflow;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaintenanceInput;
import dev.lakehouse.workflows.MaintenanceWorkflow;
import dev.lakehouse.workflows.activities.AlertActivities;
import dev.lakehouse.workflows.activities.ConnectActivities;
import dev.lakehouse.workflows.activities.ConnectorStatus;
import dev.lakehouse.workflows.activities.ConsumerLag;
import dev.lakehouse.workflows.activities.FlinkActivities;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import dev.lakehouse.workflows.activities.FreshnessActivities;
import dev.lakehouse.workflows.activities.KafkaActivities;
import dev.lakehouse.workflows.activities.MaintenanceActivities;
import dev.lakehouse.workflows.activities.ModelFreshness;
import dev.lakehouse.workflows.activities.SlotLag;
import dev.lakehouse.workflows.activities.SourceActivities;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Incidents open and resolve once each, survive continue-as-new, and come from health checks and maintenance. */
class IncidentsWorkflowTest extends WorkflowTestSupport {

  /** Records every alert; fails the first {@code failures} calls (a sink that is down for a while). */
  public static class RecordingAlerts implements AlertActivities {
    final List<String> sent = new CopyOnWriteArrayList<>();
    int failures;

    @Override
    public synchronized String send(Incident incident, boolean resolved) {
      if (failures > 0) {
        failures--;
        throw new IllegalStateException("webhook down");
      }
      sent.add((resolved ? "resolved " : "opened ") + incident.kind() + " " + incident.asset());
      return "recorded";
    }
  }

  static Incident flink(String message) {
    return new Incident("health", Incident.Kind.INGESTION_UNHEALTHY, "flink:ingest", message, 1_000, "run-1");
  }

  IncidentsWorkflow startIncidents(RecordingAlerts alerts, int reportsPerExecution) {
    start(w -> w.registerActivitiesImplementations(alerts));
    WorkflowClient.start(client.newWorkflowStub(IncidentsWorkflow.class,
        Automation.options(SPEC, Lakehouse.INCIDENTS_ID))::run, new IncidentsInput(List.of(), reportsPerExecution));
    return client.newWorkflowStub(IncidentsWorkflow.class, Lakehouse.INCIDENTS_ID);
  }

  @Test
  void anIncidentAlertsOnceWhenItOpensNeverWhileItLastsAndOnceWhenItResolves() {
    RecordingAlerts alerts = new RecordingAlerts();
    IncidentsWorkflow incidents = startIncidents(alerts, 500);
    Incident maintenance = new Incident("maintenance-vault", Incident.Kind.MAINTENANCE_FAILED, "vault", "x", 5, "m");
    incidents.report("maintenance-vault", List.of(maintenance));
    incidents.report("health", List.of(flink("flink ingest job is CANCELED, resubmitting")));
    incidents.report("health", List.of(flink("last flink checkpoint is 90 s old")));
    incidents.report("health", List.of(flink("last flink checkpoint is 95 s old")));
    env.sleep(Duration.ofSeconds(5));
    // alerts run in parallel: their order is not the reports'
    assertThat(alerts.sent).containsExactlyInAnyOrder("opened MAINTENANCE_FAILED vault",
        "opened INGESTION_UNHEALTHY flink:ingest");
    assertThat(incidents.open()).extracting(Incident::message)
        .containsExactly("x", "last flink checkpoint is 95 s old");
    assertThat(incidents.open()).extracting(Incident::sinceMillis).containsExactly(5L, 1_000L);

    incidents.report("health", List.of()); // another scope's incident stays open
    incidents.report("health", List.of());
    env.sleep(Duration.ofSeconds(5));
    assertThat(alerts.sent).hasSize(3).endsWith("resolved INGESTION_UNHEALTHY flink:ingest");
    assertThat(incidents.open()).extracting(Incident::asset).containsExactly("vault");
  }

  @Test
  void openIncidentsSurviveContinueAsNewAndADeadSinkIsRetriedWithoutHoldingReports() {
    RecordingAlerts alerts = new RecordingAlerts();
    alerts.failures = 2;
    IncidentsWorkflow incidents = startIncidents(alerts, 3);
    String firstRun = client.newUntypedWorkflowStub(Lakehouse.INCIDENTS_ID).describe().getExecution().getRunId();
    incidents.report("health", List.of(flink("down")));
    incidents.report("health", List.of(flink("still down")));
    incidents.report("health", List.of(flink("still down")));
    env.sleep(Duration.ofMinutes(1)); // the alert's retries (5 s, 10 s), then continue-as-new after 3 reports
    assertThat(client.newUntypedWorkflowStub(Lakehouse.INCIDENTS_ID).describe().getExecution().getRunId())
        .isNotEqualTo(firstRun);
    assertThat(incidents.open()).extracting(Incident::asset).containsExactly("flink:ingest");
    incidents.report("health", List.of(flink("still down")));
    incidents.report("health", List.of());
    env.sleep(Duration.ofSeconds(5));
    assertThat(alerts.sent).containsExactly("opened INGESTION_UNHEALTHY flink:ingest",
        "resolved INGESTION_UNHEALTHY flink:ingest");
  }

  @Test
  void aHealthCheckReportsIngestionAndFreshnessIncidents() {
    RecordingAlerts alerts = new RecordingAlerts();
    ConnectActivities connect = mock(ConnectActivities.class, withSettings().withoutAnnotations());
    FlinkActivities flink = mock(FlinkActivities.class, withSettings().withoutAnnotations());
    KafkaActivities kafka = mock(KafkaActivities.class, withSettings().withoutAnnotations());
    SourceActivities source = mock(SourceActivities.class, withSettings().withoutAnnotations());
    FreshnessActivities freshness = mock(FreshnessActivities.class, withSettings().withoutAnnotations());
    when(connect.status()).thenReturn(new ConnectorStatus("bank-connector", "RUNNING", List.of()));
    when(flink.jobStatus()).thenReturn(new FlinkJobStatus("j1", "lakehouse-ingest", "CANCELED", null));
    when(flink.ensureIngestJob()).thenReturn(new FlinkJobStatus("j2", "lakehouse-ingest", "RUNNING", null));
    when(kafka.consumerLag()).thenReturn(new ConsumerLag("lakehouse-ingest", 0, Map.of()));
    when(source.slotLag()).thenReturn(new SlotLag("bank_slot", true, 2_000));
    start(w -> w.registerActivitiesImplementations(alerts, connect, flink, kafka, source, freshness));
    WorkflowClient.start(client.newWorkflowStub(IncidentsWorkflow.class,
        Automation.options(SPEC, Lakehouse.INCIDENTS_ID))::run, IncidentsInput.initial());
    long now = env.currentTimeMillis();
    when(freshness.modelLags()).thenReturn(List.of(
        new ModelFreshness("data_vault.s_users", 3, now - 100_000, null),
        new ModelFreshness("data_vault.h_users", 3, now - 100_000, null),
        new ModelFreshness("parsed_data.parsed_users", 0, null, null)));

    HealthInput input = new HealthInput(60_000, 1_000L, Map.of("data_vault.s_users", 30_000L,
        "data_vault.h_users", 120_000L, "parsed_data.parsed_users", 30_000L));
    HealthReport report = client.newWorkflowStub(IngestionHealthWorkflow.class,
        Automation.options(SPEC, "ingestion-health-test")).check(input);

    assertThat(report.problems()).containsExactly("flink ingest job is CANCELED, resubmitting",
        "replication slot bank_slot lags 2000 bytes (more than 1000)");
    FreshnessVerdict users = report.freshness().get(0);
    assertThat(users.violated()).isTrue();
    assertThat(users.lagMillis()).isBetween(100_000L, 110_000L);
    assertThat(users.violatedSinceMillis()).isEqualTo(now - 100_000 + 30_000);
    assertThat(report.freshness()).extracting(FreshnessVerdict::violated).containsExactly(true, false, false);
    env.sleep(Duration.ofSeconds(5));
    IncidentsWorkflow incidents = client.newWorkflowStub(IncidentsWorkflow.class, Lakehouse.INCIDENTS_ID);
    assertThat(incidents.open()).extracting(i -> i.kind() + " " + i.asset()).containsExactly(
        "INGESTION_UNHEALTHY flink:ingest", "INGESTION_UNHEALTHY replication-slot",
        "FRESHNESS_VIOLATED data_vault.s_users");
    assertThat(alerts.sent).hasSize(3);
  }

  /** A workflow's status without waiting on it (so without letting the test server skip time). */
  private String status(String workflowId) {
    return client.newUntypedWorkflowStub(workflowId).describe().getStatus().name()
        .replace("WORKFLOW_EXECUTION_STATUS_", "");
  }

  @Test
  void aFailedMaintenanceRunOpensItsIncidentAndTheNextGoodRunResolvesIt() {
    RecordingAlerts alerts = new RecordingAlerts();
    MaintenanceActivities maintenance = mock(MaintenanceActivities.class, withSettings().withoutAnnotations());
    when(maintenance.tables("all")).thenReturn(List.of("data_vault.s_users"));
    IllegalStateException full = new IllegalStateException("disk full");
    // every attempt of the first run fails (3 attempts), the second run's succeeds
    when(maintenance.dropExtendedStats("data_vault.s_users")).thenThrow(full, full, full)
        .thenReturn(new dev.lakehouse.workflows.activities.MaintenanceResult("data_vault.s_users",
            "drop_extended_stats", "done"));
    start(w -> w.registerActivitiesImplementations(alerts, maintenance));
    WorkflowClient.start(client.newWorkflowStub(IncidentsWorkflow.class,
        Automation.options(SPEC, Lakehouse.INCIDENTS_ID))::run, IncidentsInput.initial());
    MaintenanceInput input = new MaintenanceInput("all", List.of("drop_extended_stats"), null, null, null);

    // Started without waiting on their results: a client call that waits lets the time-skipping test server jump
    // to its next timer whenever nothing runs, and once the maintenance run has ended, the only timer left is the
    // incidents workflow's execution timeout (the test server gives one to a workflow started without): it timed
    // out, and the next report found no workflow. env.sleep skips exactly the attempts' backoff (30 s, 60 s).
    WorkflowClient.start(client.newWorkflowStub(MaintenanceWorkflow.class,
        Automation.options(SPEC, "maintenance-1"))::run, input);
    env.sleep(Duration.ofMinutes(5));
    await().atMost(Duration.ofSeconds(30)).until(() -> status("maintenance-1").equals("FAILED"));
    IncidentsWorkflow incidents = client.newWorkflowStub(IncidentsWorkflow.class, Lakehouse.INCIDENTS_ID);
    await().atMost(Duration.ofSeconds(10)).until(() -> incidents.open().size() == 1);
    assertThat(incidents.open().get(0).message()).contains("disk full");
    WorkflowClient.start(client.newWorkflowStub(MaintenanceWorkflow.class,
        Automation.options(SPEC, "maintenance-2"))::run, input);
    await().atMost(Duration.ofSeconds(30)).until(() -> status("maintenance-2").equals("COMPLETED"));
    assertThat(status(Lakehouse.INCIDENTS_ID)).isEqualTo("RUNNING");
    // the run reports to the incidents workflow by signal: on a loaded machine its handling can lag the run's end
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(incidents.open()).isEmpty());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(alerts.sent)
        .containsExactly("opened MAINTENANCE_FAILED all", "resolved MAINTENANCE_FAILED all"));
  }
}
