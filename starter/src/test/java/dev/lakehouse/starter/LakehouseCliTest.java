package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecVersion;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.IngestionHealthWorkflow;
import dev.lakehouse.workflows.Lakehouse;
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
import dev.lakehouse.workflows.apply.ApplyPlan;
import dev.lakehouse.workflows.apply.ObservedState;
import dev.lakehouse.workflows.testing.ObservedStates;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.automation.AutomationPlan;
import dev.lakehouse.workflows.testing.LocalTemporalServer;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against Temporal's test server on a real 127.0.0.1 port, with a worker that has the real workflows
 * and mocked activities.
 */
class LakehouseCliTest {
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

  private List<Object> activities() {
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

  private Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--temporal");
    all.add(server.target());
    return raw(all.toArray(String[]::new));
  }

  private static Result raw(String... args) {
    return raw(Map.of(), args);
  }

  /** The CLI with this environment only (what the spec's substitutions and LAKEHOUSE_SPEC read). */
  private static Result raw(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = LakehouseCli.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env).execute(args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private void awaitRuns(long n) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> cli("status").out(), s -> s.contains("runs completed " + n + ","));
  }

  @Test
  void helpListsEveryCommandAndEveryCommandHasHelp() {
    Result help = raw("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("assets", "lineage", "run", "backfill", "pause", "resume", "status",
        "checks", "automation", "--temporal", "--namespace");
    for (String[] command : List.of(new String[] {"assets"}, new String[] {"lineage"}, new String[] {"run"},
        new String[] {"backfill"}, new String[] {"pause"}, new String[] {"resume"}, new String[] {"status"},
        new String[] {"checks"}, new String[] {"automation"}, new String[] {"automation", "start"}, new String[] {"models", "sql"})) {
      List<String> args = new ArrayList<>(List.of(command));
      args.add("--help");
      Result r = raw(args.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", command)).isZero();
      assertThat(r.out()).as(String.join(" ", command)).contains("Usage: lakehouse " + String.join(" ", command));
    }
  }

  @Test
  void checksRunThroughTemporalPrintEveryCheckAndExit1OnAFailingErrorCheck() {
    Result ok = cli("checks", "--select", "data_vault.s_users", "--full");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("checking 1 model(s): data_vault.s_users over whole tables in workflow 'checks-")
        .contains("data_vault.s_users: 1 checks, 0 failing\n  PASS unique key (whole table)\n");

    failingCheck = "data_vault.h_users";
    Result failed = cli("checks", "--select", "data_vault.h_*");
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.out()).contains("(latest batch of each)")
        .contains("data_vault.h_users: 1 checks, 1 failing\n  FAIL unique key: 2 rows (e.g. k1, k2)\n")
        .contains("data_vault.h_accounts: 1 checks, 0 failing");
    assertThat(calls).isEmpty(); // checks materialize nothing

    Result elsewhere = cli("checks", "--timeout", "2", "--set", "lakehouse.endpoints.temporal.task-queue=nobody");
    assertThat(elsewhere.exit()).isEqualTo(1);
    assertThat(elsewhere.err()).contains("still runs after 2 s (is the worker up?");

    Result typo = cli("checks", "--select", "data_vault.h_user");
    assertThat(typo.exit()).isEqualTo(1);
    assertThat(typo.err()).contains("did you mean: data_vault.h_users");
  }

  @Test
  void anUnknownCommandIsBadUsageEvenWithHelp() {
    for (String[] args : List.of(new String[] {"nosuch", "--help"}, new String[] {"nosuch"},
        new String[] {"automation", "nosuch", "--help"})) {
      Result r = raw(args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).contains("'nosuch'");
      assertThat(r.out()).as(String.join(" ", args)).doesNotContain("Usage:");
    }
  }

  @Test
  void modelsSqlPrintsTheSatelliteLoadOfflineAndNamesTheModelsForAnUnknownOne() {
    Result sql = raw("models", "sql", "data_vault.s_users");
    assertThat(sql.exit()).as(sql.err()).isZero();
    assertThat(sql.out()).contains("data_vault.s_users", "MERGE", "parsed_data.parsed_users");
    Result unknown = raw("models", "sql", "data_vault.s_nope");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("data_vault.s_nope", "data_vault.s_users");
  }

  @Test
  void modelsSqlLiveWithoutTrinoSaysHowToPrintOffline() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String trino = "lakehouse.endpoints.trino.port=" + closed;
    Result live = raw("models", "sql", "data_vault.s_users", "--live", "--set", trino);
    assertThat(live.exit()).isEqualTo(1);
    assertThat(live.err()).startsWith("lakehouse: could not read the watermark from Trino at jdbc:trino://")
        .contains(":" + closed + "/iceberg").contains("drop --live to print offline");
    // a full refresh reads every row whatever the watermark: printed without Trino
    Result full = raw("models", "sql", "data_vault.s_users", "--live", "--full-refresh", "--set", trino);
    assertThat(full.exit()).as(full.err()).isZero();
    assertThat(full.out()).contains("(full refresh)", "every row");
  }

  @Test
  void unreachableTemporalIsOnePlainLineAndExitCode3() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    for (String command : List.of("status", "run", "assets", "pause")) {
      long t0 = System.nanoTime();
      Result r = raw(command, "--temporal", "127.0.0.1:" + port);
      System.out.printf("%s against a closed port answered in %d ms%n", command,
          (System.nanoTime() - t0) / 1_000_000);
      assertThat(r.exit()).as(command).isEqualTo(3);
      assertThat(r.err().strip()).as(command)
          .startsWith("lakehouse: cannot reach Temporal at 127.0.0.1:" + port)
          .contains("./lakehouse up")
          .doesNotContain("\n")
          .doesNotContain("Exception");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void runRequestsTheSelectionAndAssetsShowTheLastMaterialization() {
    Result run = cli("run", "--select", "data_vault.s_users");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("requested 'data_vault.s_users'", "materializer");
    awaitRuns(1);
    assertThat(calls).extracting(Call::assetKey).containsExactly("data_vault.s_users");
    assertThat(calls.get(0).context().fullRefresh()).isFalse();

    Result assets = cli("assets");
    assertThat(assets.exit()).isZero();
    assertThat(line(assets.out(), "data_vault.s_users ")).contains("model", "parsed_data.parsed_users",
        "incremental, 2 rows", "materializer-run-1-");
    assertThat(line(assets.out(), "data_vault.h_users ")).endsWith("never");
    assertThat(line(assets.out(), "raw_data.users ")).contains("raw_table", "flink:ingest");
    assertThat(line(assets.out(), "marts.user_balances ")).contains("model", "data_vault.s_users").endsWith("never");
    assertThat(assets.out()).contains("user models (2):\n").contains("  marts.user_balances  table"
        + " (schedule schedule-marts.user_balances, cron * * * * *)  marts/user_balances.sql  Per user and currency, the current total balance of the user's accounts.");
  }

  @Test
  void runWithoutSelectionRunsEveryModelInOrder() {
    assertThat(cli("run").exit()).isZero();
    awaitRuns(1);
    assertThat(calls).extracting(Call::assetKey).containsExactlyInAnyOrder("parsed_data.parsed_users",
        "parsed_data.parsed_accounts", "data_vault.h_users", "data_vault.h_accounts", "data_vault.s_users",
        "data_vault.s_accounts", "data_vault.l_users_accounts",
        // the user SQL models of transform/ run after their refs
        "marts.user_balances", "marts.account_balance_changes");
    assertThat(calls.indexOf(calls.stream().filter(c -> c.assetKey().equals("marts.user_balances")).findFirst()
        .orElseThrow())).isGreaterThan(calls.indexOf(calls.stream()
        .filter(c -> c.assetKey().equals("data_vault.s_users")).findFirst().orElseThrow()));
  }

  @Test
  void backfillRunsExactlyTheSelectionWithFullRefresh() {
    Result r = cli("backfill", "--select", "data_vault.s_users+", "--full-refresh");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("full refresh");
    awaitRuns(1);
    // s_users, then the user model that refs it
    assertThat(calls).extracting(Call::assetKey).containsExactly("data_vault.s_users", "marts.user_balances");
    assertThat(calls.get(0).context().fullRefresh()).isTrue();
    assertThat(calls.get(0).context().selection()).isEqualTo("data_vault.s_users+");
    assertThat(cli("status").out()).contains("last run: COMPLETED 'data_vault.s_users+' full refresh");
  }

  @Test
  void backfillNeedsASelection() {
    Result r = cli("backfill", "--full-refresh");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--select=selection'");
  }

  @Test
  void aSelectionThatMatchesNothingFailsBeforeSignalling() {
    Result r = cli("run", "--select", "data_vault.s_user");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("matches no asset").contains("did you mean: data_vault.s_users");
    assertThat(cli("status").out()).contains("materializer                       not started");
  }

  @Test
  void pauseQueuesRequestsAndResumeRunsThem() {
    assertThat(cli("pause").exit()).isZero();
    assertThat(cli("run", "--select", "data_vault.h_users").exit()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> cli("status").out(),
        s -> s.contains("PAUSED") && s.contains("'data_vault.h_users' incremental (1 request)"));
    assertThat(calls).isEmpty();

    assertThat(cli("resume").exit()).isZero();
    awaitRuns(1);
    assertThat(calls).extracting(Call::assetKey).containsExactly("data_vault.h_users");
    assertThat(cli("status").out()).contains("active").contains("queue: empty");
  }

  @Test
  void automationStartIsIdempotentAndStatusShowsTheHealthReport() {
    // the in-process server has no Temporal Schedules (AutomationIT tests them on the real dev server): start
    // reports the workflows and sensors it reconciled, then says so in one line
    Result first = cli("automation", "start");
    assertThat(first.out()).contains("workflow ingestion-setup: started", "workflow materializer: started",
        "sensor sensor-raw_data.users: started, every 1s");
    assertThat(first.exit()).isEqualTo(1);
    assertThat(first.err().strip()).contains("UNIMPLEMENTED").contains("without Temporal Schedules")
        .doesNotContain("\n");
    Result second = cli("automation", "start");
    assertThat(second.out()).contains("unchanged: workflow materializer (running)",
        "unchanged: sensor sensor-raw_data.accounts (every 1s)");

    // a lakehouse of an older version runs the health check as a cron workflow under the schedule's ID: status
    // still shows its report (the previous cron run's result) until automation start replaces it
    PipelineSpec spec = SpecLoader.load();
    WorkflowClient.start(factory.getWorkflowClient().newWorkflowStub(IngestionHealthWorkflow.class,
        WorkflowOptions.newBuilder(Automation.options(spec, Lakehouse.INGESTION_HEALTH_ID))
            .setCronSchedule(spec.schedules().healthCron()).build())::check, AutomationPlan.healthInput(spec));
    // past the next minute boundary the health cron has run once; its report is the next run's last result.
    // (Skip no further than needed: every skipped sensor interval is a real poll of the mocked catalog.)
    long msToNextMinute = 60_000 - System.currentTimeMillis() % 60_000;
    server.skip(Duration.ofMillis(msToNextMinute + 3_000));
    // (the server clock also runs in real time: should the skip fall short, the next real minute does it)
    await().atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofMillis(300))
        .until(() -> cli("status").out(), out -> out.contains("healthy at"));
    Result status = cli("status");
    assertThat(status.exit()).isZero();
    assertThat(status.out()).contains("sensor-raw_data.users              running",
        "connector: bank-connector RUNNING", "automation vs spec:");
    // the health check judged the freshness policies (s_users: 90 s in the bundled spec) and opened the incident
    assertThat(line(status.out(), "  data_vault.s_users ")).contains("VIOLATED  lag 36").contains("> max 90 s, since");
    assertThat(line(status.out(), "  data_vault.h_users ")).contains("OK        lag 0 s (max 120 s)");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> cli("status").out(), out -> out.contains("OPEN freshness_violated data_vault.s_users since"));
  }

  @Test
  void statusWithoutTrinoSaysSoInOneLineAndStillShowsTheRest() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Result status = cli("status", "--set", "lakehouse.endpoints.trino.port=" + closed);
    assertThat(status.exit()).as(status.err()).isZero();
    List<String> lines = status.out().lines().toList();
    assertThat(lines).filteredOn(l -> l.startsWith("assets")).singleElement().satisfies(l -> assertThat(l)
        .startsWith("assets: Trino at jdbc:trino://127.0.0.1:" + closed + "/iceberg does not answer (")
        .contains("start the stack with ./lakehouse up"));
    assertThat(lines).contains("services:", "workflows:", "materializer:", "ingestion health:");
    assertThat(line(status.out(), "  trino ")).endsWith("DOWN (not answering)").contains(":" + closed);

    Result json = cli("status", "--json", "--set", "lakehouse.endpoints.trino.port=" + closed);
    assertThat(json.exit()).isZero();
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(tree.get("assets").isNull()).isTrue();
    assertThat(tree.get("assetsProblem").asText()).contains("does not answer");
    assertThat(tree.get("workflows").get("materializer").asText()).isEqualTo("not started");
  }

  @Test
  void lineageInBothFormatsNeedsNoTemporal() {
    Result mermaid = raw("lineage", "--temporal", "127.0.0.1:1");
    assertThat(mermaid.exit()).isZero();
    assertThat(mermaid.out()).startsWith("flowchart LR").contains("\"data_vault.s_users\"");
    Result dot = raw("lineage", "--format", "dot");
    assertThat(dot.out()).startsWith("digraph lakehouse")
        .contains("\"parsed_data.parsed_users\" -> \"data_vault.s_users\";");
    assertThat(raw("lineage", "--format", "svg").exit()).isEqualTo(2);
  }

  private static String line(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + text));
  }

  @Test
  void aSpecWithASyntaxErrorIsOneLineNamingFileAndLineAndExitCode2(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("lakehouse.conf");
    Files.writeString(spec, "lakehouse {\n  tables {\n    users { primary-key = [id }\n  }\n}\n");
    for (String command : List.of("lineage", "status")) {
      Result r = raw(Map.of("LAKEHOUSE_SPEC", spec.toString()), command, "--temporal", server.target());
      assertThat(r.exit()).as(command).isEqualTo(2);
      assertThat(r.err()).as(command).startsWith("lakehouse: invalid pipeline spec (" + spec + "): syntax error at line 3: ")
          .hasLineCount(1).doesNotContain("\tat ");
    }
  }

  @Test
  void aSpecValueTheEnvironmentBreaksIsOneLineAndExitCode2() {
    Result r = raw(Map.of("LAKEHOUSE_SENSOR_INTERVAL", "soon"), "assets", "--temporal", server.target());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("lakehouse.schedules.sensor-interval").hasLineCount(1);
  }

  private boolean running(String workflowId) {
    try {
      return factory.getWorkflowClient().newUntypedWorkflowStub(workflowId).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (io.temporal.client.WorkflowNotFoundException e) {
      return false;
    }
  }

  private static final String EXAMPLE = Path.of("../examples/transactions/transactions.conf").toString();

  @Test
  void applyDryRunOnAnUnchangedSpecHasNothingToDoAndChangesNothing() {
    when(apply.observe(any())).thenReturn(ObservedStates.converged(ObservedStates.CURRENT));
    cli("automation", "start"); // its sensors (this server has no Schedules: apply says so on stderr)
    Result r = cli("apply", "--dry-run");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(ApplyPlan.NOTHING_TO_DO + System.lineSeparator());
    assertThat(r.err()).contains("has no Schedules (UNIMPLEMENTED)").hasLineCount(1);
    verify(apply, never()).convergeSource(any());
    verify(apply, never()).convergeIngestJob(any());
  }

  @Test
  void applyAfterUpOnAnUnchangedLakehouseIsOneLine() {
    when(apply.observe(any())).thenReturn(ObservedStates.converged(ObservedStates.CURRENT));
    cli("automation", "start");
    Result r = cli("apply", "--after-up");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("spec " + SpecVersion.of(SpecLoader.load()) + ": everything runs the spec in use"
        + System.lineSeparator());
    verify(apply, never()).convergeConnector(any(), anyList());
  }

  @Test
  void applyDryRunPrintsThePlanGroupedBySystemAndChangesNothing() {
    when(apply.observe(any())).thenReturn(ObservedStates.beforeExample());
    Result r = cli("apply", "--dry-run", "--spec", EXAMPLE);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("source (PostgreSQL):\n  + add to publication transactions\n".replace("\n",
        System.lineSeparator()), "  + redeploy ingest job lakehouse-ingest-bbbbbbbb", "dry run: nothing was changed",
        "temporal (schedules, sensors, worker):", "  + start sensor sensor-raw_data.transactions: every 1s");
    verify(apply).observe(ObservedStates.EXAMPLE);
    verify(apply, never()).convergeSource(any());
    assertThat(running("sensor-raw_data.transactions")).as("a dry run starts no sensor").isFalse();
  }

  @Test
  void applyConvergesAndPrintsWhatItChanged() {
    when(apply.observe(any())).thenReturn(ObservedStates.beforeExample());
    when(apply.convergeSource(any())).thenReturn(List.of("added transactions to publication bank_pub"));
    when(apply.convergeConnector(any(), anyList())).thenReturn(List.of("updated connector"));
    when(apply.convergeIceberg(any(), anyList())).thenReturn(List.of("created raw table raw_data.transactions"));
    when(apply.convergeIngestJob(any())).thenReturn(List.of("redeployed"));
    Result r = cli("apply", "--spec", EXAMPLE);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("applied:", "  added transactions to publication bank_pub", "  redeployed",
        "  sensor sensor-raw_data.transactions: started, every 1s", "the worker still runs its previous spec");
    assertThat(running("sensor-raw_data.transactions")).isTrue();
    // the automation's next reconciliation (automation start, a worker's boot) with the old spec stops it again
    Result again = cli("automation", "start");
    assertThat(again.out()).contains("sensor sensor-raw_data.transactions: stopped (its table is not in the spec)");
  }

  @Test
  void applyRefusesATableTheSourceLacksATypeChangeAndARemovalOneLineEachExitCode2(@TempDir Path dir)
      throws IOException {
    ObservedState now = ObservedStates.converged(ObservedStates.CURRENT);
    when(apply.observe(any())).thenReturn(now);
    Result missing = cli("apply", "--spec", EXAMPLE);
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("lakehouse: refused (nothing changed): table transactions does not exist in"
        + " the source database").hasLineCount(1);

    Path typed = dir.resolve("typed.conf");
    Files.writeString(typed, "include \"" + Path.of("../lakehouse.conf").toAbsolutePath().normalize() + "\"\n"
        + "lakehouse.tables.users.columns = [{ name = id, type = uuid }, { name = email, type = varchar },"
        + " { name = name, type = varchar }, { name = created_at, type = timestamp }]\n");
    Result type = cli("apply", "--spec", typed.toString());
    assertThat(type.exit()).isEqualTo(2);
    assertThat(type.err()).contains("column users.created_at changes type date -> timestamp", "backfill --full-refresh")
        .hasLineCount(1);

    Path removed = dir.resolve("removed.conf");
    Files.writeString(removed, "include \"" + Path.of("../lakehouse.conf").toAbsolutePath().normalize() + "\"\n"
        + "lakehouse.tables.users.columns = [{ name = id, type = uuid }, { name = email, type = varchar },"
        + " { name = name, type = varchar }]\n"
        + "lakehouse.satellites.s_users.columns = [email, name]\n");
    Result gone = cli("apply", "--spec", removed.toString());
    assertThat(gone.exit()).isEqualTo(2);
    assertThat(gone.err()).contains("column users.created_at is no longer in the spec: pass --allow-removal",
        "satellite s_users drops [created_at]").hasLineCount(2);
    assertThat(gone.err().lines()).allMatch(l -> l.startsWith("lakehouse: refused (nothing changed): "));
    verify(apply, never()).convergeSource(any());
  }

  @Test
  void applyOfAMalformedSpecIsOneLineExitCode2BeforeAnyWorkflow(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "lakehouse { tables { users { primary-key = [id } } }\n");
    Result r = cli("apply", "--spec", bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("lakehouse: invalid pipeline spec (" + bad + "): syntax error").hasLineCount(1);
    Result unknown = cli("apply", "--spec", dir.resolve("nosuch.conf").toString());
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).hasLineCount(1);
    verify(apply, never()).observe(any());
  }
}
