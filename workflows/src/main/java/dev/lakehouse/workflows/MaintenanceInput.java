package dev.lakehouse.workflows;

import java.util.List;

/**
 * A maintenance run over a table group ({@code vault}, {@code raw_parsed}, {@code all}); operations among
 * {@code optimize}, {@code expire_snapshots}, {@code remove_orphan_files}, {@code drop_extended_stats}; the file
 * size threshold as a data size ({@code 256MB}), retentions as ISO-8601 durations ({@code PT168H}). A retention
 * written as {@code 7d} is read too: inputs of crons started before retentions were ISO-8601 carry that form.
 */
public record MaintenanceInput(String group, List<String> operations, String optimizeFileSizeThreshold,
    String expireSnapshotsRetention, String removeOrphanFilesRetention) {
  public static final String OPTIMIZE = "optimize";
  public static final String EXPIRE_SNAPSHOTS = "expire_snapshots";
  public static final String REMOVE_ORPHAN_FILES = "remove_orphan_files";
  public static final String DROP_EXTENDED_STATS = "drop_extended_stats";

  public MaintenanceInput {
    operations = List.copyOf(operations);
  }
}
