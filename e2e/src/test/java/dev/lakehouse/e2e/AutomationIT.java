package dev.lakehouse.e2e;

import static dev.lakehouse.e2e.CliDocTemporalCliIT.line;
import static dev.lakehouse.e2e.CliDocTemporalCliIT.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.StackEndpoints;
import dev.lakehouse.stack.TemporalCli;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.worker.LakehouseWorker;
import dev.lakehouse.worker.WorkerConfig;
import dev.lakehouse.worker.WorkerMain;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.lakehouse.activities.flink.FlinkActivitiesImpl;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.IncidentsWorkflow;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaintenanceReport;
import dev.lakehouse.workflows.MaintenanceWorkflow;
import dev.lakehouse.workflows.SensorWorkflow;
import dev.lakehouse.workflows.automation.AutomationPlan;
import dev.lakehouse.workflows.automation.Change;
import dev.lakehouse.workflows.automation.Reconciler;
import dev.lakehouse.workflows.automation.ScheduleAutomation;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleDescription;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The automation on the real Temporal dev server (the in-process test server has no Schedules): an older
 * lakehouse's cron workflow is replaced by its schedule, the `temporal schedule` lines of docs/cli.md list,
 * toggle, trigger (a maintenance run completes) and backfill, a cron and a sensor interval changed in the spec are
 * applied by automation start (the sensor without a restart), and stop/start pause and resume everything.
 * Runs with the trino and temporal services alone too (LAKEHOUSE_STACK_ONLY=trino,temporal).
 */
@Order(6)
@ExtendWith(LakehouseStackExtension.class)
class AutomationIT {
  static LakehouseWorker worker;

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.close();
    }
  }

  static PipelineSpec spec(Map<String, Object> extra) {
    Map<String, Object> o = new HashMap<>(LakehouseStackExtension.configOverrides());
    o.putAll(extra);
    return SpecLoader.load(o);
  }

  static List<String> lines(List<Change> changes) {
    return changes.stream().map(Change::line).toList();
  }

  @Test
  void schedulesAreCreatedListedTriggeredAndReconciledWithTheSpec(Endpoints e) throws Exception {
    PipelineSpec spec = spec(Map.of());
    worker = WorkerMain.create(WorkerMain.modules(spec, WorkerConfig.from(spec).withAutomation(false)));
    worker.start();
    WorkflowClient client = worker.client();

    // an older lakehouse: maintenance-vault is a cron workflow
    WorkflowClient.start(client.newWorkflowStub(MaintenanceWorkflow.class,
        WorkflowOptions.newBuilder(Automation.options(spec, Lakehouse.MAINTENANCE_VAULT_ID))
            .setCronSchedule("0 1 * * *").build())::run,
        AutomationPlan.maintenanceInput("vault", spec.schedules().maintenance().vault()));
    assertThat(status(client, Lakehouse.MAINTENANCE_VAULT_ID))
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

    List<String> first = new ArrayList<>();
    new ScheduleAutomation(client, spec).start(c -> first.add(c.line()));
    System.out.println("automation start:\n  " + String.join("\n  ", first));
    assertThat(first).contains("workflow maintenance-vault: legacy cron workflow terminated, replaced by the schedule");
    // (earlier ITs of the suite may have left sensors running with another interval: start applied the spec's)
    assertThat(client.newWorkflowStub(SensorWorkflow.class, Lakehouse.sensorId("raw_data.users")).cursor()
        .intervalMillis()).isEqualTo(spec.schedules().sensorInterval().toMillis());
    assertThat(status(client, Lakehouse.MAINTENANCE_VAULT_ID))
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    List<Change> second = new ScheduleAutomation(client, spec).start(c -> { });
    assertThat(second).as(lines(second).toString()).noneMatch(Change::changes);
    assertThat(lines(second)).contains("unchanged: schedule maintenance-vault (cron 0 1 * * *)",
        "unchanged: schedule ingestion-health (cron * * * * *)");

    // the doc's temporal schedule lines
    List<String> doc = CliDocTemporalCliIT.docLines();
    Path cli = TemporalCli.locateOrBuild(System.out::println);
    var list = run(cli, e, line(doc, "temporal schedule list"));
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("ingestion-health", "maintenance-vault", "maintenance-raw-parsed",
        "maintenance-extended-stats", "maintenance-compact-raw");
    assertThat(run(cli, e, line(doc, "--pause")).code()).isZero();
    assertThat(handle(client, spec).describe().getSchedule().getState().isPaused()).isTrue();
    assertThat(new ScheduleAutomation(client, spec).plan()).as("a schedule paused by hand stays paused")
        .noneMatch(Change::changes);
    assertThat(run(cli, e, line(doc, "--unpause")).code()).isZero();
    assertThat(handle(client, spec).describe().getSchedule().getState().isPaused()).isFalse();

    assertThat(run(cli, e, line(doc, "temporal schedule trigger")).code()).isZero();
    String runId = await("the triggered maintenance run").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500)).until(() -> lastRunWorkflowId(client, spec), id -> id != null);
    assertThat(runId).startsWith(Lakehouse.MAINTENANCE_VAULT_ID + "-");
    MaintenanceReport report = client.newUntypedWorkflowStub(runId).getResult(5, TimeUnit.MINUTES,
        MaintenanceReport.class);
    System.out.println("triggered " + runId + ": " + report);
    assertThat(report).isNotNull();
    assertThat(run(cli, e, line(doc, "temporal schedule backfill")).code()).isZero();
    assertThat(run(cli, e, line(doc, "schedule describe --schedule-id maintenance-vault")).out())
        .contains("MaintenanceWorkflow");

    // the spec changes: a cron and the sensor interval
    String sensor = Lakehouse.sensorId("raw_data.users");
    String sensorRun = client.newUntypedWorkflowStub(sensor).describe().getExecution().getRunId();
    PipelineSpec changed = spec(Map.of("lakehouse.schedules.maintenance.vault.cron", "0 4 * * *",
        "lakehouse.schedules.sensor-interval", "2s"));
    List<String> plan = lines(new ScheduleAutomation(client, changed).plan()).stream()
        .filter(l -> !l.startsWith("unchanged")).toList();
    String before = Reconciler.duration(spec.schedules().sensorInterval().toMillis());
    assertThat(plan).containsExactlyInAnyOrder("schedule maintenance-vault: cron 0 1 * * * → 0 4 * * *",
        "sensor sensor-raw_data.users: interval " + before + " → 2s",
        "sensor sensor-raw_data.accounts: interval " + before + " → 2s");
    new ScheduleAutomation(client, changed).start(c -> { });
    ScheduleDescription vault = handle(client, spec).describe();
    assertThat(vault.getInfo().getNextActionTimes()).isNotEmpty().allMatch(t -> t.atZone(ZoneOffset.UTC).getHour() == 4);
    assertThat(client.newWorkflowStub(SensorWorkflow.class, sensor).cursor().intervalMillis()).isEqualTo(2_000);
    assertThat(client.newUntypedWorkflowStub(sensor).describe().getExecution().getRunId())
        .as("the sensor was not restarted").isEqualTo(sensorRun);
    assertThat(new ScheduleAutomation(client, changed).plan()).noneMatch(Change::changes);

    // stop, then start: paused with the stop note and unpaused again; sensors terminated and started again
    List<Change> stopped = new ScheduleAutomation(client, changed).stop();
    assertThat(lines(stopped)).contains("workflow " + sensor + ": terminated", "workflow materializer: terminated",
        "schedule ingestion-health: paused");
    assertThat(handle(client, spec).describe().getSchedule().getState().getNote()).isEqualTo(Reconciler.STOP_NOTE);
    assertThat(status(client, sensor)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    // the open incidents stay: their alerts are neither lost nor repeated by a stop and a start
    assertThat(lines(stopped)).doesNotContain("workflow " + Lakehouse.INCIDENTS_ID + ": terminated");
    assertThat(status(client, Lakehouse.INCIDENTS_ID)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    List<String> restarted = lines(new ScheduleAutomation(client, changed).start(c -> { }));
    assertThat(restarted).contains("schedule maintenance-vault: unpaused (" + Reconciler.STOP_NOTE + ")",
        "sensor " + sensor + ": started, every 2s", "workflow materializer: started");
    assertThat(handle(client, spec).describe().getSchedule().getState().isPaused()).isFalse();
  }

  /**
   * The ingestion incident end to end: the Flink job cancelled by hand gives exactly one alert at a webhook (a
   * loopback HTTP server here), and one recovery alert once a health check has resubmitted it and the next one sees
   * it running; nothing is repeated while it lasts. Needs the whole stack (Flink, Kafka Connect, PostgreSQL).
   */
  @Test
  void aStoppedFlinkJobAlertsOnceAndRecoversOnce(Endpoints e) throws Exception {
    String only = System.getenv("LAKEHOUSE_STACK_ONLY");
    Assumptions.assumeTrue(only == null || only.isBlank(), "needs the whole stack");
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext("/alerts", exchange -> {
      received.add(new ObjectMapper().readTree(exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    hook.start();
    try {
      PipelineSpec spec = spec(Map.of("lakehouse.alerts.webhook.url",
          "http://127.0.0.1:" + hook.getAddress().getPort() + "/alerts"));
      if (worker != null) {
        worker.close();
      }
      worker = WorkerMain.create(WorkerMain.modules(spec, WorkerConfig.from(spec).withAutomation(false)));
      worker.start();
      WorkflowClient client = worker.client();
      Automation.ensureIngestionSetup(client, spec);
      client.newUntypedWorkflowStub(Lakehouse.INGESTION_SETUP_ID).getResult(10, TimeUnit.MINUTES, Object.class);
      new ScheduleAutomation(client, spec).start(c -> System.out.println("automation: " + c.line()));

      FlinkActivitiesImpl flink = new FlinkActivitiesImpl(spec);
      String job = await("the Flink job running").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
          .until(flink::jobStatus, j -> j != null && "RUNNING".equals(j.state())).jobId();
      // a health check that saw it running: no open Flink incident to begin with
      IncidentsWorkflow incidents = client.newWorkflowStub(IncidentsWorkflow.class, Lakehouse.INCIDENTS_ID);
      await("no open Flink incident").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
          .until(() -> incidents.open().stream().noneMatch(i -> i.asset().equals("flink:ingest")));
      // an incident left open by an earlier test may resolve here and alert this hook: only the alerts of the
      // incident the cancel opens count (an incident is known by when it opened)
      Instant cancelledAt = Instant.now().minusSeconds(2);
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(spec.endpoints().flink().url() + "/jobs/"
          + job + "?mode=cancel")).method("PATCH", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding());
      JsonNode opened = await("one alert for the cancelled job").atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> flinkAlertsSince(received, "opened", cancelledAt).stream().findFirst(), Optional::isPresent)
          .orElseThrow();
      assertThat(opened.get("kind").asText()).isEqualTo("ingestion_unhealthy");
      // (a cancelled job is no longer the pipeline's job: the health check reads it as MISSING and resubmits it)
      assertThat(opened.get("message").asText()).contains("flink ingest job is").contains("resubmitting");
      assertThat(opened.get("link").asText()).contains("/namespaces/default/workflows/ingestion-health-");
      String since = opened.get("since").asText();
      await("one recovery alert once it runs again").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
          .until(() -> resolvedOf(received, since), n -> n >= 1);
      Thread.sleep(Duration.ofSeconds(70).toMillis()); // one more health check: nothing repeated
      assertThat(flinkAlertsSince(received, "opened", cancelledAt)).as("alerts received: %s", received).hasSize(1);
      assertThat(resolvedOf(received, since)).as("alerts received: %s", received).isEqualTo(1);
      System.out.println("alerts received: " + received);
    } finally {
      hook.stop(0);
    }
  }

  /** The Flink alerts in {@code state} of the incidents opened at or after {@code from}. */
  static List<JsonNode> flinkAlertsSince(List<JsonNode> received, String state, Instant from) {
    return received.stream().filter(n -> n.path("asset").asText().equals("flink:ingest")
        && n.path("state").asText().equals(state) && !Instant.parse(n.path("since").asText()).isBefore(from))
        .toList();
  }

  static long resolvedOf(List<JsonNode> received, String since) {
    return received.stream().filter(n -> n.path("asset").asText().equals("flink:ingest")
        && n.path("state").asText().equals("resolved") && n.path("since").asText().equals(since)).count();
  }

  /**
   * A maintenance run that fails shows as failed: the schedule, reconciled with a spec whose snapshot retention
   * Trino rejects (below the catalog's minimum of 1 s), is triggered by the docs' line, and
   * `temporal workflow describe` of its run says Failed, naming the operation.
   */
  @Test
  void aMaintenanceRunTrinoRejectsShowsAsFailed(Endpoints e) throws Exception {
    PipelineSpec spec = spec(Map.of("lakehouse.schedules.maintenance.vault.expire-snapshots-older-than", "500ms"));
    if (worker == null) {
      worker = WorkerMain.create(WorkerMain.modules(spec, WorkerConfig.from(spec).withAutomation(false)));
      worker.start();
    }
    WorkflowClient client = worker.client();
    // the vault group needs one existing table: the history table every model run creates (idempotent)
    try (Connection trino = StackEndpoints.openTrino(e); Statement st = trino.createStatement()) {
      for (ModelStatement ddl : OpsSql.ddl()) {
        st.execute(ddl.sql());
      }
    }
    new ScheduleAutomation(client, spec).start(c -> { });
    String before = lastRunWorkflowId(client, spec);
    Path cli = TemporalCli.locateOrBuild(System.out::println);
    assertThat(run(cli, e, line(CliDocTemporalCliIT.docLines(), "temporal schedule trigger")).code()).isZero();
    String runId = await("the triggered maintenance run").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500)).until(() -> lastRunWorkflowId(client, spec),
            id -> id != null && !id.equals(before));
    await("the run fails").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
        .until(() -> status(client, runId), s -> s != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    var described = run(cli, e, "temporal workflow describe --workflow-id " + runId);
    assertThat(described.code()).isZero();
    assertThat(described.out().toLowerCase(java.util.Locale.ROOT)).contains("failed").contains("expire");
    assertThat(status(client, runId)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
    // back to the spec's retention for the classes that share this stack
    new ScheduleAutomation(client, spec(Map.of())).start(c -> { });
  }

  static io.temporal.client.schedules.ScheduleHandle handle(WorkflowClient client, PipelineSpec spec) {
    return new ScheduleAutomation(client, spec).handle(Lakehouse.MAINTENANCE_VAULT_ID);
  }

  static String lastRunWorkflowId(WorkflowClient client, PipelineSpec spec) {
    var recent = handle(client, spec).describe().getInfo().getRecentActions();
    if (recent.isEmpty()) {
      return null;
    }
    return recent.get(recent.size() - 1).getAction() instanceof ScheduleActionExecutionStartWorkflow w
        ? w.getWorkflowId() : null;
  }

  static WorkflowExecutionStatus status(WorkflowClient client, String id) {
    return client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder().setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
        .getWorkflowExecutionInfo().getStatus();
  }
}
