package dev.lakehouse.workflows.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.LakehouseWorkflows;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the recorded histories under {@code src/test/resources/histories/} against the current workflow
 * code: a non-deterministic change (new/reordered activity, timer or child) fails here. Re-record with
 * {@code ./mvnw -pl workflows test -Dlakehouse.recordHistories=true} when a change is intended
 * (docs/architecture.md#recorded-histories-and-replay).
 */
class ReplayTest {
  static final List<String> HISTORIES = List.of("materialize-all-models", "materializer-coalescing",
      "materializer-pause-resume", "sensor-raw_data.users", "ingestion-health",
      "materializer-continue-as-new-while-paused", "materializer-retry", "maintenance-failed-operation", "spec-apply",
      "materialize-checks-error-and-warn",
      // each generated model's record written by an activity of its own beside its checks
      "materialize-record-apart",
      // two runs in flight, one writer per table: the coordinator, and the second run awaiting its release
      "materializer-overlapping-runs", "materialize-awaiting-release",
      // a third run started while two runs in flight only wrote their check results
      "materializer-reported-run-frees-slot",
      // recorded by the code before the coordinator retried failed runs and maintenance failed on failed
      // operations: they take the paths that Workflow.getVersion keeps as they were
      "materializer-failed-run-before-retries", "maintenance-failed-operation-before-failing",
      // a run recorded before models had checks: Workflow.getVersion keeps it without them
      "materialize-all-models-before-checks",
      // recorded before runs carried search attributes and a memo
      "materializer-pause-resume-before-search-attributes",
      // recorded when each check activity wrote its own results (before a run wrote them all at its end)
      "materialize-all-models-checks-per-activity", "materialize-checks-error-and-warn-per-activity",
      // the silent-loss detectors with the topics' end offsets compared with the models' watermarks
      "ingestion-health-topic-watermarks",
      // an apply recorded before it awaited the new tables' snapshots: Workflow.getVersion keeps it without
      "spec-apply-before-await-snapshots",
      // a sensor requesting eager:<table> (sensor-raw_data.users was recorded when it requested <table>+)
      "sensor-eager-raw_data.users");

  static List<String> histories() {
    return HISTORIES;
  }

  @Test
  void everyRecordedHistoryIsCommitted() {
    for (String name : HISTORIES) {
      assertThat(ReplayTest.class.getResource("/histories/" + name + ".json")).as(name).isNotNull();
    }
  }

  @ParameterizedTest
  @MethodSource("histories")
  void replays(String name) throws Exception {
    String json;
    try (InputStream in = ReplayTest.class.getResourceAsStream("/histories/" + name + ".json")) {
      if (in == null) {
        throw new IOException("missing history " + name);
      }
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(json);
    assertThat(history.getEvents()).hasSizeGreaterThan(3);
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(WorkflowTestSupport.TASK_QUEUE);
      LakehouseWorkflows.register(worker, WorkflowTestSupport.GRAPH);
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    }
  }
}
