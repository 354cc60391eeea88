package dev.lakehouse.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Cron maintenance over a table group; one table's failure does not stop the others, and the run then fails
 * ({@code LakehouseMaintenanceFailed}) naming every failed table and operation.
 */
@WorkflowInterface
public interface MaintenanceWorkflow {
  @WorkflowMethod
  MaintenanceReport run(MaintenanceInput input);
}
