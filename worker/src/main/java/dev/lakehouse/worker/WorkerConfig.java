package dev.lakehouse.worker;

import dev.lakehouse.spec.PipelineSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the worker process itself (not of the pipeline): where Temporal is, which namespace and
 * task queue, whether to create the automation at boot, and how long to wait on connect and shutdown.
 * Defaults come from the spec; the environment may override the Temporal host (the Docker stack sets
 * {@code LAKEHOUSE_TEMPORAL_HOST=temporal}) and switch the automation on ({@code LAKEHOUSE_AUTOMATION=on}).
 */
public record WorkerConfig(String temporalTarget, String namespace, String taskQueue, boolean automation,
    Duration connectTimeout, Duration shutdownTimeout) {

  public static final String TEMPORAL_HOST_ENV = "LAKEHOUSE_TEMPORAL_HOST";
  public static final String TEMPORAL_PORT_ENV = "LAKEHOUSE_TEMPORAL_PORT";
  public static final String AUTOMATION_ENV = "LAKEHOUSE_AUTOMATION";
  public static final String CONNECT_TIMEOUT_ENV = "LAKEHOUSE_WORKER_CONNECT_TIMEOUT_SECONDS";
  public static final String SHUTDOWN_TIMEOUT_ENV = "LAKEHOUSE_WORKER_SHUTDOWN_TIMEOUT_SECONDS";

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
      problems.add("connect timeout must be positive (" + CONNECT_TIMEOUT_ENV + ")");
    }
    if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
      problems.add("shutdown timeout must not be negative (" + SHUTDOWN_TIMEOUT_ENV + ")");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid worker configuration: " + String.join("; ", problems));
    }
  }

  /** From the spec, with the overrides {@code env} holds (normally {@code System.getenv()}). */
  public static WorkerConfig from(PipelineSpec spec, Map<String, String> env) {
    var temporal = spec.endpoints().temporal();
    String host = nonBlank(env.get(TEMPORAL_HOST_ENV), temporal.host());
    // the spec reads LAKEHOUSE_TEMPORAL_PORT from the process environment; honour it in env as well
    String port = nonBlank(env.get(TEMPORAL_PORT_ENV), String.valueOf(temporal.port()));
    return new WorkerConfig(host + ":" + port, temporal.namespace(), temporal.taskQueue(),
        flag(env.get(AUTOMATION_ENV)), seconds(env, CONNECT_TIMEOUT_ENV, 30), seconds(env, SHUTDOWN_TIMEOUT_ENV, 30));
  }

  private static String nonBlank(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static boolean flag(String value) {
    if (value == null || value.isBlank()) {
      return false;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException(AUTOMATION_ENV + "='" + value + "': use on or off");
    };
  }

  private static Duration seconds(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return Duration.ofSeconds(fallback);
    }
    try {
      return Duration.ofSeconds(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "='" + value + "' is not a number of seconds");
    }
  }
}
