package dev.lakehouse.starter;

import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.LakehouseWorkflows;
import dev.lakehouse.workflows.activities.AlertActivities;
import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSeverity;
import dev.lakehouse.workflows.activities.AssetCheckActivities;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CatalogActivities;
import dev.lakehouse.workflows.activities.CheckRequest;
import dev.lakehouse.workflows.activities.ConnectActivities;
import dev.lakehouse.workflows.activities.ConnectorStatus;
import dev.lakehouse.workflows.activities.ConsumerLag;
import dev.lakehouse.workflows.activities.FlinkActivities;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import dev.lakehouse.workflows.activities.FreshnessActivities;
import dev.lakehouse.workflows.activities.KafkaActivities;
import dev.lakehouse.workflows.activities.MaintenanceActivities;
import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelFreshness;
import dev.lakehouse.workflows.activities.ModelActivities;
import dev.lakehouse.workflows.activities.SlotLag;
import dev.lakehouse.workflows.activities.SnapshotInfo;
import dev.lakehouse.workflows.activities.SourceActivities;
import dev.lakehouse.workflows.activities.SpecApplyActivities;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.testing.LocalTemporalServer;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the CLI tests: Temporal's test server on a real 127.0.0.1 port, with a worker that has the real
 * workflows and mocked activities, and the CLI run in-process against it.
 */
abstract class CliTestFixture {
  record Result(int exit, String out, String err) {}

  record Call(String assetKey, MaterializeContext context) {}

  LocalTemporalServer server;
  WorkflowServiceStubs stubs;
  WorkerFactory factory;
  final List<Call> calls = new CopyOnWriteArrayList<>();
  /** The model whose check of severity error fails, if any. */
  volatile String failingCheck;
  final SpecApplyActivities apply = mock(SpecApplyActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void start() throws IOException {
    server = new LocalTemporalServer();
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(server.target()).build());
    factory = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs,
        WorkflowClientOptions.newBuilder().setNamespace("default").build()));
    PipelineSpec spec = SpecLoader.load();
    // the CLI starts the workflows on the spec's task queue
    Worker worker = factory.newWorker(spec.endpoints().temporal().taskQueue());
    LakehouseWorkflows.register(worker, AssetGraph.fromSpec(spec));
    worker.registerActivitiesImplementations(activities().toArray());
    factory.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    factory.shutdownNow();
    factory.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    stubs.shutdownNow();
    server.close();
  }

  List<Object> activities() {
    ModelActivities models = mock(ModelActivities.class, withSettings().withoutAnnotations());
    when(models.materialize(anyString(), any())).thenAnswer(inv -> {
      calls.add(new Call(inv.getArgument(0), inv.getArgument(1)));
      return new MaterializeResult(inv.getArgument(0), 3, 2, 1);
    });
    CatalogActivities catalog = mock(CatalogActivities.class, withSettings().withoutAnnotations());
    when(catalog.currentSnapshot(anyString())).thenAnswer(inv -> new SnapshotInfo(inv.getArgument(0), 1L, 0L));
    when(catalog.ensureNamespaces()).thenReturn(List.of("raw_data", "parsed_data", "data_vault", "ops"));
    when(catalog.ensureRawTables()).thenReturn(List.of("raw_data.users", "raw_data.accounts"));
    ConnectActivities connect = mock(ConnectActivities.class, withSettings().withoutAnnotations());
    ConnectorStatus running = new ConnectorStatus("bank-connector", "RUNNING",
        List.of(new ConnectorStatus.TaskState(0, "RUNNING", null)));
    when(connect.status()).thenReturn(running);
    when(connect.upsertConnector()).thenReturn(running);
    when(connect.awaitRunning()).thenReturn(running);
    FlinkActivities flink = mock(FlinkActivities.class, withSettings().withoutAnnotations());
    FlinkJobStatus job = new FlinkJobStatus("j1", "lakehouse-ingest", "RUNNING", 4_000L);
    when(flink.jobStatus()).thenReturn(job);
    when(flink.ensureIngestJob()).thenReturn(job);
    KafkaActivities kafka = mock(KafkaActivities.class, withSettings().withoutAnnotations());
    when(kafka.consumerLag()).thenReturn(new ConsumerLag("lakehouse-ingest", 0, Map.of()));
    SourceActivities source = mock(SourceActivities.class, withSettings().withoutAnnotations());
    when(source.slotLag()).thenReturn(new SlotLag("bank_slot", true, 0));
    MaintenanceActivities maintenance = mock(MaintenanceActivities.class, withSettings().withoutAnnotations());
    when(maintenance.tables(anyString())).thenReturn(List.of());
    FreshnessActivities freshness = mock(FreshnessActivities.class, withSettings().withoutAnnotations());
    when(freshness.modelLags()).thenReturn(List.of(
        new ModelFreshness("data_vault.s_users", 4, System.currentTimeMillis() - 3_600_000, null),
        new ModelFreshness("data_vault.h_users", 0, null, null)));
    AlertActivities alerts = mock(AlertActivities.class, withSettings().withoutAnnotations());
    when(alerts.send(any(), org.mockito.ArgumentMatchers.anyBoolean())).thenReturn("recorded");
    AssetCheckActivities checks = mock(AssetCheckActivities.class, withSettings().withoutAnnotations());
    org.mockito.stubbing.Answer<AssetCheckReport> report = inv -> {
      String asset = inv.getArgument(0);
      CheckRequest request = inv.getArgument(1);
      boolean fails = asset.equals(failingCheck);
      return new AssetCheckReport(asset, List.of(new AssetCheckResult(asset, "unique key" + (request.wholeTable()
          ? " (whole table)" : ""), CheckKind.UNIQUE, CheckSeverity.ERROR, !fails, fails ? 2 : 0,
          fails ? List.of("k1", "k2") : List.of(), null)));
    };
    when(checks.check(anyString(), any())).thenAnswer(report);
    when(checks.evaluate(anyString(), any())).thenAnswer(report);
    return List.of(models, catalog, connect, flink, kafka, source, maintenance, freshness, alerts, checks, apply);
  }

  Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--temporal");
    all.add(server.target());
    return raw(all.toArray(String[]::new));
  }

  static Result raw(String... args) {
    return raw(Map.of(), args);
  }

  /** The CLI with this environment only (what the spec's substitutions and LAKEHOUSE_SPEC read). */
  static Result raw(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = LakehouseCli.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env).execute(args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  void awaitRuns(long n) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> cli("status").out(), s -> s.contains("runs completed " + n + ","));
  }

  static String line(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + text));
  }

  boolean running(String workflowId) {
    try {
      return factory.getWorkflowClient().newUntypedWorkflowStub(workflowId).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (io.temporal.client.WorkflowNotFoundException e) {
      return false;
    }
  }

  static final String EXAMPLE = Path.of("../examples/transactions/transactions.conf").toString();
}
