package dev.lakehouse.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Checks on demand ({@code lakehouse checks}): the checks of each given model, in parallel, over the batch of its
 * latest materialization or, with {@code wholeTable}, over whole tables. Results go to {@code ops.asset_checks}
 * like those of a run: in one write once every model is checked. Workflow ID {@code checks-<uuid>}.
 */
@WorkflowInterface
public interface AssetChecksWorkflow {
  @WorkflowMethod
  AssetChecksOutcome run(AssetChecksInput input);
}
