package dev.lakehouse.workflows.impl;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.client.WorkflowFailedException;

import dev.lakehouse.workflows.ScheduledRunWorkflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.BackfillRequest;
import dev.lakehouse.workflows.HealthInput;
import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.IngestionHealthWorkflow;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.Trigger;
import dev.lakehouse.workflows.MaterializerInput;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.PendingRun;
import dev.lakehouse.workflows.SensorInput;
import dev.lakehouse.workflows.SensorWorkflow;
import dev.lakehouse.workflows.activities.CatalogActivities;
import dev.lakehouse.workflows.activities.ConnectActivities;
import dev.lakehouse.workflows.activities.ConnectorStatus;
import dev.lakehouse.workflows.activities.ConsumerLag;
import dev.lakehouse.workflows.activities.FlinkActivities;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import dev.lakehouse.workflows.activities.FreshnessActivities;
import dev.lakehouse.workflows.activities.KafkaActivities;
import dev.lakehouse.workflows.activities.ModelWatermark;
import dev.lakehouse.workflows.activities.PartitionWatch;
import dev.lakehouse.workflows.activities.SlotLag;
import dev.lakehouse.workflows.activities.SnapshotInfo;
import dev.lakehouse.workflows.activities.SourceActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SensorAndHealthTest extends WorkflowTestSupport {

  /** Stands in for the coordinator: records the requests it receives. */
  public static class RecordingMaterializer implements MaterializerWorkflow {
    static final List<MaterializeRequest> REQUESTS = new CopyOnWriteArrayList<>();

    @Override
    public void run(MaterializerInput input) {
      Workflow.await(() -> false);
    }

    @Override
    public void request(MaterializeRequest request) {
      REQUESTS.add(request);
    }

    @Override
    public void backfill(BackfillRequest request) {}

    @Override
    public void assetFinished(dev.lakehouse.workflows.AssetFinished finished) {}

    @Override
    public void pause() {}

    @Override
    public void resume() {}

    @Override
    public MaterializerStatus status() {
      return null;
    }

    @Override
    public List<PendingRun> queue() {
      return List.of();
    }
  }

  @Test
  void sensorSignalsOnlyWhenTheSnapshotChangesAndKeepsItsCursorAcrossContinueAsNew() {
    RecordingMaterializer.REQUESTS.clear();
    CatalogActivities catalog = mock(CatalogActivities.class, withSettings().withoutAnnotations());
    // 3 polls per run: [none, 1, 1] [1, 2, 2] [2, 3, 3] then 3 forever
    Long[] ids = {null, 1L, 1L, 1L, 2L, 2L, 2L, 3L, 3L};
    int[] poll = {0};
    when(catalog.currentSnapshot(anyString())).thenAnswer(inv -> {
      int i = poll[0]++;
      return new SnapshotInfo("raw_data.users", i < ids.length ? ids[i] : 3L, 0L);
    });
    String sensorId = startSensorAndRecordingCoordinator(catalog, 3);

    env.sleep(Duration.ofSeconds(5 * 11 + 2));

    assertThat(poll[0]).isGreaterThanOrEqualTo(ids.length);
    assertThat(RecordingMaterializer.REQUESTS).containsExactly(
        new MaterializeRequest("eager:raw_data.users", "sensor raw_data.users snapshot 1", Trigger.SENSOR),
        new MaterializeRequest("eager:raw_data.users", "sensor raw_data.users snapshot 2", Trigger.SENSOR),
        new MaterializeRequest("eager:raw_data.users", "sensor raw_data.users snapshot 3", Trigger.SENSOR));
    SensorInput cursor = client.newWorkflowStub(SensorWorkflow.class, sensorId).cursor();
    assertThat(cursor.lastSnapshotId()).isEqualTo(3L);
    assertThat(cursor.signalsSent()).isEqualTo(3);
    Histories.recordIfRequested(client, sensorId, "sensor-eager-raw_data.users");
  }

  @Test
  void sensorSkipsSnapshotsThatAddNoRecords() {
    RecordingMaterializer.REQUESTS.clear();
    CatalogActivities catalog = mock(CatalogActivities.class, withSettings().withoutAnnotations());
    // (snapshot id, total records): an empty first commit, data, two empty Flink commits, data, an optimize
    // (replace: new files, same rows), data
    long[][] polls = {{1, 0}, {2, 4}, {3, 4}, {4, 4}, {5, 6}, {6, 6}, {7, 9}};
    int[] poll = {0};
    when(catalog.currentSnapshot(anyString())).thenAnswer(inv -> {
      long[] p = polls[Math.min(poll[0]++, polls.length - 1)];
      return new SnapshotInfo("raw_data.users", p[0], 0L, "append", null, p[1]);
    });
    String sensorId = startSensorAndRecordingCoordinator(catalog, 4);

    env.sleep(Duration.ofSeconds(5 * 9 + 2));

    assertThat(poll[0]).isGreaterThanOrEqualTo(polls.length);
    assertThat(RecordingMaterializer.REQUESTS).containsExactly(
        new MaterializeRequest("eager:raw_data.users", "sensor raw_data.users snapshot 2 (4 records)",
            Trigger.SENSOR),
        new MaterializeRequest("eager:raw_data.users", "sensor raw_data.users snapshot 5 (2 records)",
            Trigger.SENSOR),
        new MaterializeRequest("eager:raw_data.users", "sensor raw_data.users snapshot 7 (3 records)",
            Trigger.SENSOR));
    SensorInput cursor = client.newWorkflowStub(SensorWorkflow.class, sensorId).cursor();
    assertThat(cursor.lastSnapshotId()).isEqualTo(7L);
    assertThat(cursor.lastTotalRecords()).isEqualTo(9L);
    assertThat(cursor.signalsSent()).isEqualTo(3);
  }

  /**
   * A sensor on {@code raw_data.users} (5 s polls, continue-as-new after {@code pollsPerRun}) reading the given
   * catalog, and the {@link RecordingMaterializer} as the coordinator; returns the sensor's workflow id.
   */
  private String startSensorAndRecordingCoordinator(CatalogActivities catalog, int pollsPerRun) {
    startCustom(w -> {
      w.registerWorkflowImplementationTypes(SensorWorkflowImpl.class, RecordingMaterializer.class);
      w.registerActivitiesImplementations(catalog);
    });
    WorkflowClient.start(client.newWorkflowStub(MaterializerWorkflow.class,
        Automation.options(SPEC, Lakehouse.MATERIALIZER_ID))::run, Automation.materializerInput(SPEC));
    String sensorId = Lakehouse.sensorId("raw_data.users");
    WorkflowClient.start(client.newWorkflowStub(SensorWorkflow.class, Automation.options(SPEC, sensorId))::run,
        new SensorInput("raw_data.users", 5000, pollsPerRun, null, 0));
    return sensorId;
  }

  @Test
  void setIntervalChangesThePollingWithoutARestartAndSurvivesContinueAsNew() {
    CatalogActivities catalog = mock(CatalogActivities.class, withSettings().withoutAnnotations());
    int[] poll = {0};
    when(catalog.currentSnapshot(anyString())).thenAnswer(inv -> {
      poll[0]++;
      return null;
    });
    String sensorId = startSensorAndRecordingCoordinator(catalog, 3);
    env.sleep(Duration.ofSeconds(11));
    assertThat(poll[0]).isEqualTo(2);

    client.newWorkflowStub(SensorWorkflow.class, sensorId).setInterval(60_000);
    env.sleep(Duration.ofSeconds(5)); // the sleep in progress (5 s) ends, the next one is a minute
    int afterSignal = poll[0];
    env.sleep(Duration.ofSeconds(50));
    assertThat(poll[0]).isEqualTo(afterSignal);
    env.sleep(Duration.ofMinutes(3)); // continue-as-new after 3 polls: the new run keeps the minute
    assertThat(client.newWorkflowStub(SensorWorkflow.class, sensorId).cursor().intervalMillis()).isEqualTo(60_000);
    assertThat(poll[0]).isBetween(afterSignal + 2, afterSignal + 4);
  }

  @Test
  void aModelScheduleTickRequestsItsSelectionAndFailsVisiblyWithoutTheCoordinator() {
    RecordingMaterializer.REQUESTS.clear();
    startCustom(w -> w.registerWorkflowImplementationTypes(ScheduledRunWorkflowImpl.class, RecordingMaterializer.class));
    MaterializeRequest tick = new MaterializeRequest("eager:marts.user_balances", "schedule", Trigger.SCHEDULE);
    assertThatThrownBy(() -> client.newWorkflowStub(ScheduledRunWorkflow.class, Automation.options(SPEC, "tick-1"))
        .run(tick)).isInstanceOf(WorkflowFailedException.class).rootCause()
        .hasMessageContaining("the coordinator 'materializer' is not running, so eager:marts.user_balances was not"
            + " requested; start it with `lakehouse automation start`");
    WorkflowClient.start(client.newWorkflowStub(MaterializerWorkflow.class,
        Automation.options(SPEC, Lakehouse.MATERIALIZER_ID))::run, Automation.materializerInput(SPEC));
    client.newWorkflowStub(ScheduledRunWorkflow.class, Automation.options(SPEC, "tick-2")).run(tick);
    // the tick ends once the signal is sent; the coordinator handles it in a workflow task of its own
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(RecordingMaterializer.REQUESTS).containsExactly(tick));
  }

  @Test
  void aCursorWithoutRecordCountsSignalsTheNextNewSnapshot() {
    SensorInput legacy = new SensorInput("raw_data.users", 5000, 10, 3L, 2);
    assertThat(SensorWorkflowImpl.addsRecords(legacy, 10L)).isTrue();
    assertThat(SensorWorkflowImpl.addsRecords(legacy.advance(4L, 10L, true), 10L)).isFalse();
    assertThat(SensorWorkflowImpl.addsRecords(legacy.advance(4L, 10L, true), null)).isTrue();
    SensorInput fresh = new SensorInput("raw_data.users", 5000, 10, null, 0);
    assertThat(SensorWorkflowImpl.addsRecords(fresh, 0L)).isFalse();
    assertThat(SensorWorkflowImpl.addsRecords(fresh, 1L)).isTrue();
  }

  @Test
  void sensorKeepsAChangeWhileTheCoordinatorIsDown() {
    CatalogActivities catalog = mock(CatalogActivities.class, withSettings().withoutAnnotations());
    when(catalog.currentSnapshot(anyString())).thenReturn(new SnapshotInfo("raw_data.accounts", 7L, 0L));
    startCustom(w -> {
      w.registerWorkflowImplementationTypes(SensorWorkflowImpl.class);
      w.registerActivitiesImplementations(catalog);
    });
    String sensorId = Lakehouse.sensorId("raw_data.accounts");
    WorkflowClient.start(client.newWorkflowStub(SensorWorkflow.class, Automation.options(SPEC, sensorId))::run,
        new SensorInput("raw_data.accounts", 5000, 100, null, 0));

    env.sleep(Duration.ofSeconds(22));

    SensorInput cursor = client.newWorkflowStub(SensorWorkflow.class, sensorId).cursor();
    assertThat(cursor.lastSnapshotId()).isNull();
    assertThat(cursor.signalsSent()).isZero();
    verify(catalog, atLeast(3)).currentSnapshot("raw_data.accounts");
  }

  @Test
  void healthCronRunsOncePerMinuteUnderTimeSkipping() {
    ConnectActivities connect = mock(ConnectActivities.class, withSettings().withoutAnnotations());
    FlinkActivities flink = mock(FlinkActivities.class, withSettings().withoutAnnotations());
    KafkaActivities kafka = mock(KafkaActivities.class, withSettings().withoutAnnotations());
    SourceActivities source = mock(SourceActivities.class, withSettings().withoutAnnotations());
    when(connect.status()).thenReturn(new ConnectorStatus("bank-connector", "RUNNING",
        List.of(new ConnectorStatus.TaskState(0, "FAILED", "boom"))));
    when(connect.restartFailedTasks()).thenReturn(1);
    when(flink.jobStatus()).thenReturn(new FlinkJobStatus("j1", "lakehouse-ingest", "RUNNING", 5_000L));
    when(kafka.consumerLag()).thenReturn(new ConsumerLag("lakehouse-ingest", 0, Map.of()));
    when(source.slotLag()).thenReturn(new SlotLag("bank_slot", true, 0));
    start(w -> w.registerActivitiesImplementations(connect, flink, kafka, source,
        mock(FreshnessActivities.class, withSettings().withoutAnnotations())));

    long t0 = env.currentTimeMillis();
    IngestionHealthWorkflow health = client.newWorkflowStub(IngestionHealthWorkflow.class,
        WorkflowOptions.newBuilder(Automation.options(SPEC, Lakehouse.INGESTION_HEALTH_ID))
            .setCronSchedule(SPEC.schedules().healthCron()).build());
    WorkflowClient.start(health::check, new HealthInput(60_000));
    env.sleep(Duration.ofMinutes(5));
    long t1 = env.currentTimeMillis();

    long minuteBoundaries = t1 / 60_000 - t0 / 60_000;
    int checks = (int) mockingDetails(connect).getInvocations().stream()
        .filter(i -> i.getMethod().getName().equals("status")).count();
    assertThat(checks).isBetween((int) minuteBoundaries - 1, (int) minuteBoundaries);
    assertThat(checks).isGreaterThanOrEqualTo(4);
    verify(connect, atLeast(4)).restartFailedTasks();
    verify(flink, org.mockito.Mockito.never()).ensureIngestJob();
  }

  @Test
  void healthCheckRestartsFailedTasksResubmitsAFailedJobAndReportsProblems() {
    ConnectActivities connect = mock(ConnectActivities.class, withSettings().withoutAnnotations());
    FlinkActivities flink = mock(FlinkActivities.class, withSettings().withoutAnnotations());
    KafkaActivities kafka = mock(KafkaActivities.class, withSettings().withoutAnnotations());
    SourceActivities source = mock(SourceActivities.class, withSettings().withoutAnnotations());
    when(connect.status()).thenReturn(new ConnectorStatus("bank-connector", "RUNNING",
        List.of(new ConnectorStatus.TaskState(0, "FAILED", "boom"))));
    when(connect.restartFailedTasks()).thenReturn(1);
    when(flink.jobStatus()).thenReturn(new FlinkJobStatus("j1", "lakehouse-ingest", "FAILED", null));
    when(flink.ensureIngestJob()).thenReturn(new FlinkJobStatus("j2", "lakehouse-ingest", "RUNNING", null));
    when(kafka.consumerLag()).thenReturn(new ConsumerLag("lakehouse-ingest", 12, Map.of("bank.public.users-0", 12L)));
    when(source.slotLag()).thenReturn(new SlotLag("bank_slot", false, 4096));
    start(w -> w.registerActivitiesImplementations(connect, flink, kafka, source,
        mock(FreshnessActivities.class, withSettings().withoutAnnotations())));

    String id = Lakehouse.INGESTION_HEALTH_ID + "-once";
    HealthReport report = client.newWorkflowStub(IngestionHealthWorkflow.class, Automation.options(SPEC, id))
        .check(new HealthInput(60_000));

    assertThat(report.healthy()).isFalse();
    assertThat(report.restartedTasks()).isEqualTo(1);
    assertThat(report.flinkResubmitted()).isTrue();
    assertThat(report.flinkJob().jobId()).isEqualTo("j2");
    assertThat(report.kafkaLag().totalLag()).isEqualTo(12);
    assertThat(report.problems()).containsExactly(
        "connector had FAILED tasks, restarted 1",
        "flink ingest job is FAILED, resubmitting",
        "replication slot bank_slot is not active");
    Histories.recordIfRequested(client, id, "ingestion-health");
  }

  /** The activities of a health check whose connector, job and lag are fine, watching {@code watch}. */
  private record Healthy(ConnectActivities connect, FlinkActivities flink, KafkaActivities kafka,
      SourceActivities source, FreshnessActivities freshness) {
    static Healthy watching(List<PartitionWatch> watch) {
      Healthy h = new Healthy(mock(ConnectActivities.class, withSettings().withoutAnnotations()),
          mock(FlinkActivities.class, withSettings().withoutAnnotations()),
          mock(KafkaActivities.class, withSettings().withoutAnnotations()),
          mock(SourceActivities.class, withSettings().withoutAnnotations()),
          mock(FreshnessActivities.class, withSettings().withoutAnnotations()));
      when(h.connect.status()).thenReturn(new ConnectorStatus("bank-connector", "RUNNING", List.of()));
      when(h.flink.jobStatus()).thenReturn(new FlinkJobStatus("j1", "lakehouse-ingest", "RUNNING", 5_000L));
      when(h.kafka.consumerLag()).thenReturn(new ConsumerLag("lakehouse-ingest", 0, Map.of()));
      when(h.kafka.watchTopics(List.of())).thenReturn(watch);
      return h;
    }

    Object[] all() {
      return new Object[] {connect, flink, kafka, source, freshness};
    }
  }

  @Test
  void healthCheckWatchesTheTopicsAndReportsSilentLossWithTheCursorForTheNextCheck() {
    List<PartitionWatch> watch = List.of(
        new PartitionWatch("bank.public.users", 0, "id-1", 0, 80, 80L, 80, 3L, 60L, 20),
        new PartitionWatch("bank.public.accounts", 0, "id-2", 0, 7, 7L, 7, 0L, null, 0));
    Healthy h = Healthy.watching(watch);
    when(h.source().slotLag()).thenReturn(new SlotLag("bank_slot", false, -1, false, null));
    // the models read accounts up to offset 40 of a topic that now ends at 7: recreated
    when(h.freshness().watermarks()).thenReturn(List.of(
        new ModelWatermark("parsed_data.parsed_users", "bank.public.users", 0, 79),
        new ModelWatermark("parsed_data.parsed_accounts", "bank.public.accounts", 0, 40)));
    start(w -> w.registerActivitiesImplementations(h.all()));

    String id = Lakehouse.INGESTION_HEALTH_ID + "-silent";
    HealthReport report = client.newWorkflowStub(IngestionHealthWorkflow.class, Automation.options(SPEC, id))
        .check(new HealthInput(60_000));

    assertThat(report.healthy()).isFalse();
    assertThat(report.topics()).isEqualTo(watch);
    assertThat(report.problems()).hasSize(4);
    assertThat(report.problems().get(0)).isEqualTo("replication slot bank_slot is not active");
    assertThat(report.problems().get(1)).startsWith("Debezium snapshotted bank.public.users again: 20 snapshot");
    assertThat(report.problems().get(2)).startsWith("topic bank.public.accounts was deleted and recreated"
        + " (parsed_data.parsed_accounts has read bank.public.accounts-0 up to offset 40, it now ends at 7)");
    assertThat(report.problems().get(3)).startsWith("replication slot bank_slot does not exist although Debezium");
    Histories.recordIfRequested(client, id, "ingestion-health-topic-watermarks");
  }

  @Test
  void unreadableWatermarksAreNoProblemOfTheIngestion() {
    Healthy h = Healthy.watching(
        List.of(new PartitionWatch("bank.public.users", 0, "id-1", 0, 80, 80L, 80, 3L, null, 0)));
    when(h.source().slotLag()).thenReturn(new SlotLag("bank_slot", true, 0, true, "reserved"));
    when(h.freshness().watermarks())
        .thenThrow(ApplicationFailure.newNonRetryableFailure("Trino is down", "Unavailable"));
    start(w -> w.registerActivitiesImplementations(h.all()));

    HealthReport report = client.newWorkflowStub(IngestionHealthWorkflow.class,
        Automation.options(SPEC, Lakehouse.INGESTION_HEALTH_ID + "-no-watermarks")).check(new HealthInput(60_000));

    assertThat(report.problems()).isEmpty();
    assertThat(report.healthy()).isTrue();
    verify(h.freshness()).watermarks();
  }
}
