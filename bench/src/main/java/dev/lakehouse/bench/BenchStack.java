package dev.lakehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import dev.lakehouse.stack.ConsoleProcess;
import dev.lakehouse.stack.FreePorts;
import dev.lakehouse.stack.Procs;
import dev.lakehouse.stack.Services;
import dev.lakehouse.stack.Stack;
import dev.lakehouse.stack.StackContext;
import dev.lakehouse.stack.StackEndpoints;
import dev.lakehouse.stack.StackFiles;
import dev.lakehouse.stack.TemporalCli;
import dev.lakehouse.stack.WorkerProcess;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.assets.Asset;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The benchmark's own local stack: all eight services on free ports (never the defaults a user's `./lakehouse up`
 * holds) in a state dir of its own, wiped first, so the start is a cold one; and the worker jar as a process,
 * restarted with other pipeline settings when a phase asks for them.
 */
final class BenchStack implements AutoCloseable {
  /** Environment names of the two settings the freshness phases change (lakehouse.conf). */
  static final String CHECKPOINT_ENV = "LAKEHOUSE_FLINK_CHECKPOINT_INTERVAL";
  static final String SENSOR_ENV = "LAKEHOUSE_SENSOR_INTERVAL";

  private final Stack stack;
  private final Stack.UpResult up;
  private final WorkerProcess worker;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final Consumer<String> out;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Thread hook;
  /** [from, to] epoch millis in which no worker polled (restarts): waits then are not Temporal's doing. */
  private final List<long[]> workerDown = new ArrayList<>();

  private BenchStack(Stack stack, Stack.UpResult up, WorkerProcess worker, Thread hook, Consumer<String> out) {
    this.stack = stack;
    this.up = up;
    this.out = out;
    this.worker = worker;
    this.hook = hook;
    Endpoints e = endpoints();
    this.stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(e.temporal().target()).build());
    this.client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
        .setNamespace(e.temporal().namespace()).build());
  }

  /**
   * Cold start in {@code state} (wiped) on free ports; a port taken between our check and the service's bind is
   * retried on other ports. The temporal CLI is located (or built, once per checkout) before the clock starts.
   */
  static BenchStack start(Path state, Consumer<String> out) throws IOException, InterruptedException {
    TemporalCli.locateOrBuild(out);
    SpecSource source = SpecLoader.locate(System.getenv());
    PipelineSpec base = SpecLoader.load(source, System.getenv(), Map.of());
    for (int attempt = 1; ; attempt++) {
      StackContext ctx = StackContext.of(base.withEndpoints(FreePorts.assign(base.endpoints())), source, state,
          StackFiles.locateServices(), out);
      Stack stack = new Stack(ctx, Services.all());
      WorkerProcess worker = new WorkerProcess(stack);
      worker.stop(); // a killed earlier run's leftovers in this state dir, if any
      stack.down();
      stack.purge();
      // registered before the services start: a SIGTERM or Ctrl-C during the cold start stops them too
      Thread hook = new Thread(() -> stopAll(worker, stack), "bench-stack-down");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        return new BenchStack(stack, stack.up(), worker, hook, out);
      } catch (RuntimeException e) {
        Runtime.getRuntime().removeShutdownHook(hook);
        stopAll(worker, stack);
        if (e instanceof Stack.StackException && attempt < 3
            && String.valueOf(e.getMessage()).contains("already in use")) {
          out.accept("port clash (" + e.getMessage() + "); retrying on other ports");
          continue;
        }
        throw e;
      }
    }
  }

  Endpoints endpoints() {
    return stack.context().endpoints();
  }

  Stack.UpResult up() {
    return up;
  }

  List<long[]> workerDownWindows() {
    return List.copyOf(workerDown);
  }

  WorkflowClient client() {
    return client;
  }

  /** The spec as the worker sees it: this stack's endpoints, plus the given lakehouse.conf overrides. */
  PipelineSpec spec(Map<String, String> overrides) {
    Map<String, Object> o = new HashMap<>(StackEndpoints.configOverrides(endpoints()));
    o.putAll(overrides);
    return SpecLoader.load(o);
  }

  /** RSS of the eight services plus the worker. */
  long rssBytes() {
    return stack.totalRss() + workerRss();
  }

  private long workerRss() {
    long w = worker.pid();
    return w > 0 ? Procs.treeRss(w) : 0;
  }

  /** RSS per service and of the worker, in MiB, largest first: what each holds of {@link #rssBytes}. */
  String rssBreakdown() {
    java.util.Map<String, Long> mib = new java.util.LinkedHashMap<>();
    stack.services().forEach(s -> mib.put(s.name(), stack.rss(s) >> 20));
    mib.put("worker", workerRss() >> 20);
    return mib.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", ")) + " MiB";
  }

  /** Starts the worker jar with the automation and these extra environment settings; waits until it polls. */
  void startWorker(Map<String, String> env) throws IOException {
    worker.start(WorkerProcess.locateJar(), 300, env);
  }

  /** Starts the console jar on this stack with these extra environment settings; waits until it listens. */
  ConsoleProcess startConsole(Map<String, String> env) throws IOException {
    ConsoleProcess console = new ConsoleProcess(stack);
    console.start(ConsoleProcess.locateJar(), 120, env);
    return console;
  }

  /**
   * New pipeline settings: the worker stopped, the sensors terminated and the Flink job cancelled, then the worker
   * started with {@code env}: its automation resubmits the job (resuming from the retained checkpoint) with the
   * new checkpoint interval and starts the sensors with the new poll interval. Returns once the job runs: a change
   * committed from then on waits for the new settings' checkpoint and poll, as in steady state.
   */
  void restartWith(Map<String, String> env) throws IOException, InterruptedException {
    long down = System.currentTimeMillis();
    worker.stop();
    for (Asset raw : AssetGraph.fromSpec(stack.context().spec()).ofKind(AssetKind.RAW_TABLE)) {
      try {
        client.newUntypedWorkflowStub(Lakehouse.sensorId(raw.key())).terminate("lakehouse bench: new settings " + env);
      } catch (RuntimeException e) {
        // not running: nothing to stop
      }
    }
    cancelIngestJob();
    startWorker(env);
    workerDown.add(new long[] {down, System.currentTimeMillis()});
    awaitIngestJobRunning();
  }

  /** Waits until the ingestion setup has the Flink job running again (the automation submits it). */
  private void awaitIngestJobRunning() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      for (JsonNode j : ingestJobs()) {
        if (IngestSql.isIngestJob(j.path("name").asText()) && "RUNNING".equals(j.path("state").asText())) {
          return;
        }
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the Flink job " + IngestSql.PIPELINE_NAME + " was not running 5 min after the"
        + " worker restarted (see the worker's log " + stack.context().logFile(WorkerProcess.NAME) + ")");
  }

  private JsonNode ingestJobs() throws IOException, InterruptedException {
    return new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
        URI.create(endpoints().flink().url() + "/jobs/overview")).build(), HttpResponse.BodyHandlers.ofString())
        .body()).path("jobs");
  }

  /** Cancels the running ingest job and waits until Flink no longer lists it as running or cancelling. */
  private void cancelIngestJob() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    boolean asked = false;
    while (System.nanoTime() < deadline) {
      boolean alive = false;
      for (JsonNode j : ingestJobs()) {
        String state = j.path("state").asText();
        if (IngestSql.isIngestJob(j.path("name").asText())
            && List.of("RUNNING", "CREATED", "INITIALIZING", "RESTARTING", "CANCELLING", "FAILING").contains(state)) {
          alive = true;
          if (!asked && !"CANCELLING".equals(state)) {
            http.send(HttpRequest.newBuilder(URI.create(endpoints().flink().url() + "/jobs/" + j.path("jid").asText()
                + "?mode=cancel")).method("PATCH", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
          }
        }
      }
      if (!alive) {
        return;
      }
      asked = true;
      Thread.sleep(500);
    }
    throw new IllegalStateException("the Flink job " + IngestSql.PIPELINE_NAME + " did not stop within 60 s of the"
        + " cancel (see " + stack.context().logFile("flink-jobmanager") + ")");
  }

  private static void stopAll(WorkerProcess worker, Stack stack) {
    new ConsoleProcess(stack).stop(); // started by the console phase, if it ran
    worker.stop();
    stack.down();
  }

  @Override
  public void close() {
    stubs.shutdown();
    stopAll(worker, stack);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }
}
