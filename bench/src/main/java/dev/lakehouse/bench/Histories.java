package dev.lakehouse.bench;

import com.google.protobuf.ByteString;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import java.util.List;

/** Reads the histories of the workflow runs on the server (visibility list, then one fetch each). */
final class Histories {
  static final String MATERIALIZE_TYPE = "MaterializeWorkflow";

  private Histories() {}

  /** Dispatch latencies over at most {@code max} runs, newest first; MaterializeWorkflow runs also per run. */
  static Report.Dispatch dispatch(WorkflowClient client, String namespace, int max, List<long[]> workerDown) {
    DispatchLatency d = new DispatchLatency(workerDown);
    ByteString token = ByteString.EMPTY;
    int seen = 0;
    do {
      ListWorkflowExecutionsResponse page = client.getWorkflowServiceStubs().blockingStub().listWorkflowExecutions(
          ListWorkflowExecutionsRequest.newBuilder().setNamespace(namespace).setPageSize(200)
              .setNextPageToken(token).build());
      for (WorkflowExecutionInfo info : page.getExecutionsList()) {
        if (seen++ >= max) {
          return d.report();
        }
        var history = client.fetchHistory(info.getExecution().getWorkflowId(), info.getExecution().getRunId())
            .getHistory();
        d.add(history, MATERIALIZE_TYPE.equals(info.getType().getName()));
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return d.report();
  }
}
