package dev.lakehouse.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * {@code ingestion-setup}: namespaces and raw tables, the Debezium connector (upsert, wait RUNNING), the
 * Flink ingest job (unless already RUNNING). Every step idempotent, each its own activity.
 */
@WorkflowInterface
public interface IngestionSetupWorkflow {
  @WorkflowMethod
  SetupReport run();
}
