package dev.lakehouse.workflows;

import dev.lakehouse.workflows.activities.ConnectorStatus;
import dev.lakehouse.workflows.activities.ConsumerLag;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import dev.lakehouse.workflows.activities.SlotLag;
import java.util.List;

/** One health check (workflow time of the check; null parts could not be read, see {@code problems}). */
public record HealthReport(long checkedAtMillis, ConnectorStatus connector, int restartedTasks,
    FlinkJobStatus flinkJob, boolean flinkResubmitted, ConsumerLag kafkaLag, SlotLag slotLag,
    List<String> problems, boolean healthy) {
  public HealthReport {
    problems = List.copyOf(problems);
  }
}
