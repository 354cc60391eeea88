package dev.lakehouse.worker;

import dev.lakehouse.spec.PipelineSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the worker process itself (not of the pipeline): where Temporal is, which namespace and
 * task queue, whether to create the automation at boot, and how long to wait on connect and shutdown. All of
 * it comes from the spec ({@code lakehouse.endpoints.temporal} and {@code lakehouse.worker}), whose
 * substitutions are where the environment ({@code LAKEHOUSE_TEMPORAL_HOST}, {@code LAKEHOUSE_AUTOMATION}, ...)
 * comes in.
 */
public record WorkerConfig(String temporalTarget, String namespace, String taskQueue, boolean automation,
    Duration connectTimeout, Duration shutdownTimeout) {

  public WorkerConfig {
    List<String> problems = new ArrayList<>();
    if (temporalTarget == null || !temporalTarget.matches("[^:\\s]+:\\d{1,5}")) {
      problems.add("Temporal address '" + temporalTarget + "' is not host:port");
    }
    if (namespace == null || namespace.isBlank()) {
      problems.add("Temporal namespace is empty");
    }
    if (taskQueue == null || taskQueue.isBlank()) {
      problems.add("task queue is empty");
    }
    if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
      problems.add("connect timeout must be positive");
    }
    if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
      problems.add("shutdown timeout must not be negative");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid worker configuration: " + String.join("; ", problems));
    }
  }

  public static WorkerConfig from(PipelineSpec spec) {
    var temporal = spec.endpoints().temporal();
    var worker = spec.worker();
    return new WorkerConfig(temporal.target(), temporal.namespace(), temporal.taskQueue(), worker.automation(),
        worker.connectTimeout(), worker.shutdownTimeout());
  }

  /** The same settings with the automation switched on or off (tests that want it whatever the spec says). */
  public WorkerConfig withAutomation(boolean on) {
    return new WorkerConfig(temporalTarget, namespace, taskQueue, on, connectTimeout, shutdownTimeout);
  }
}
