package dev.lakehouse.workflows;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.Schedules;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Client-side helpers (not workflow code): the options every starter uses for the fixed workflow IDs,
 * signalWithStart to the coordinator, and {@link #ensure} which starts the automation (health cron,
 * maintenance crons, sensors, coordinator) idempotently.
 */
public final class Automation {
  private Automation() {}

  public static WorkflowOptions options(PipelineSpec spec, String workflowId) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(spec.endpoints().temporal().taskQueue())
        .setWorkflowId(workflowId)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build();
  }

  private static WorkflowOptions cron(PipelineSpec spec, String workflowId, String cron) {
    return WorkflowOptions.newBuilder(options(spec, workflowId)).setCronSchedule(cron).build();
  }

  /** A new stub for the coordinator (for signalWithStart). */
  public static MaterializerWorkflow materializer(WorkflowClient client, PipelineSpec spec) {
    return client.newWorkflowStub(MaterializerWorkflow.class, options(spec, Lakehouse.MATERIALIZER_ID));
  }

  /** What every signalWithStart (and {@link #ensure}) starts the coordinator with: the spec's limits and retries. */
  public static MaterializerInput materializerInput(PipelineSpec spec) {
    Schedules s = spec.schedules();
    return MaterializerInput.initial(s.materializerRunsPerExecution(), s.materializerSignalsPerExecution(),
        MaterializerRetry.of(s.materializerRetry()));
  }

  /** signalWithStart {@code request} on the coordinator. */
  public static void request(WorkflowClient client, PipelineSpec spec, MaterializeRequest request) {
    signalWithStart(client, spec, (batch, stub) -> batch.add(stub::request, request));
  }

  /** signalWithStart {@code backfill} on the coordinator. */
  public static void backfill(WorkflowClient client, PipelineSpec spec, BackfillRequest request) {
    signalWithStart(client, spec, (batch, stub) -> batch.add(stub::backfill, request));
  }

  /** signalWithStart {@code pause} or {@code resume} on the coordinator. */
  public static void setPaused(WorkflowClient client, PipelineSpec spec, boolean paused) {
    signalWithStart(client, spec, (batch, stub) -> {
      if (paused) {
        batch.add(stub::pause);
      } else {
        batch.add(stub::resume);
      }
    });
  }

  /** Starts the coordinator with its initial input unless it runs, and delivers the signal {@code signal} adds. */
  private static void signalWithStart(WorkflowClient client, PipelineSpec spec,
      BiConsumer<BatchRequest, MaterializerWorkflow> signal) {
    MaterializerWorkflow stub = materializer(client, spec);
    BatchRequest batch = client.newSignalWithStartRequest();
    batch.add(stub::run, materializerInput(spec));
    signal.accept(batch, stub);
    client.signalWithStart(batch);
  }

  /**
   * Input of a maintenance cron over a group ({@code vault}, {@code raw_parsed}). Retentions travel as ISO-8601
   * durations ({@code PT168H}), the text of a {@link java.time.Duration}: the activity writes them in Trino's syntax.
   */
  public static MaintenanceInput maintenanceInput(String group, Schedules.MaintenanceSpec m) {
    return new MaintenanceInput(group, MaintenanceOperation.labels(MaintenanceOperation.OPTIMIZE,
        MaintenanceOperation.EXPIRE_SNAPSHOTS, MaintenanceOperation.REMOVE_ORPHAN_FILES),
        m.optimizeFileSizeThreshold(), m.expireSnapshotsOlderThan().toString(), m.removeOrphanFilesOlderThan().toString());
  }

  /** Input of the weekly cron that drops the extended statistics of every table. */
  public static MaintenanceInput extendedStatsInput() {
    return new MaintenanceInput("all", MaintenanceOperation.labels(MaintenanceOperation.DROP_EXTENDED_STATS), null,
        null, null);
  }

  /**
   * Starts {@code ingestion-setup} unless it is running (a finished one runs again: every step is
   * idempotent). Returns whether it started.
   */
  public static boolean ensureIngestionSetup(WorkflowClient client, PipelineSpec spec) {
    try {
      WorkflowClient.start(client.newWorkflowStub(IngestionSetupWorkflow.class,
          options(spec, Lakehouse.INGESTION_SETUP_ID))::run);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }

  /**
   * Starts what is not running: health cron, maintenance crons, the coordinator, one sensor per raw table.
   * Returns the IDs it started (already running ones are left alone).
   */
  public static List<String> ensure(WorkflowClient client, PipelineSpec spec) {
    List<String> started = new ArrayList<>();
    Schedules s = spec.schedules();
    long maxCheckpointAge = s.flinkCheckpointInterval().toMillis() * 6;
    start(started, Lakehouse.INGESTION_HEALTH_ID, () -> WorkflowClient.start(client.newWorkflowStub(
        IngestionHealthWorkflow.class, cron(spec, Lakehouse.INGESTION_HEALTH_ID, s.healthCron()))::check,
        new HealthInput(maxCheckpointAge)));
    start(started, Lakehouse.MAINTENANCE_VAULT_ID, () -> WorkflowClient.start(client.newWorkflowStub(
        MaintenanceWorkflow.class, cron(spec, Lakehouse.MAINTENANCE_VAULT_ID, s.maintenance().vault().cron()))::run,
        maintenanceInput("vault", s.maintenance().vault())));
    start(started, Lakehouse.MAINTENANCE_RAW_PARSED_ID, () -> WorkflowClient.start(client.newWorkflowStub(
        MaintenanceWorkflow.class, cron(spec, Lakehouse.MAINTENANCE_RAW_PARSED_ID,
            s.maintenance().rawParsed().cron()))::run, maintenanceInput("raw_parsed", s.maintenance().rawParsed())));
    start(started, Lakehouse.MAINTENANCE_EXTENDED_STATS_ID, () -> WorkflowClient.start(client.newWorkflowStub(
        MaintenanceWorkflow.class, cron(spec, Lakehouse.MAINTENANCE_EXTENDED_STATS_ID,
            s.maintenance().dropExtendedStatsCron()))::run,
        extendedStatsInput()));
    start(started, Lakehouse.MATERIALIZER_ID, () -> WorkflowClient.start(materializer(client, spec)::run,
        materializerInput(spec)));
    for (var raw : AssetGraph.fromSpec(spec).ofKind(AssetKind.RAW_TABLE)) {
      String id = Lakehouse.sensorId(raw.key());
      start(started, id, () -> WorkflowClient.start(client.newWorkflowStub(SensorWorkflow.class, options(spec, id))::run,
          new SensorInput(raw.key(), s.sensorInterval().toMillis(), s.sensorIterationsPerRun(), null, 0)));
    }
    return started;
  }

  private static void start(List<String> started, String id, Runnable start) {
    try {
      start.run();
      started.add(id);
    } catch (WorkflowExecutionAlreadyStarted e) {
      // running already: leave it
    }
  }

}
