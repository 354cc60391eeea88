package dev.lakehouse.workflows;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An Iceberg table procedure a maintenance run executes. {@link MaintenanceInput#operations()} carries their
 * {@link #label()}s ({@code optimize}), as the workflow inputs of the crons and the {@code temporal workflow} lines
 * of docs/cli.md always had them; the workflow converts with {@link #fromLabel}, so a misspelled operation in a
 * hand-written input fails that run with a message instead of failing to decode.
 */
public enum MaintenanceOperation {
  OPTIMIZE, EXPIRE_SNAPSHOTS, REMOVE_ORPHAN_FILES, DROP_EXTENDED_STATS,
  /**
   * Not a Trino procedure: through the Iceberg catalog, sets the table to delete its metadata files beyond the last
   * {@link #KEPT_METADATA_FILES} after each commit. Without it every commit leaves a {@code metadata.json} as large
   * as the table's snapshot list behind, which grows with the square of the commits until orphan files are removed.
   */
  METADATA_CLEANUP;

  /** Metadata files a table keeps besides its current one once {@link #METADATA_CLEANUP} ran on it. */
  public static final int KEPT_METADATA_FILES = 20;

  /** The name in workflow inputs and results, and of the Trino procedure: {@code expire_snapshots}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<MaintenanceOperation> fromLabel(String label) {
    return Arrays.stream(values()).filter(o -> o.label().equals(label)).findFirst();
  }

  /** The labels of {@code operations}, in order: the {@code operations} of a {@link MaintenanceInput}. */
  public static List<String> labels(MaintenanceOperation... operations) {
    return Arrays.stream(operations).map(MaintenanceOperation::label).toList();
  }
}
