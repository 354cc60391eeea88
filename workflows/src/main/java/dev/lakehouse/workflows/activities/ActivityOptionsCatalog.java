package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Every activity's timeouts and retry policy, in one place. */
public final class ActivityOptionsCatalog {
  private ActivityOptionsCatalog() {}

  private static RetryOptions retry(Duration initial, Duration max, int attempts) {
    return RetryOptions.newBuilder()
        .setInitialInterval(initial)
        .setBackoffCoefficient(2.0)
        .setMaximumInterval(max)
        .setMaximumAttempts(attempts)
        .setDoNotRetry(FailureTypes.NON_RETRYABLE.toArray(String[]::new))
        .build();
  }

  /** Short reads and idempotent DDL: catalog, Kafka lag, slot lag, connector/job status. */
  public static ActivityOptions quick() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofSeconds(30), 5))
        .build();
  }

  /** Waiting for a service to reach a state (connector RUNNING, Flink job submitted): heartbeats. */
  public static ActivityOptions awaiting() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(retry(Duration.ofSeconds(2), Duration.ofMinutes(1), 10))
        .build();
  }

  /** Waiting for an incremental snapshot of a table to end: as long as a large table takes, heartbeats. */
  public static ActivityOptions snapshots() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofHours(1))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(retry(Duration.ofSeconds(2), Duration.ofMinutes(1), 8))
        .build();
  }

  /** One model materialization: long, heartbeats, retried with backoff. */
  public static ActivityOptions models() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofHours(2))
        .setHeartbeatTimeout(Duration.ofMinutes(2))
        .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofMinutes(5), 10))
        .build();
  }

  /** The checks of one asset: a few queries, heartbeats; retried when a service is unreachable. */
  public static ActivityOptions checks() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(30))
        .setHeartbeatTimeout(Duration.ofMinutes(2))
        .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofMinutes(1), 5))
        .build();
  }

  /**
   * The one write of a run's check results: a single insert, retried for about five minutes (the results exist
   * only in the run's history until it commits; the write is idempotent, so a retry never duplicates a row).
   */
  public static ActivityOptions checkRecords() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofMinutes(1), 10))
        .build();
  }

  /** The {@code ops.materializations} row a model run left to write apart: one insert, idempotent, like the above. */
  public static ActivityOptions modelRecords() {
    return checkRecords();
  }

  /** Iceberg maintenance through Trino: long, heartbeats, few attempts (the next cron run retries too). */
  public static ActivityOptions maintenance() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofHours(2))
        .setHeartbeatTimeout(Duration.ofMinutes(5))
        .setRetryOptions(retry(Duration.ofSeconds(30), Duration.ofMinutes(10), 3))
        .build();
  }

  /**
   * One alert to a webhook: its own options so a dead sink never holds anything else (the incidents workflow calls
   * it without waiting); retried for about ten minutes, then given up (the incident stays in the workflow's state).
   */
  public static ActivityOptions alerts() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(20))
        .setRetryOptions(retry(Duration.ofSeconds(5), Duration.ofMinutes(2), 8))
        .build();
  }
}
