package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Kafka Connect REST: the Debezium connector. */
@ActivityInterface(namePrefix = "Connect.")
public interface ConnectActivities {
  /** {@code PUT /connectors/{name}/config} from the spec (idempotent). */
  @ActivityMethod
  ConnectorStatus upsertConnector();

  /** Heartbeats until the connector and all its tasks are RUNNING; fails (retryable) otherwise. */
  @ActivityMethod
  ConnectorStatus awaitRunning();

  /** Restarts FAILED tasks; returns how many were restarted. */
  @ActivityMethod
  int restartFailedTasks();

  @ActivityMethod
  ConnectorStatus status();
}
