package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import dev.lakehouse.spec.SpecVersion;
import dev.lakehouse.stack.ConsoleProcess;
import dev.lakehouse.stack.Stack;
import dev.lakehouse.stack.WorkerProcess;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.SensorWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stack jar's {@code reload-worker}, run as {@code ./lakehouse apply} runs it ({@code java -jar
 * lakehouse-stack.jar reload-worker} with LAKEHOUSE_HOME and LAKEHOUSE_SPEC set), against the real worker process
 * ({@code up}'s way: the shaded jar, automation on) and the asset console process: a worker of spec A, the spec in
 * use becoming B (A with another sensor interval, which the worker's boot automation applies, and one more
 * satellite), the old worker drained (SIGTERM, its log ends with a clean shutdown), a new process on spec B (its
 * Temporal identity, the sensors' interval), the console restarted on B's graph (the new satellite), a second reload
 * a no-op, and the workflows that ran through the restart (the coordinator, the sensors, ingestion-setup) never
 * failed.
 */
@Order(7)
@ExtendWith(LakehouseStackExtension.class)
class ReloadWorkerIT {
  /** Spec B's sensor interval: neither the spec's 5 s nor the 2 s other ITs of this suite set. */
  static final Duration B_INTERVAL = Duration.ofSeconds(3);
  /** Spec B's new satellite (on h_users): an asset of B's graph only. */
  static final String B_ASSET = "data_vault.s_users_names";
  static WorkerProcess worker;
  static ConsoleProcess console;
  static WorkflowServiceStubs stubs;

  @AfterAll
  static void stop() {
    if (console != null) {
      console.stop();
    }
    if (worker != null) {
      worker.stop();
    }
    if (stubs != null) {
      stubs.shutdownNow();
    }
  }

  @Test
  void reloadDrainsTheWorkerOfAnotherSpecAndStartsOneOnTheSpecInUse(Endpoints e) throws Exception {
    long t0 = System.nanoTime();
    Stack stack = LakehouseStackExtension.stack();
    worker = new WorkerProcess(stack);
    Path specA = stack.context().specSource().file().orElseThrow();
    Path specB = writeSpecB(specA);
    String versionA = SpecVersion.of(stack.context().spec());
    String versionB = SpecVersion.of(SpecLoader.load(SpecSource.file(specB), System.getenv(), Map.of()));
    assertThat(versionB).isNotEqualTo(versionA);
    PipelineSpec spec = stack.context().spec();
    Duration intervalA = spec.schedules().sensorInterval();

    long consoleFrom = Files.exists(worker.consoleLog()) ? Files.size(worker.consoleLog()) : 0;
    long oldPid = worker.start(WorkerProcess.locateJar(), 240);
    console = new ConsoleProcess(stack);
    long oldConsolePid = console.start(ConsoleProcess.locateJar(), 60);
    assertThat(consoleAsset(e)).as("console A: " + B_ASSET).isEqualTo(404);
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(e.temporal().target()).build());
    WorkflowClient client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
        .setNamespace(e.temporal().namespace()).build());
    String sensor = Lakehouse.sensorId("raw_data.users");
    // A's boot automation ran to its end: the sensors have A's interval, the coordinator runs
    await("the sensors on spec A's interval").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> client.newWorkflowStub(SensorWorkflow.class, sensor).cursor().intervalMillis(),
            ms -> ms == intervalA.toMillis());
    WorkflowExecution coordinator = running(Lakehouse.MATERIALIZER_ID);
    WorkflowExecution sensorRun = running(sensor);
    WorkflowExecution setup = describe(Lakehouse.INGESTION_SETUP_ID, "").getWorkflowExecutionInfo().getExecution();
    boolean setupInFlight = status(setup) == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    System.out.printf("worker A pid %d, spec %s, ready %.0f s after the test started; ingestion-setup %s%n", oldPid,
        versionA, seconds(t0), setupInFlight ? "in flight" : "done");

    // the spec in use is the one the worker runs: nothing to do
    Reload same = reloadWorker(e, specA);
    assertThat(same.out()).contains("worker: runs spec " + versionA + ", the spec in use",
        "console: runs spec " + versionA + ", the spec in use");
    assertThat(worker.pid()).isEqualTo(oldPid);
    assertThat(console.pid()).isEqualTo(oldConsolePid);

    // the spec in use becomes B: drain, then start
    List<String> inFlight = describe(Lakehouse.INGESTION_SETUP_ID, setup.getRunId()).getPendingActivitiesList().stream()
        .filter(a -> a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
        .map(a -> a.getActivityType().getName()).toList();
    System.out.println("activities of ingestion-setup running at the reload: " + inFlight);
    long t1 = System.nanoTime();
    Reload reload = reloadWorker(e, specB);
    double reloadSeconds = seconds(t1);
    System.out.printf("reload-worker with spec B took %.1f s:%n%s", reloadSeconds, reload.out());
    assertThat(reload.code()).as(reload.out()).isZero();
    assertThat(reload.out()).contains("runs spec " + versionA + ", the spec in use is " + versionB,
            "worker: restarted with spec " + versionB, "console: restarted with spec " + versionB)
        .containsPattern("worker +stopped \\(")
        .doesNotContain("SIGKILL");
    long newPid = worker.pid();
    assertThat(newPid).isPositive().isNotEqualTo(oldPid);
    assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive)).as("the old worker is gone").isNotEqualTo(
        java.util.Optional.of(true));
    assertThat(worker.runningSpecVersion()).contains(versionB);
    assertThat(console.pid()).isPositive().isNotEqualTo(oldConsolePid);
    assertThat(consoleAsset(e)).as("console B: " + B_ASSET).isEqualTo(200);

    // the old worker drained and exited by itself; the new one says which spec it runs
    List<String> starts = segments(from(worker.consoleLog(), consoleFrom));
    assertThat(starts).as("one console segment per start").hasSize(2);
    assertThat(starts.get(0)).contains("identity " + oldPid + "@", "spec " + versionA,
        "shutting down: no new tasks", "worker stopped")
        // a drain lets running activities go on: none gave up at the first heartbeat the draining worker refused
        .doesNotContain("ActivityWorkerShutdownException");
    assertThat(starts.get(1)).contains("identity " + newPid + "@", "spec " + versionB)
        .doesNotContain("worker stopped");
    System.out.println("the old worker's drain: " + (starts.get(0).contains("tasks still running after")
        ? "tasks still ran at its shutdown timeout (stopped, to be retried)" : "every running task finished"));
    await("the new worker polls as spec B").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> pollerIdentities(e), ids -> ids.stream()
            .anyMatch(id -> id.startsWith(newPid + "@") && id.endsWith(" spec " + versionB)));
    // B's boot automation reconciled the sensors with B: the same sensor run, a new interval
    await("the sensors on spec B's interval").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> client.newWorkflowStub(SensorWorkflow.class, sensor).cursor().intervalMillis(),
            ms -> ms == B_INTERVAL.toMillis());

    // what ran through the restart goes on: the coordinator answers on the new worker (a replay of its history there)
    assertThat(client.newWorkflowStub(MaterializerWorkflow.class, Lakehouse.MATERIALIZER_ID).status()).isNotNull();
    assertThat(status(coordinator)).isIn(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
    assertThat(status(sensorRun)).isIn(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
    // ingestion-setup (A's, when the restart caught it, and any B's boot started) completes
    await("ingestion-setup ends").atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2))
        .until(() -> status(WorkflowExecution.newBuilder().setWorkflowId(Lakehouse.INGESTION_SETUP_ID).build()),
            s -> s != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    assertThat(status(setup)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    assertThat(status(WorkflowExecution.newBuilder().setWorkflowId(Lakehouse.INGESTION_SETUP_ID).build()))
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);

    // the same spec again: nothing to do, the same process
    Reload again = reloadWorker(e, specB);
    assertThat(again.out()).contains("worker: runs spec " + versionB + ", the spec in use",
        "console: runs spec " + versionB + ", the spec in use");
    assertThat(worker.pid()).isEqualTo(newPid);
    System.out.printf("ReloadWorkerIT: reload %.1f s, whole test %.0f s%n", reloadSeconds, seconds(t0));
  }

  /** Spec A (the stack's file) with another sensor interval and one more satellite, in a file that includes A. */
  static Path writeSpecB(Path specA) throws Exception {
    Path dir = Files.createDirectories(Paths.get("target", "reload-worker-it").toAbsolutePath());
    Path b = dir.resolve("spec-b.conf");
    Files.writeString(b, "include file(\"" + specA + "\")\n"
        + "lakehouse.schedules.sensor-interval = " + B_INTERVAL.toSeconds() + "s\n"
        + "lakehouse.satellites." + B_ASSET.substring(B_ASSET.indexOf('.') + 1)
        + " { parent = h_users, columns = [name] }\n", StandardCharsets.UTF_8);
    return b;
  }

  record Reload(int code, String out) {}

  /**
   * {@code java -jar lakehouse-stack.jar reload-worker} with the environment {@code ./lakehouse} gives it: its home,
   * the spec in use, the worker jar; and this stack's ports (the script's stack reads them from the spec).
   */
  static Reload reloadWorker(Endpoints e, Path specInUse) throws Exception {
    Path jar = Paths.get(System.getProperty("lakehouse.stack.jar", "../stack/target/lakehouse-stack.jar"))
        .toAbsolutePath().normalize();
    assertThat(jar).as("the stack jar (./mvnw package -pl stack)").isRegularFile();
    ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "reload-worker", "--worker-timeout", "240").redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("LAKEHOUSE_HOME", LakehouseStackExtension.stack().context().home().toString());
    env.put("LAKEHOUSE_SPEC", specInUse.toString());
    env.put(WorkerProcess.JAR_ENV, WorkerProcess.locateJar().toString());
    env.put(ConsoleProcess.JAR_ENV, ConsoleProcess.locateJar().toString());
    env.putAll(WorkerProcess.endpointEnv(e));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Reload(p.exitValue(), out);
  }

  static String from(Path file, long offset) throws Exception {
    byte[] all = Files.readAllBytes(file);
    return new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
  }

  /** The console log from a point on, split at each "starting the worker" line WorkerProcess writes. */
  static List<String> segments(String console) {
    List<String> parts = new ArrayList<>();
    for (String part : console.split("(?m)^==== .* lakehouse starting the worker: .*$")) {
      if (!part.isBlank()) {
        parts.add(part);
      }
    }
    return parts;
  }

  /** The HTTP status of the console's JSON for {@link #B_ASSET} (404: not in the console's graph). */
  static int consoleAsset(Endpoints e) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(e.console().url() + "/api/assets/"
        + B_ASSET)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  List<String> pollerIdentities(Endpoints e) {
    return stubs.blockingStub().describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
            .setNamespace(e.temporal().namespace())
            .setTaskQueue(TaskQueue.newBuilder().setName(e.temporal().taskQueue()))
            .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW).build())
        .getPollersList().stream().map(PollerInfo::getIdentity).toList();
  }

  WorkflowExecution running(String workflowId) {
    var info = describe(workflowId, "").getWorkflowExecutionInfo();
    assertThat(info.getStatus()).as(workflowId).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    return info.getExecution();
  }

  WorkflowExecutionStatus status(WorkflowExecution execution) {
    return describe(execution.getWorkflowId(), execution.getRunId()).getWorkflowExecutionInfo().getStatus();
  }

  io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse describe(String workflowId, String runId) {
    return stubs.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace("default")
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId)).build());
  }

  static double seconds(long fromNanos) {
    return (System.nanoTime() - fromNanos) / 1e9;
  }
}
