package dev.lakehouse.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * The materialization coordinator ({@code materializer}): the single writer to parsed and vault tables.
 * Reached by signalWithStart; queues and coalesces requests; runs {@link MaterializeWorkflow}
 * children, several in flight with one writer per table.
 */
@WorkflowInterface
public interface MaterializerWorkflow {
  @WorkflowMethod
  void run(MaterializerInput input);

  @SignalMethod
  void request(MaterializeRequest request);

  @SignalMethod
  void backfill(BackfillRequest request);

  /** From a run in flight: one of its models is done, failed or skipped there (docs/architecture.md#overlapping-runs). */
  @SignalMethod
  void assetFinished(AssetFinished finished);

  @SignalMethod
  void pause();

  @SignalMethod
  void resume();

  @QueryMethod
  MaterializerStatus status();

  @QueryMethod
  List<PendingRun> queue();
}
