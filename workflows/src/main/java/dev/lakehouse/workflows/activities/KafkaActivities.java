package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Kafka AdminClient: consumer lag of the ingest job; the CDC topics watched for silent loss. */
@ActivityInterface(namePrefix = "Kafka.")
public interface KafkaActivities {
  @ActivityMethod
  ConsumerLag consumerLag();

  /**
   * Every partition of the spec's CDC topics: ids, earliest and end offsets, the ingest job's committed offset, and
   * the ops of the records added since {@code previous} (the last check's watch; empty: none), read up to a bounded
   * number per check. What {@code dev.lakehouse.workflows.health.SilentLoss} judges.
   */
  @ActivityMethod
  List<PartitionWatch> watchTopics(List<PartitionWatch> previous);
}
