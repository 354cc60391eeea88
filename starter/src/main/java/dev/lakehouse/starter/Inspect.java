package dev.lakehouse.starter;

import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializerStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Reads workflow state without a worker where possible: describe, history; queries where only they know. */
public final class Inspect {
  private Inspect() {}

  /** State of one fixed workflow ID: {@code state} null (and {@code runId} null) when none was ever started. */
  public record Execution(String workflowId, WorkflowExecutionStatus state, String runId) {
    public boolean running() {
      return state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }

    /** What the CLI shows: {@code running}, {@code continued as new}, ... or {@code not started}. */
    public String status() {
      return state == null ? "not started"
          : state.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /** Describes the current run of {@code workflowId}. */
  public static Execution describe(TemporalSession s, String workflowId) {
    try {
      DescribeWorkflowExecutionResponse r = s.stubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder().setNamespace(s.namespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
      var info = r.getWorkflowExecutionInfo();
      return new Execution(workflowId, info.getStatus(), info.getExecution().getRunId());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return new Execution(workflowId, null, null);
      }
      throw e;
    }
  }

  /** The outcome of a query: the value, or why there is none. */
  public record Answer<T>(T value, String problem) {}

  /** Query {@code status} of the coordinator, if it is running and a worker answers. */
  public static Answer<MaterializerStatus> materializerStatus(TemporalSession s) {
    Execution e = describe(s, Lakehouse.MATERIALIZER_ID);
    if (!e.running()) {
      return new Answer<>(null, "coordinator '" + Lakehouse.MATERIALIZER_ID + "' is " + e.status()
          + " (lakehouse run or lakehouse automation start starts it)");
    }
    return query(s, Lakehouse.MATERIALIZER_ID, "status", MaterializerStatus.class);
  }

  /**
   * The last health report. From the Temporal Schedule {@code ingestion-health}: the result of its most recent
   * finished run (no worker needed), else the {@code lastReport} query of the run in progress (which answers with
   * the previous run's report). A lakehouse not yet upgraded still runs the legacy cron workflow under that ID:
   * then the previous cron run's result from its first event, else the query.
   */
  public static Answer<HealthReport> healthReport(TemporalSession s) {
    Execution legacy = describe(s, Lakehouse.INGESTION_HEALTH_ID);
    if (legacy.running()) {
      Optional<HealthReport> previous = previousCronResult(s, Lakehouse.INGESTION_HEALTH_ID, legacy.runId());
      if (previous.isPresent()) {
        return new Answer<>(previous.get(), null);
      }
      return orNone(query(s, Lakehouse.INGESTION_HEALTH_ID, "lastReport", HealthReport.class));
    }
    ScheduleDescription schedule;
    try {
      schedule = ScheduleClient.newInstance(s.stubs(), ScheduleClientOptions.newBuilder()
          .setNamespace(s.namespace()).build()).getHandle(Lakehouse.INGESTION_HEALTH_ID).describe();
    } catch (ScheduleException e) {
      return new Answer<>(null, "schedule '" + Lakehouse.INGESTION_HEALTH_ID + "' does not exist"
          + " (lakehouse automation start creates it)");
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        throw e;
      }
      return new Answer<>(null, "schedule '" + Lakehouse.INGESTION_HEALTH_ID + "' cannot be read: "
          + e.getStatus().getCode() + " " + e.getStatus().getDescription());
    }
    List<ScheduleActionResult> recent = new ArrayList<>(schedule.getInfo().getRecentActions());
    Collections.reverse(recent);
    Answer<HealthReport> running = null;
    for (ScheduleActionResult r : recent) {
      if (!(r.getAction() instanceof ScheduleActionExecutionStartWorkflow w)) {
        continue;
      }
      Optional<HealthReport> result = completedResult(s, w.getWorkflowId());
      if (result.isPresent()) {
        return new Answer<>(result.get(), null);
      }
      if (running == null && describe(s, w.getWorkflowId()).running()) {
        running = query(s, w.getWorkflowId(), "lastReport", HealthReport.class);
        if (running.value() != null) {
          return running;
        }
      }
    }
    return running != null ? orNone(running) : new Answer<>(null, "no health check has finished yet");
  }

  private static Answer<HealthReport> orNone(Answer<HealthReport> answer) {
    return answer.value() == null && answer.problem() == null
        ? new Answer<>(null, "no health check has finished yet") : answer;
  }

  /** The result of a completed workflow, from its close event. */
  private static Optional<HealthReport> completedResult(TemporalSession s, String workflowId) {
    var history = s.stubs().blockingStub().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
        .setNamespace(s.namespace())
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
        .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT).build());
    if (history.getHistory().getEventsCount() == 0) {
      return Optional.empty();
    }
    HistoryEvent close = history.getHistory().getEvents(0);
    if (!close.hasWorkflowExecutionCompletedEventAttributes()
        || close.getWorkflowExecutionCompletedEventAttributes().getResult().getPayloadsCount() == 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
        close.getWorkflowExecutionCompletedEventAttributes().getResult().getPayloads(0), HealthReport.class,
        HealthReport.class));
  }

  /**
   * A query with its own deadline, through the raw service stub: the SDK's query call retries a query no worker
   * answers for much longer than a CLI should wait.
   */
  static <T> Answer<T> query(TemporalSession s, String workflowId, String queryType, Class<T> type) {
    try {
      QueryWorkflowResponse r = s.stubs().blockingStub()
          .withDeadlineAfter(TemporalSession.QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .queryWorkflow(QueryWorkflowRequest.newBuilder().setNamespace(s.namespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
              .setQuery(WorkflowQuery.newBuilder().setQueryType(queryType)).build());
      if (r.hasQueryRejected()) {
        return new Answer<>(null, "'" + workflowId + "' rejected query " + queryType + " ("
            + r.getQueryRejected().getStatus() + ")");
      }
      if (r.getQueryResult().getPayloadsCount() == 0) {
        return new Answer<>(null, null);
      }
      return new Answer<>(DefaultDataConverter.STANDARD_INSTANCE.fromPayload(r.getQueryResult().getPayloads(0), type,
          type), null);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
        return new Answer<>(null, "'" + workflowId + "' did not answer query " + queryType + " within "
            + TemporalSession.QUERY_TIMEOUT.toSeconds() + "s: is the worker running? (./lakehouse up starts it)");
      }
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        throw e;
      }
      return new Answer<>(null, "'" + workflowId + "' did not answer query " + queryType + ": "
          + e.getStatus().getCode() + " " + e.getStatus().getDescription());
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
}
