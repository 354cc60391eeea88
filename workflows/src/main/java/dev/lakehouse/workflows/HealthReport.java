package dev.lakehouse.workflows;

import dev.lakehouse.workflows.activities.ConnectorStatus;
import dev.lakehouse.workflows.activities.ConsumerLag;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import dev.lakehouse.workflows.activities.PartitionWatch;
import dev.lakehouse.workflows.activities.SlotLag;
import java.util.List;

/**
 * One health check (workflow time of the check; null parts could not be read, see {@code problems}); {@code freshness}
 * each model against its policy (null: a report from before freshness policies, or none given); {@code topics} what
 * the silent-loss detectors saw of each CDC partition, the cursor of the next check (null: a report from before them).
 */
public record HealthReport(long checkedAtMillis, ConnectorStatus connector, int restartedTasks,
    FlinkJobStatus flinkJob, boolean flinkResubmitted, ConsumerLag kafkaLag, SlotLag slotLag,
    List<String> problems, boolean healthy, List<FreshnessVerdict> freshness, List<PartitionWatch> topics) {
  public HealthReport {
    problems = List.copyOf(problems);
    freshness = freshness == null ? null : List.copyOf(freshness);
    topics = topics == null ? null : List.copyOf(topics);
  }

  /** A report without the silent-loss watch. */
  public HealthReport(long checkedAtMillis, ConnectorStatus connector, int restartedTasks, FlinkJobStatus flinkJob,
      boolean flinkResubmitted, ConsumerLag kafkaLag, SlotLag slotLag, List<String> problems, boolean healthy,
      List<FreshnessVerdict> freshness) {
    this(checkedAtMillis, connector, restartedTasks, flinkJob, flinkResubmitted, kafkaLag, slotLag, problems, healthy,
        freshness, null);
  }

  /** A report without freshness verdicts. */
  public HealthReport(long checkedAtMillis, ConnectorStatus connector, int restartedTasks, FlinkJobStatus flinkJob,
      boolean flinkResubmitted, ConsumerLag kafkaLag, SlotLag slotLag, List<String> problems, boolean healthy) {
    this(checkedAtMillis, connector, restartedTasks, flinkJob, flinkResubmitted, kafkaLag, slotLag, problems, healthy,
        null, null);
  }
}
