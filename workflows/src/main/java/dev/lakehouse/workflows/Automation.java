package dev.lakehouse.workflows;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.Schedules;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.function.BiConsumer;

/**
 * Client-side helpers (not workflow code): the options every starter uses for the fixed workflow IDs,
 * signalWithStart to the coordinator, and starting the coordinator and {@code ingestion-setup} unless they run
 * (the schedules and sensors: {@link dev.lakehouse.workflows.automation.ScheduleAutomation}).
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

  /** A new stub for the coordinator (for signalWithStart). */
  public static MaterializerWorkflow materializer(WorkflowClient client, PipelineSpec spec) {
    return client.newWorkflowStub(MaterializerWorkflow.class, options(spec, Lakehouse.MATERIALIZER_ID));
  }

  /** What every signalWithStart (and {@link #ensure}) starts the coordinator with: the spec's limits and retries. */
  public static MaterializerInput materializerInput(PipelineSpec spec) {
    Schedules s = spec.schedules();
    return MaterializerInput.initial(s.materializerRunsPerExecution(), s.materializerSignalsPerExecution(),
        MaterializerRetry.of(s.materializerRetry()), s.materializerRunsInFlight());
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

  /** Starts the coordinator with its initial input unless it runs; returns whether it started. */
  public static boolean ensureMaterializer(WorkflowClient client, PipelineSpec spec) {
    try {
      WorkflowClient.start(materializer(client, spec)::run, materializerInput(spec));
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }
}
