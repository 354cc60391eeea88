package dev.lakehouse.workflows.impl;

import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test-side history recorder: with {@code -Dlakehouse.recordHistories=true} the workflow tests write the
 * histories they produce to {@code src/test/resources/histories/}, which {@link ReplayTest} replays.
 */
final class Histories {
  static final String DIR_PROPERTY = "lakehouse.historiesDir";

  private Histories() {}

  static boolean recording() {
    return Boolean.getBoolean("lakehouse.recordHistories");
  }

  static Path dir() {
    return Path.of(System.getProperty(DIR_PROPERTY, "src/test/resources/histories"));
  }

  static void recordIfRequested(WorkflowClient client, String workflowId, String name) {
    recordIfRequested(client, workflowId, null, name);
  }

  /** One run of a workflow (e.g. the first run of a cron workflow); null runId: the current run. */
  static void recordIfRequested(WorkflowClient client, String workflowId, String runId, String name) {
    if (!recording()) {
      return;
    }
    try {
      Files.createDirectories(dir());
      Files.writeString(dir().resolve(name + ".json"), (runId == null ? client.fetchHistory(workflowId) : client.fetchHistory(workflowId, runId)).toJson(true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
