package dev.lakehouse.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** The Iceberg REST catalog: namespaces, raw tables, snapshots. */
@ActivityInterface(namePrefix = "Catalog.")
public interface CatalogActivities {
  /** Creates {@code raw_data}, {@code parsed_data}, {@code data_vault}, {@code ops} if missing; returns them. */
  @ActivityMethod
  List<String> ensureNamespaces();

  /** Creates every raw table of the spec if missing (idempotent); returns their keys. */
  @ActivityMethod
  List<String> ensureRawTables();

  /**
   * Sets {@code write.metadata.delete-after-commit.enabled} and {@code write.metadata.previous-versions-max} on
   * {@code tableKey} unless already set (one catalog commit the first time, none after); a table that does not exist
   * yet is skipped.
   */
  @ActivityMethod
  MaintenanceResult cleanUpMetadata(String tableKey);

  /** The current snapshot of {@code tableKey} ({@code raw_data.users}). */
  @ActivityMethod
  SnapshotInfo currentSnapshot(String tableKey);
}
