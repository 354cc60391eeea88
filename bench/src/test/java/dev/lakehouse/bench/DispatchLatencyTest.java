package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskCompletedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskStartedEventAttributes;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DispatchLatencyTest {
  private static final long BASE = 1_790_000_000L;

  @Test
  void scheduledToStartedPerActivityAndOrchestrationTimePerRun() {
    // wf task 0-10 ms; two activities scheduled at 10 ms, started at 25 and 40 ms (parallel), done at 1000/1500;
    // the run completes at 1520 ms: executing [25,1500] = 1475 ms, so 45 ms of the 1520 are orchestration
    History h = History.newBuilder()
        .addEvents(ev(1, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 0))
        .addEvents(ev(2, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 0))
        .addEvents(ev(3, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, 4).toBuilder()
            .setWorkflowTaskStartedEventAttributes(WorkflowTaskStartedEventAttributes.newBuilder().setScheduledEventId(2)))
        .addEvents(ev(4, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 10))
        .addEvents(scheduled(5, "Model.Materialize", 10))
        .addEvents(scheduled(6, "Catalog.Snapshot", 10))
        .addEvents(started(7, 5, 25))
        .addEvents(completed(8, 5, 7, 1000))
        .addEvents(started(9, 6, 40))
        .addEvents(completed(10, 6, 9, 1500))
        .addEvents(ev(11, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 1520))
        .build();
    DispatchLatency d = new DispatchLatency();
    d.add(h, true);
    assertThat(d.activityMs().n()).isEqualTo(2);
    assertThat(d.activityMs().p50()).isCloseTo(15.0, within(1e-9));
    assertThat(d.activityMs().max()).isCloseTo(30.0, within(1e-9));
    assertThat(d.workflowTaskMs().p50()).isCloseTo(4.0, within(1e-9));
    assertThat(d.perMaterializationMs().p50()).isEqualTo(45.0);
    assertThat(d.materializationWallMs().p50()).isEqualTo(1520.0);
    assertThat(d.executionByActivityType().get("Model.Materialize").p50()).isEqualTo(975.0);
    assertThat(d.executionByActivityType().get("Catalog.Snapshot").p50()).isEqualTo(1460.0);
    assertThat(d.byActivityType()).containsOnlyKeys("Catalog.Snapshot", "Model.Materialize");
    assertThat(d.byActivityType().get("Catalog.Snapshot").p50()).isCloseTo(30.0, within(1e-9));
  }

  @Test
  void aRecordedReplayHistory() throws Exception {
    String json;
    try (InputStream in = getClass().getResourceAsStream("/materialize-all-models.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    History.Builder b = History.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(json, b); // the SDK's fromJson needs json-path on the classpath
    History h = b.build();
    long activities = h.getEventsList().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).count();
    DispatchLatency d = new DispatchLatency();
    d.add(h, true);
    assertThat(activities).isPositive();
    assertThat(d.activityMs().n()).isEqualTo((int) activities);
    // the first model: scheduled 12:23:52.823, started 52.835 (written later, carrying the start time)
    assertThat(d.activityMs().max()).isGreaterThanOrEqualTo(12.0);
    assertThat(d.activityMs().p50()).isBetween(0.0, 1000.0);
    assertThat(d.perMaterializationMs().n()).isEqualTo(1);
    assertThat(d.byActivityType()).containsKey("Model.Materialize");
  }

  @Test
  void notMaterializationsOrUnfinishedRunsAddNoRunFigure() {
    History open = History.newBuilder()
        .addEvents(ev(1, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 0))
        .addEvents(scheduled(2, "Catalog.Snapshot", 5))
        .addEvents(started(3, 2, 8))
        .build();
    DispatchLatency d = new DispatchLatency();
    d.add(open, true);
    d.add(open, false);
    assertThat(d.perMaterializationMs().n()).isZero();
    assertThat(d.activityMs().n()).isEqualTo(2);
    assertThat(d.histories()).isEqualTo(2);
  }

  @Test
  void retriesAndWaitsForARestartingWorkerAreNotDispatch() {
    History h = History.newBuilder()
        .addEvents(ev(1, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 0))
        .addEvents(scheduled(2, "Model.Materialize", 0))
        .addEvents(scheduled(3, "Model.Materialize", 0))
        .addEvents(scheduled(4, "Model.Materialize", 5000))
        .addEvents(started(5, 2, 10))
        .addEvents(completed(6, 2, 5, 100))
        .addEvents(started(7, 3, 4000).toBuilder().setActivityTaskStartedEventAttributes(
            ActivityTaskStartedEventAttributes.newBuilder().setScheduledEventId(3).setAttempt(3)).build())
        .addEvents(completed(8, 3, 7, 4100))
        .addEvents(started(9, 4, 9000)) // waited 5000 → 9000 while the worker restarted (6000-8000)
        .addEvents(completed(10, 4, 9, 9100))
        .addEvents(ev(11, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 9200))
        .build();
    long base = BASE * 1000;
    DispatchLatency d = new DispatchLatency(List.of(new long[] {base + 6000, base + 8000}));
    d.add(h, true);
    assertThat(d.activityMs().n()).isEqualTo(1);
    assertThat(d.activityMs().p50()).isCloseTo(10.0, within(1e-9));
    assertThat(d.retried()).isEqualTo(1);
    assertThat(d.excluded()).isEqualTo(1);
    assertThat(d.perMaterializationMs().n()).isZero(); // not a clean run
    assertThat(d.executionByActivityType().get("Model.Materialize").n()).isEqualTo(3);
  }

  @Test
  void unionCountsOverlapsOnce() {
    assertThat(DispatchLatency.union(List.of(new long[] {0, 10}, new long[] {5, 20}, new long[] {30, 40})))
        .isEqualTo(30);
    assertThat(DispatchLatency.union(List.of())).isZero();
  }

  private static HistoryEvent ev(long id, EventType type, long ms) {
    return HistoryEvent.newBuilder().setEventId(id).setEventType(type)
        .setEventTime(Timestamp.newBuilder().setSeconds(BASE + ms / 1000).setNanos((int) (ms % 1000) * 1_000_000))
        .build();
  }

  private static HistoryEvent scheduled(long id, String type, long ms) {
    return ev(id, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, ms).toBuilder()
        .setActivityTaskScheduledEventAttributes(ActivityTaskScheduledEventAttributes.newBuilder()
            .setActivityType(ActivityType.newBuilder().setName(type))).build();
  }

  private static HistoryEvent started(long id, long scheduledId, long ms) {
    return ev(id, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, ms).toBuilder()
        .setActivityTaskStartedEventAttributes(ActivityTaskStartedEventAttributes.newBuilder()
            .setScheduledEventId(scheduledId)).build();
  }

  private static HistoryEvent completed(long id, long scheduledId, long startedId, long ms) {
    return ev(id, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, ms).toBuilder()
        .setActivityTaskCompletedEventAttributes(ActivityTaskCompletedEventAttributes.newBuilder()
            .setScheduledEventId(scheduledId).setStartedEventId(startedId)).build();
  }
}
