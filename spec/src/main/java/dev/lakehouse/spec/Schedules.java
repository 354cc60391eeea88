package dev.lakehouse.spec;

import java.time.Duration;

/**
 * Intervals and crons (5-field, validated by {@link CronExpression}). The coordinator continues as new after
 * {@code materializerRunsPerExecution} runs, or after {@code materializerSignalsPerExecution} signals (what grows
 * its history while it is paused or idle); a failed run is run again as {@code materializerRetry} says. It keeps
 * up to {@code materializerRunsInFlight} runs in flight (one writer per table whatever the number).
 * {@code checksFullCron} is when every model's checks run over whole tables (the schedule {@code checks-full}, what
 * {@code lakehouse checks --full} runs); empty when the spec does not ask for it.
 */
public record Schedules(
    Duration sensorInterval,
    int sensorIterationsPerRun,
    int materializerRunsPerExecution,
    int materializerSignalsPerExecution,
    int materializerRunsInFlight,
    MaterializerRetry materializerRetry,
    Duration flinkCheckpointInterval,
    String healthCron,
    Maintenance maintenance,
    String checksFullCron) {

  /** What a spec without {@code materializer-runs-in-flight} gets. */
  public static final int DEFAULT_MATERIALIZER_RUNS_IN_FLIGHT = 2;
  /** {@link Maintenance#modelSnapshotRetention} of a spec without the key. */
  public static final Duration DEFAULT_MODEL_SNAPSHOT_RETENTION = Duration.ofHours(1);

  /** Whether the spec asks for the whole-table checks on a schedule ({@link #checksFullCron} not empty). */
  public boolean checksFullScheduled() {
    return !checksFullCron.isEmpty();
  }

  /** The most runs in flight a spec may ask for: each run in flight takes a share of Trino. */
  public static final int MAX_MATERIALIZER_RUNS_IN_FLIGHT = 4;

  /**
   * A failed coordinator run is run again up to {@code retries} times (0: never), the k-th time after
   * {@code initialBackoff * 2^(k-1)}, at most {@code maxBackoff}.
   */
  public record MaterializerRetry(int retries, Duration initialBackoff, Duration maxBackoff) {}

  /**
   * Maintenance per table group, plus the weekly drop of extended statistics over every table and the frequent
   * compaction of the raw tables ({@code compactRawCron}: an {@code optimize} of the files under the raw-parsed
   * threshold; the Flink sink writes one file per table and checkpoint with data, so a short checkpoint interval
   * needs it more often than daily), and at the same cadence the expiry of the snapshots of every table model runs
   * write, older than {@code modelSnapshotRetention} (a commit per run: the table's {@code metadata.json}, which
   * every query and commit reads or rewrites whole, lists them all).
   */
  public record Maintenance(MaintenanceSpec vault, MaintenanceSpec rawParsed, String dropExtendedStatsCron,
      String compactRawCron, Duration modelSnapshotRetention) {}

  /**
   * One table group's daily maintenance. {@code optimizeFileSizeThreshold} is a Trino data size
   * ({@code 256MB}) passed to {@code ALTER TABLE ... EXECUTE optimize(file_size_threshold => ...)}.
   */
  public record MaintenanceSpec(
      String cron,
      String optimizeFileSizeThreshold,
      Duration expireSnapshotsOlderThan,
      Duration removeOrphanFilesOlderThan) {}
}
