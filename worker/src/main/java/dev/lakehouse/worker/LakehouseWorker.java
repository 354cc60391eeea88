package dev.lakehouse.worker;

import dev.lakehouse.activities.BeforePolling;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.automation.ScheduleAutomation;
import dev.lakehouse.workflows.LakehouseWorkflows;
import dev.lakehouse.workflows.activities.AlertActivities;
import dev.lakehouse.workflows.activities.AssetCheckActivities;
import dev.lakehouse.workflows.activities.CatalogActivities;
import dev.lakehouse.workflows.activities.ConnectActivities;
import dev.lakehouse.workflows.activities.FlinkActivities;
import dev.lakehouse.workflows.activities.FreshnessActivities;
import dev.lakehouse.workflows.activities.KafkaActivities;
import dev.lakehouse.workflows.activities.MaintenanceActivities;
import dev.lakehouse.workflows.activities.ModelActivities;
import dev.lakehouse.workflows.activities.SourceActivities;
import dev.lakehouse.workflows.assets.AssetGraph;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker on the task queue: every workflow type of {@link LakehouseWorkflows} and every activity
 * implementation bound through {@link ActivityImplementations}. {@link #start()} polls; {@link #close()}
 * stops polling, lets running tasks finish (up to the shutdown timeout) and closes the connection.
 */
public final class LakehouseWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LakehouseWorker.class);

  /** Every activity interface the workflows call; one implementation each is expected. */
  static final List<Class<?>> ACTIVITY_INTERFACES = List.of(CatalogActivities.class, ConnectActivities.class,
      FlinkActivities.class, KafkaActivities.class, SourceActivities.class, ModelActivities.class,
      MaintenanceActivities.class, FreshnessActivities.class, AlertActivities.class, AssetCheckActivities.class);

  private final WorkerConfig config;
  private final PipelineSpec spec;
  private final AssetGraph graph;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final Set<Object> activities;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean registered;

  @Inject
  LakehouseWorker(WorkerConfig config, PipelineSpec spec, AssetGraph graph, WorkflowServiceStubs stubs,
      WorkflowClient client, WorkerFactory factory, @ActivityImplementations Set<Object> activities) {
    this.config = config;
    this.spec = spec;
    this.graph = graph;
    this.stubs = stubs;
    this.client = client;
    this.factory = factory;
    this.activities = activities;
  }

  /** Registers workflows and activities on the task queue (once). */
  public synchronized void register() {
    if (registered) {
      return;
    }
    Worker worker = factory.newWorker(config.taskQueue());
    LakehouseWorkflows.register(worker, graph);
    if (!activities.isEmpty()) {
      worker.registerActivitiesImplementations(activities.toArray());
    }
    List<String> missing = missingActivities();
    if (!missing.isEmpty()) {
      // not fatal: workflows that need them wait (and retry) until a worker that has them polls
      log.warn("no implementation registered for {}; workflows calling them will wait", missing);
    }
    registered = true;
  }

  /** Activity interfaces with no bound implementation (simple names). */
  public List<String> missingActivities() {
    return ACTIVITY_INTERFACES.stream()
        .filter(i -> activities.stream().noneMatch(i::isInstance))
        .map(Class::getSimpleName)
        .toList();
  }

  /**
   * Registers if needed, lets the activity implementations that ask for it work before any task runs
   * ({@link BeforePolling}: the ops table's DDL, which would race a run's insert once tasks run), starts polling, and
   * creates the automation when configured.
   */
  public void start() {
    register();
    beforePolling();
    factory.start();
    log.info("worker polling task queue '{}' on {} namespace '{}' ({} activity implementations, identity {})",
        config.taskQueue(), config.temporalTarget(), config.namespace(), activities.size(),
        client.getOptions().getIdentity());
    if (config.automation()) {
      boolean setup = Automation.ensureIngestionSetup(client, spec);
      log.info("automation: ingestion setup {}", setup ? "started" : "already running");
      try {
        new ScheduleAutomation(client, spec).start(c -> log.info("automation: {}", c.line()));
      } catch (RuntimeException e) {
        // the worker still serves what runs; the operator sees this and runs lakehouse automation start
        log.error("automation: could not reconcile the schedules and sensors with the spec: {};"
            + " run lakehouse automation start once Temporal answers", e.toString());
      }
    }
  }

  /** Each {@link BeforePolling} implementation, once, before the factory starts; a failure does not stop the start. */
  void beforePolling() {
    for (Object a : activities) {
      if (a instanceof BeforePolling b) {
        try {
          b.beforePolling();
        } catch (RuntimeException e) {
          log.warn("{} before polling failed: {}; its work is done when a task needs it", a.getClass().getSimpleName(),
              e.toString());
        }
      }
    }
  }

  /** Whether the worker polls its task queue (started). */
  boolean polling() {
    return factory.isStarted();
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  public WorkflowClient client() {
    return client;
  }

  @Override
  public void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    try {
      log.info("shutting down: no new tasks, waiting up to {}s for running ones", config.shutdownTimeout().toSeconds());
      factory.shutdown();
      factory.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!factory.isTerminated()) {
        log.warn("tasks still running after {}s; stopping them", config.shutdownTimeout().toSeconds());
        factory.shutdownNow();
      }
      stubs.shutdown();
      stubs.awaitTermination(5, TimeUnit.SECONDS);
      log.info("worker stopped");
    } finally {
      stopped.countDown();
    }
  }
}
