package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Kafka AdminClient: consumer lag of the ingest job. */
@ActivityInterface(namePrefix = "Kafka.")
public interface KafkaActivities {
  @ActivityMethod
  ConsumerLag consumerLag();
}
