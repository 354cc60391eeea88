package dev.lakehouse.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Durable polling loop over one raw table ({@code sensor-raw_data.users}): sleeps, reads the current
 * snapshot, signals {@code request("eager:<table>")} to the coordinator when it changed.
 */
@WorkflowInterface
public interface SensorWorkflow {
  @WorkflowMethod
  void run(SensorInput input);

  /** The cursor: the current input with the last signalled snapshot. */
  @QueryMethod
  SensorInput cursor();

  /**
   * Poll every {@code intervalMillis} from the next sleep on (what {@code lakehouse automation start} sends when
   * the spec's {@code sensor-interval} changed); the cursor keeps it across continue-as-new.
   */
  @SignalMethod
  void setInterval(long intervalMillis);
}
