package dev.lakehouse.starter;

import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.IngestionHealthWorkflow;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.MaterializerWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowException;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Locale;
import java.util.Optional;

/** Reads workflow state without a worker where possible: describe, history; queries where only they know. */
final class Inspect {
  private Inspect() {}

  /** State of one fixed workflow ID. */
  record Execution(String workflowId, String status, String runId) {
    boolean running() {
      return "running".equals(status);
    }
  }

  /** Describes the current run of {@code workflowId}; status {@code not started} when none exists. */
  static Execution describe(TemporalSession s, String workflowId) {
    try {
      DescribeWorkflowExecutionResponse r = s.stubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder().setNamespace(s.namespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
      var info = r.getWorkflowExecutionInfo();
      return new Execution(workflowId, label(info.getStatus()), info.getExecution().getRunId());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return new Execution(workflowId, "not started", null);
      }
      throw e;
    }
  }

  private static String label(WorkflowExecutionStatus status) {
    return status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** The outcome of a query: the value, or why there is none. */
  record Answer<T>(T value, String problem) {}

  /** Query {@code status} of the coordinator, if it is running and a worker answers. */
  static Answer<MaterializerStatus> materializerStatus(TemporalSession s) {
    Execution e = describe(s, Lakehouse.MATERIALIZER_ID);
    if (!e.running()) {
      return new Answer<>(null, "coordinator '" + Lakehouse.MATERIALIZER_ID + "' is " + e.status()
          + " (lakehouse run or lakehouse automation start starts it)");
    }
    try {
      return new Answer<>(s.client().newWorkflowStub(MaterializerWorkflow.class, Lakehouse.MATERIALIZER_ID).status(),
          null);
    } catch (WorkflowException ex) {
      return new Answer<>(null, noAnswer(Lakehouse.MATERIALIZER_ID, ex));
    }
  }

  /**
   * The last health report: the previous cron run's result (recorded in the current run's first event, so no
   * worker is needed), else the {@code lastReport} query of the run in progress.
   */
  static Answer<HealthReport> healthReport(TemporalSession s) {
    Execution e = describe(s, Lakehouse.INGESTION_HEALTH_ID);
    if (!e.running()) {
      return new Answer<>(null, "'" + Lakehouse.INGESTION_HEALTH_ID + "' is " + e.status()
          + " (lakehouse automation start starts it)");
    }
    Optional<HealthReport> previous = previousCronResult(s, Lakehouse.INGESTION_HEALTH_ID, e.runId());
    if (previous.isPresent()) {
      return new Answer<>(previous.get(), null);
    }
    try {
      HealthReport r = s.client().newWorkflowStub(IngestionHealthWorkflow.class, Lakehouse.INGESTION_HEALTH_ID)
          .lastReport();
      return r == null ? new Answer<>(null, "no health check has finished yet") : new Answer<>(r, null);
    } catch (WorkflowException ex) {
      return new Answer<>(null, "no health check has finished yet");
    }
  }

  private static Optional<HealthReport> previousCronResult(TemporalSession s, String workflowId, String runId) {
    var history = s.stubs().blockingStub().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
        .setNamespace(s.namespace())
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
        .setMaximumPageSize(1).build());
    if (history.getHistory().getEventsCount() == 0) {
      return Optional.empty();
    }
    HistoryEvent first = history.getHistory().getEvents(0);
    if (!first.hasWorkflowExecutionStartedEventAttributes()
        || !first.getWorkflowExecutionStartedEventAttributes().hasLastCompletionResult()) {
      return Optional.empty();
    }
    Payloads result = first.getWorkflowExecutionStartedEventAttributes().getLastCompletionResult();
    if (result.getPayloadsCount() == 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(DefaultDataConverter.STANDARD_INSTANCE.fromPayload(result.getPayloads(0),
        HealthReport.class, HealthReport.class));
  }

  private static String noAnswer(String workflowId, Exception ex) {
    Throwable t = ex;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof StatusRuntimeException sre && sre.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return "'" + workflowId + "' did not answer within " + TemporalSession.QUERY_TIMEOUT.toSeconds()
          + "s: is the worker running? (./lakehouse up starts it)";
    }
    return "'" + workflowId + "' did not answer the query: " + t.getMessage();
  }
}
