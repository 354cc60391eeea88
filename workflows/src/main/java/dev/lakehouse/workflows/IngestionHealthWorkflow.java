package dev.lakehouse.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * {@code ingestion-health}, a cron workflow (every minute): connector and tasks (restarts FAILED tasks),
 * Flink job (resubmits a FAILED or missing job) and checkpoint age, Kafka lag, slot lag, and the silent-loss
 * detectors ({@link dev.lakehouse.workflows.health.SilentLoss}).
 */
@WorkflowInterface
public interface IngestionHealthWorkflow {
  @WorkflowMethod
  HealthReport check(HealthInput input);

  /** The report of this check, or of the previous cron run while this one is in progress (null: none yet). */
  @QueryMethod
  HealthReport lastReport();
}
