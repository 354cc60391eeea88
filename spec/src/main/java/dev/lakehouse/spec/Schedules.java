package dev.lakehouse.spec;

import java.time.Duration;

/** Intervals and crons (5-field, validated by {@link CronExpression}). */
public record Schedules(
    Duration sensorInterval,
    int sensorIterationsPerRun,
    int materializerRunsPerExecution,
    Duration flinkCheckpointInterval,
    String healthCron,
    Maintenance maintenance) {

  /** Maintenance per table group, plus the weekly drop of extended statistics over every table. */
  public record Maintenance(MaintenanceSpec vault, MaintenanceSpec rawParsed, String dropExtendedStatsCron) {}

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
