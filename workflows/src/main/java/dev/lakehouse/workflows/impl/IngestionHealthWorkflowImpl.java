package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.HealthInput;
import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.IngestionHealthWorkflow;
import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.ConnectActivities;
import dev.lakehouse.workflows.activities.ConnectorStatus;
import dev.lakehouse.workflows.activities.ConsumerLag;
import dev.lakehouse.workflows.activities.FlinkActivities;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import dev.lakehouse.workflows.activities.KafkaActivities;
import dev.lakehouse.workflows.activities.SlotLag;
import dev.lakehouse.workflows.activities.SourceActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One health check per cron run; an unreadable part is a problem in the report, not a failed run. */
public class IngestionHealthWorkflowImpl implements IngestionHealthWorkflow {
  private static final Set<String> FLINK_NEEDS_RESUBMIT = Set.of("FAILED", "CANCELED", "FINISHED", "MISSING");

  private final ConnectActivities connect =
      Workflow.newActivityStub(ConnectActivities.class, ActivityOptionsCatalog.quick());
  private final FlinkActivities flink = Workflow.newActivityStub(FlinkActivities.class, ActivityOptionsCatalog.quick());
  private final FlinkActivities flinkSubmit =
      Workflow.newActivityStub(FlinkActivities.class, ActivityOptionsCatalog.awaiting());
  private final KafkaActivities kafka = Workflow.newActivityStub(KafkaActivities.class, ActivityOptionsCatalog.quick());
  private final SourceActivities source =
      Workflow.newActivityStub(SourceActivities.class, ActivityOptionsCatalog.quick());

  private HealthReport last;

  @Override
  public HealthReport check(HealthInput input) {
    last = Workflow.getLastCompletionResult(HealthReport.class);
    List<String> problems = new ArrayList<>();

    ConnectorStatus connector = read("connector status", connect::status, problems);
    int restarted = 0;
    if (connector != null) {
      if (!"RUNNING".equals(connector.state())) {
        problems.add("connector " + connector.name() + " is " + connector.state());
      }
      boolean failedTasks = connector.tasks() != null
          && connector.tasks().stream().anyMatch(t -> "FAILED".equals(t.state()));
      if (failedTasks) {
        Integer n = read("restart failed tasks", connect::restartFailedTasks, problems);
        restarted = n == null ? 0 : n;
        problems.add("connector had FAILED tasks, restarted " + restarted);
      }
    }

    FlinkJobStatus job = read("flink job status", flink::jobStatus, problems);
    boolean resubmitted = false;
    if (job == null || FLINK_NEEDS_RESUBMIT.contains(job.state())) {
      problems.add("flink ingest job is " + (job == null ? "unknown" : job.state()) + ", resubmitting");
      FlinkJobStatus again = read("flink resubmit", flinkSubmit::ensureIngestJob, problems);
      resubmitted = again != null;
      job = again != null ? again : job;
    } else if (job.lastCheckpointAgeMillis() != null && job.lastCheckpointAgeMillis() > input.maxCheckpointAgeMillis()) {
      problems.add("last flink checkpoint is " + job.lastCheckpointAgeMillis() / 1000 + " s old");
    }

    ConsumerLag lag = read("kafka lag", kafka::consumerLag, problems);
    SlotLag slot = read("slot lag", source::slotLag, problems);
    if (slot != null && !slot.active()) {
      problems.add("replication slot " + slot.slot() + " is not active");
    }
    last = new HealthReport(Workflow.currentTimeMillis(), connector, restarted, job, resubmitted, lag, slot,
        problems, problems.isEmpty());
    return last;
  }

  private static <T> T read(String what, Functions.Func<T> call, List<String> problems) {
    try {
      return call.apply();
    } catch (ActivityFailure e) {
      problems.add(what + ": " + RootCause.message(e));
      return null;
    }
  }

  @Override
  public HealthReport lastReport() {
    return last;
  }
}
