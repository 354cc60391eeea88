package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.ScheduledRunWorkflow;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;

/** Signals the coordinator once; a coordinator that is not running fails the run, not retried until the next tick. */
public class ScheduledRunWorkflowImpl implements ScheduledRunWorkflow {
  @Override
  public void run(MaterializeRequest request) {
    try {
      Workflow.newExternalWorkflowStub(MaterializerWorkflow.class, Lakehouse.MATERIALIZER_ID).request(request);
    } catch (SignalExternalWorkflowException | ApplicationFailure e) { // NOT_FOUND, as the server or the test server says it
      throw ApplicationFailure.newNonRetryableFailure("the coordinator '" + Lakehouse.MATERIALIZER_ID
          + "' is not running, so " + request.selection() + " was not requested; start it with"
          + " `lakehouse automation start`", "CoordinatorNotRunning");
    }
  }
}
