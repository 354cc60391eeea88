package dev.lakehouse.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * What a model's own schedule ({@code config(cron=...)}) starts at each tick: a request to the coordinator for the
 * model and what materializes eagerly below it ({@code eager:<model>}), so a scheduled model still has one writer.
 * Fails, and shows so in the schedule's recent actions, when the coordinator is not running.
 */
@WorkflowInterface
public interface ScheduledRunWorkflow {
  @WorkflowMethod
  void run(MaterializeRequest request);
}
