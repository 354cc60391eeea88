package dev.lakehouse.spec;

import java.time.Duration;

/**
 * The worker process ({@code lakehouse.worker}): whether it creates the automation at boot, how long it waits
 * for Temporal when it starts, how long it lets running tasks finish when it stops, and the most input rows one
 * MERGE of a generated model reads ({@code modelBatchMaxRows}: a larger backlog runs as consecutive batches), and
 * after how many commits a generated model's run compacts the tables it adds files to ({@code modelCompactEvery};
 * 0: never, the maintenance schedules alone).
 */
public record WorkerSpec(boolean automation, Duration connectTimeout, Duration shutdownTimeout,
    long modelBatchMaxRows, int modelCompactEvery) {
  /** What a spec without {@code model-batch-max-rows} gets. */
  public static final long DEFAULT_MODEL_BATCH_MAX_ROWS = 500_000;
  /** What a spec without {@code model-compact-every} gets. */
  public static final int DEFAULT_MODEL_COMPACT_EVERY = 10;

  public WorkerSpec(boolean automation, Duration connectTimeout, Duration shutdownTimeout) {
    this(automation, connectTimeout, shutdownTimeout, DEFAULT_MODEL_BATCH_MAX_ROWS, DEFAULT_MODEL_COMPACT_EVERY);
  }
}
