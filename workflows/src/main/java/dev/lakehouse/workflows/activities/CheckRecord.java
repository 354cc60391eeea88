package dev.lakehouse.workflows.activities;

import java.util.List;

/**
 * The check reports of one run to record in {@code ops.asset_checks}, in one write: {@code runId} the workflow
 * that ran them, {@code wholeTable} whether they read whole tables (a full refresh, {@code lakehouse checks --full}).
 * Reports without results (nothing to check) are left out of the write.
 */
public record CheckRecord(String runId, boolean wholeTable, List<AssetCheckReport> reports) {
  public CheckRecord {
    reports = List.copyOf(reports);
  }

  /** Whether there is any result to write (else no activity is needed). */
  public boolean nothingToWrite() {
    return reports.stream().allMatch(r -> r.results().isEmpty());
  }
}
