package dev.lakehouse.workflows.activities;

import java.util.List;

/** Kafka Connect status of a connector ({@code state}: RUNNING, PAUSED, FAILED, UNASSIGNED, MISSING). */
public record ConnectorStatus(String name, String state, List<TaskState> tasks) {
  public record TaskState(int id, String state, String trace) {}
}
