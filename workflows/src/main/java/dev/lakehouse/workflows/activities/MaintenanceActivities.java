package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Iceberg table maintenance through Trino ({@code ALTER TABLE ... EXECUTE ...}). */
@ActivityInterface(namePrefix = "Maintenance.")
public interface MaintenanceActivities {
  /** The tables of a group: {@code vault}, {@code raw_parsed}, {@code raw}, {@code appends} or {@code all} ({@code schema.table} keys). */
  @ActivityMethod
  List<String> tables(String group);

  /** {@code EXECUTE optimize(file_size_threshold => '<threshold>')}, threshold like {@code 128MB}. */
  @ActivityMethod
  MaintenanceResult optimize(String table, String fileSizeThreshold);

  /**
   * {@code EXECUTE expire_snapshots(retention_threshold => '<retention>')}, retention an ISO-8601 duration like
   * {@code PT168H} (or {@code 7d}); never a Flink sink's last commit to the table nor a newer snapshot, which its
   * restore needs: the retention is then longer.
   */
  @ActivityMethod
  MaintenanceResult expireSnapshots(String table, String retention);

  /** {@code EXECUTE remove_orphan_files(retention_threshold => '<retention>')}. */
  @ActivityMethod
  MaintenanceResult removeOrphanFiles(String table, String retention);

  /** {@code EXECUTE drop_extended_stats}. */
  @ActivityMethod
  MaintenanceResult dropExtendedStats(String table);
}
