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
  OPTIMIZE, EXPIRE_SNAPSHOTS, REMOVE_ORPHAN_FILES, DROP_EXTENDED_STATS;

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
