package dev.lakehouse.workflows;

import java.util.List;

/**
 * A maintenance run over a table group ({@code vault}, {@code raw_parsed}, {@code raw}, {@code appends}, {@code all}); operations are
 * {@link MaintenanceOperation} labels ({@code optimize}, {@code expire_snapshots}, ...); the file
 * size threshold as a data size ({@code 256MB}), retentions as ISO-8601 durations ({@code PT168H}). A retention
 * written as {@code 7d} is read too: inputs of crons started before retentions were ISO-8601 carry that form.
 */
public record MaintenanceInput(String group, List<String> operations, String optimizeFileSizeThreshold,
    String expireSnapshotsRetention, String removeOrphanFilesRetention) {
  public MaintenanceInput {
    operations = List.copyOf(operations);
  }
}
