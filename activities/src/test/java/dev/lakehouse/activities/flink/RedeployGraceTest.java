package dev.lakehouse.activities.flink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The health check's view of an ingest job stopped with a savepoint: while an apply redeploys, the old job is
 * FINISHED and its successor not submitted yet; resubmitting the old one then would run both statement sets.
 */
class RedeployGraceTest {
  private static final long NOW = 1_000_000_000L;

  private static JobManager.Job job(String state, long endTime) {
    return new JobManager.Job("j1", "lakehouse-ingest-abc", state, NOW - 600_000, endTime);
  }

  @Test
  void aJobStoppedWithASavepointJustNowIsBeingReplaced() {
    assertThat(FlinkActivitiesImpl.redeploying(job("FINISHED", NOW - 5_000), NOW)).isTrue();
    assertThat(FlinkActivitiesImpl.redeploying(job("FINISHED", NOW - FlinkActivitiesImpl.REDEPLOY_GRACE.toMillis() + 1),
        NOW)).isTrue();
  }

  @Test
  void laterOrOtherwiseEndedJobsAreResubmittedAsBefore() {
    assertThat(FlinkActivitiesImpl.redeploying(job("FINISHED", NOW - FlinkActivitiesImpl.REDEPLOY_GRACE.toMillis()),
        NOW)).as("no successor after the grace: resubmit").isFalse();
    assertThat(FlinkActivitiesImpl.redeploying(job("CANCELED", NOW - 5_000), NOW)).as("cancelled by hand").isFalse();
    assertThat(FlinkActivitiesImpl.redeploying(job("FAILED", NOW - 5_000), NOW)).isFalse();
    assertThat(FlinkActivitiesImpl.redeploying(job("FINISHED", -1), NOW)).as("no end time").isFalse();
  }
}
