package dev.lakehouse.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.inject.Module;
import dev.lakehouse.activities.BeforePolling;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.RunSummary;
import dev.lakehouse.workflows.Trigger;
import dev.lakehouse.workflows.activities.AlertActivities;
import dev.lakehouse.workflows.Incident;
import dev.lakehouse.workflows.testing.LocalTemporalServer;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker as WorkerMain wires it, against Temporal's test server on a real 127.0.0.1 port. */
class WorkerTest {
  /**
   * The checkout's spec with Trino on a port where nothing listens: the real modules' {@code beforePolling}
   * (the ops table's DDL) then fails at once, as with Trino down, and never reaches a stack running on this machine.
   */
  static final PipelineSpec SPEC = SpecLoader.load(Map.of("lakehouse.endpoints.trino.port", unusedPort()));
  /** The spec's: Automation starts the workflows there. */
  static final String TASK_QUEUE = SPEC.endpoints().temporal().taskQueue();

  LocalTemporalServer server;
  LakehouseWorker worker;

  @BeforeEach
  void startServer() throws IOException {
    server = new LocalTemporalServer();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.close();
    }
    server.close();
  }

  /** A generous connect timeout: the live server answers at once, but a loaded machine may be slow. */
  private WorkerConfig config(String target) {
    return config(target, Duration.ofSeconds(30));
  }

  private WorkerConfig config(String target, Duration connectTimeout) {
    return new WorkerConfig(target, "default", TASK_QUEUE, false, connectTimeout, Duration.ofSeconds(5));
  }

  @Test
  void runsTheCoordinatorAndAMaterializationWithBoundActivities() {
    FakeModelActivities models = new FakeModelActivities();
    List<Module> modules = new ArrayList<>(WorkerMain.coreModules(SPEC, config(server.target())));
    modules.add(binder -> ActivityBinder.activities(binder).addBinding().toInstance(models));
    worker = WorkerMain.create(modules);
    assertThat(worker.missingActivities()).doesNotContain("ModelActivities", "AssetCheckActivities")
        .contains("CatalogActivities");
    worker.start();

    WorkflowClient client = worker.client();
    Automation.request(client, SPEC, new MaterializeRequest("data_vault.s_users", "worker test", Trigger.CLI));
    MaterializerWorkflow coordinator = client.newWorkflowStub(MaterializerWorkflow.class, Lakehouse.MATERIALIZER_ID);
    MaterializerStatus status = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(coordinator::status, s -> s.runsCompleted() + s.runsFailed() >= 1);

    assertThat(status.lastRun().status()).isEqualTo(RunSummary.Status.COMPLETED);
    assertThat(status.lastRun().selection()).isEqualTo("data_vault.s_users");
    assertThat(models.materialized).containsExactly("data_vault.s_users");
    assertThat(models.checked).containsExactly("data_vault.s_users");
  }

  @Test
  void automationOnStartsTheFixedWorkflowsAtBoot() {
    WorkerConfig config = new WorkerConfig(server.target(), "default", TASK_QUEUE, true,
        Duration.ofSeconds(30), Duration.ofSeconds(5));
    worker = WorkerMain.create(WorkerMain.coreModules(SPEC, config));
    worker.start();
    // the in-process test server has no Temporal Schedules: the worker logs that and still starts the workflows
    // (the schedules are tested on the real dev server by e2e's AutomationIT)
    for (String id : List.of(Lakehouse.INGESTION_SETUP_ID, Lakehouse.MATERIALIZER_ID,
        Lakehouse.sensorId("raw_data.users"), Lakehouse.sensorId("raw_data.accounts"))) {
      var info = worker.client().getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build()).getWorkflowExecutionInfo();
      assertThat(info.getStatus()).as(id).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    }
  }

  /** An activity implementation that asks to work before polling; records whether the worker polled already. */
  static final class BeforePollingProbe implements AlertActivities, BeforePolling {
    final AtomicReference<LakehouseWorker> worker = new AtomicReference<>();
    final List<Boolean> pollingWhenCalled = new CopyOnWriteArrayList<>();
    final boolean fails;

    BeforePollingProbe(boolean fails) {
      this.fails = fails;
    }

    @Override
    public void beforePolling() {
      pollingWhenCalled.add(worker.get().polling());
      if (fails) {
        throw new IllegalStateException("Trino did not answer");
      }
    }

    @Override
    public String send(Incident incident, boolean resolved) {
      return "alerts off";
    }
  }

  @Test
  void beforePollingRunsOnceBeforeTheWorkerPollsAndItsFailureDoesNotStopTheStart() {
    for (boolean fails : List.of(false, true)) {
      BeforePollingProbe probe = new BeforePollingProbe(fails);
      List<Module> modules = new ArrayList<>(WorkerMain.coreModules(SPEC, config(server.target())));
      modules.add(binder -> ActivityBinder.activities(binder).addBinding().toInstance(probe));
      worker = WorkerMain.create(modules);
      probe.worker.set(worker);
      assertThat(worker.polling()).isFalse();
      worker.start();
      assertThat(probe.pollingWhenCalled).as("fails: " + fails).containsExactly(false);
      assertThat(worker.polling()).isTrue();
      worker.close();
    }
  }

  @Test
  void theRealModulesBindAnImplementationForEveryActivityInterface() {
    // constructing the implementations does no I/O, so no service needs to run for this
    worker = WorkerMain.create(WorkerMain.modules(SPEC, config(server.target())));
    assertThat(worker.missingActivities()).isEmpty();
  }

  @Test
  void closeDrainsAndReturns() {
    worker = WorkerMain.create(WorkerMain.modules(SPEC, config(server.target())));
    worker.start();
    long t0 = System.nanoTime();
    worker.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    // a second close (signal handler after an explicit close) is harmless
    worker.close();
  }

  @Test
  void unreachableTemporalFailsWithTheAddressAndWhatToDo() throws IOException {
    int port = freePort();
    assertThatThrownBy(() -> WorkerMain.create(WorkerMain.modules(SPEC, config("127.0.0.1:" + port,
        Duration.ofSeconds(3)))))
        .isInstanceOf(TemporalUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageContaining("./lakehouse up");
  }

  /** WorkerMain.run with this environment: exit code and what it printed on stderr. */
  private static Main main(Map<String, String> env) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = WorkerMain.run(env, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Main(code, err.toString(StandardCharsets.UTF_8));
  }

  record Main(int exit, String err) {}

  @Test
  void mainReturnsExitCode3WhenTemporalIsDown() throws IOException {
    int port = freePort();
    Main main = main(Map.of("LAKEHOUSE_TEMPORAL_PORT", String.valueOf(port),
        "LAKEHOUSE_WORKER_CONNECT_TIMEOUT_SECONDS", "2"));
    assertThat(main.exit()).isEqualTo(3);
    assertThat(main.err()).startsWith("lakehouse worker: ").contains("127.0.0.1:" + port).hasLineCount(1);
  }

  @Test
  void aSyntaxErrorInTheSpecIsOneLineAndExitCode2(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("lakehouse.conf");
    Files.writeString(spec, "lakehouse {\n  endpoints {\n    host = \"127.0.0.1\"\n    postgres { port = }\n}\n");
    Main main = main(Map.of("LAKEHOUSE_SPEC", spec.toString()));
    assertThat(main.exit()).isEqualTo(2);
    assertThat(main.err()).startsWith("lakehouse worker: invalid pipeline spec (" + spec + "): syntax error at line 4: ")
        .hasLineCount(1).doesNotContain("\tat ");
  }

  @Test
  void aBadWorkerSettingIsOneLineAndExitCode2() {
    Main main = main(Map.of("LAKEHOUSE_AUTOMATION", "maybe"));
    assertThat(main.exit()).isEqualTo(2);
    assertThat(main.err()).isEqualTo("lakehouse worker: invalid pipeline spec (" + SpecLoader.locate(Map.of()).origin()
        + "): lakehouse.worker.automation: 'maybe' is neither on nor off" + System.lineSeparator());
  }

  @Test
  void aNonLoopbackHostIsOneLineAndExitCode2UnlessExposed() throws IOException {
    Main refused = main(Map.of("LAKEHOUSE_HOST", "192.0.2.10"));
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).startsWith("lakehouse worker: the worker refuses host 192.0.2.10 (LAKEHOUSE_HOST)")
        .contains("LAKEHOUSE_EXPOSE=true").hasLineCount(1);
    // exposed: past the check, warned, then it fails on Temporal (nothing listens on this port of loopback)
    int port = freePort();
    Main exposed = main(Map.of("LAKEHOUSE_HOST", "localhost", "LAKEHOUSE_TEMPORAL_HOST", "127.0.0.1",
        "LAKEHOUSE_TEMPORAL_PORT", String.valueOf(port), "LAKEHOUSE_WORKER_CONNECT_TIMEOUT_SECONDS", "1"));
    assertThat(exposed.exit()).isEqualTo(3);
    assertThat(exposed.err()).doesNotContain("WARNING").doesNotContain("refuses");
    Main warned = main(Map.of("LAKEHOUSE_HOST", "192.0.2.10", "LAKEHOUSE_EXPOSE", "true",
        "LAKEHOUSE_TEMPORAL_HOST", "127.0.0.1", "LAKEHOUSE_TEMPORAL_PORT", String.valueOf(port),
        "LAKEHOUSE_WORKER_CONNECT_TIMEOUT_SECONDS", "1"));
    assertThat(warned.exit()).isEqualTo(3);
    assertThat(warned.err()).startsWith("WARNING: exposed on 192.0.2.10").contains("temporal");
  }

  @Test
  void configComesFromTheSpecAndItsSubstitutions() {
    WorkerConfig defaults = WorkerConfig.from(SPEC);
    assertThat(defaults.temporalTarget()).isEqualTo(SPEC.endpoints().temporal().target());
    assertThat(defaults.taskQueue()).isEqualTo(SPEC.endpoints().temporal().taskQueue());
    assertThat(defaults.automation()).isFalse();
    assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
    // what the Docker stack sets
    WorkerConfig docker = WorkerConfig.from(SpecLoader.load(Map.of("LAKEHOUSE_TEMPORAL_HOST", "temporal",
        "LAKEHOUSE_AUTOMATION", "on", "LAKEHOUSE_WORKER_SHUTDOWN_TIMEOUT_SECONDS", "5"), Map.of()));
    assertThat(docker.temporalTarget()).isEqualTo("temporal:" + SPEC.endpoints().temporal().port());
    assertThat(docker.automation()).isTrue();
    assertThat(docker.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  /** A port nothing listens on (free when asked), for a spec whose Trino must not answer. */
  static int unusedPort() {
    try {
      return freePort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
