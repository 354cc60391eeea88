package dev.lakehouse.workflows.apply;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * {@code lakehouse apply}, workflow ID {@code spec-apply}: observe every system, plan, and (unless a dry run or
 * refused) converge them in order: source, Debezium, Iceberg, Flink.
 */
@WorkflowInterface
public interface SpecApplyWorkflow {
  @WorkflowMethod
  ApplyReport apply(ApplyRequest request);
}
