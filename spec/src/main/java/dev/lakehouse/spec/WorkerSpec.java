package dev.lakehouse.spec;

import java.time.Duration;

/**
 * The worker process ({@code lakehouse.worker}): whether it creates the automation at boot, how long it waits
 * for Temporal when it starts, how long it lets running tasks finish when it stops, and the most input rows one
 * MERGE of a generated model reads ({@code modelBatchMaxRows}: a larger backlog runs as consecutive batches).
 */
public record WorkerSpec(boolean automation, Duration connectTimeout, Duration shutdownTimeout,
    long modelBatchMaxRows) {
  /** What a spec without {@code model-batch-max-rows} gets. */
  public static final long DEFAULT_MODEL_BATCH_MAX_ROWS = 500_000;

  public WorkerSpec(boolean automation, Duration connectTimeout, Duration shutdownTimeout) {
    this(automation, connectTimeout, shutdownTimeout, DEFAULT_MODEL_BATCH_MAX_ROWS);
  }
}
