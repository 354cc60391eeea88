package dev.lakehouse.reliability;

import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.MaterializerWorkflow;
import io.temporal.client.WorkflowClient;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the reliability ITs ask Temporal: is a model activity running now, does the automation exist. */
final class Workflows {
  private Workflows() {}

  /** A model activity that runs now: "child-id activity-type", and the identity of the worker that runs it. */
  record RunningActivity(String description, String workerIdentity) {
    /** The pid the worker's identity starts with ({@code <pid>@<host> spec <version>}), or -1. */
    long workerPid() {
      int at = workerIdentity.indexOf('@');
      try {
        return at > 0 ? Long.parseLong(workerIdentity.substring(0, at)) : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }

  /**
   * A STARTED activity of the coordinator's running child that started after {@code afterMillis} (so it reads the
   * scenario's changes), as "child-id activity-type".
   */
  static Optional<String> runningModelActivity(WorkflowServiceStubs stubs, long afterMillis) {
    return runningModelActivityAndWorker(stubs, afterMillis).map(RunningActivity::description);
  }

  /** As {@link #runningModelActivity}, with the identity of the worker that runs it. */
  static Optional<RunningActivity> runningModelActivityAndWorker(WorkflowServiceStubs stubs, long afterMillis) {
    DescribeWorkflowExecutionResponse coordinator = describe(stubs, Lakehouse.MATERIALIZER_ID);
    for (var c : coordinator.getPendingChildrenList()) {
      DescribeWorkflowExecutionResponse d = describe(stubs, c.getWorkflowId());
      if (d.getWorkflowExecutionInfo().getStartTime().getSeconds() * 1000 < afterMillis) {
        continue;
      }
      for (PendingActivityInfo a : d.getPendingActivitiesList()) {
        if (a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) {
          return Optional.of(new RunningActivity(c.getWorkflowId() + " " + a.getActivityType().getName(),
              a.getLastWorkerIdentity()));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Activities of the coordinator's runs in flight (their child workflows' too) on an attempt after a failed one:
   * "workflow-id activity-type attempt n after: last failure".
   */
  static List<String> retriedActivities(WorkflowServiceStubs stubs) {
    List<String> out = new ArrayList<>();
    retriedActivities(stubs, describe(stubs, Lakehouse.MATERIALIZER_ID), out, 0);
    return out;
  }

  private static void retriedActivities(WorkflowServiceStubs stubs, DescribeWorkflowExecutionResponse workflow,
      List<String> out, int depth) {
    for (PendingActivityInfo a : workflow.getPendingActivitiesList()) {
      if (a.getAttempt() > 1) {
        out.add(workflow.getWorkflowExecutionInfo().getExecution().getWorkflowId() + " "
            + a.getActivityType().getName() + " attempt " + a.getAttempt() + " after: " + a.getLastFailure().getMessage());
      }
    }
    if (depth < 2) {
      for (var c : workflow.getPendingChildrenList()) {
        retriedActivities(stubs, describe(stubs, c.getWorkflowId()), out, depth + 1);
      }
    }
  }

  /** True if the coordinator exists and runs (false when the server does not know it: its state was lost). */
  static boolean coordinatorRunning(WorkflowServiceStubs stubs) {
    try {
      return describe(stubs, Lakehouse.MATERIALIZER_ID).getWorkflowExecutionInfo().getStatus()
          == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** The coordinator's own account of its state (query {@code status}, answered by the worker). */
  static MaterializerStatus coordinatorStatus(WorkflowServiceStubs stubs) {
    return WorkflowClient.newInstance(stubs).newWorkflowStub(MaterializerWorkflow.class, Lakehouse.MATERIALIZER_ID)
        .status();
  }

  static DescribeWorkflowExecutionResponse describe(WorkflowServiceStubs stubs, String workflowId) {
    return stubs.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace("default").setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
  }
}
