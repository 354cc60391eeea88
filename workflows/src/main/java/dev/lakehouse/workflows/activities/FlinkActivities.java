package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Flink SQL Gateway and JobManager REST: the ingest job (Kafka to Iceberg raw tables). */
@ActivityInterface(namePrefix = "Flink.")
public interface FlinkActivities {
  /** Submits the ingest job unless a RUNNING job with the same {@code pipeline.name} exists. */
  @ActivityMethod
  FlinkJobStatus ensureIngestJob();

  @ActivityMethod
  FlinkJobStatus jobStatus();
}
