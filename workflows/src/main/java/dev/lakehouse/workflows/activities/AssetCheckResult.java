package dev.lakehouse.workflows.activities;

import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSeverity;
import java.util.List;

/**
 * One check's outcome: passed, or how many rows failed with up to five failing keys ({@code sample}). A check
 * whose query could not run failed, and {@code message} says why.
 */
public record AssetCheckResult(String assetKey, String check, CheckKind kind, CheckSeverity severity, boolean passed,
    long failingRows, List<String> sample, String message) {
  public AssetCheckResult {
    sample = sample == null ? List.of() : List.copyOf(sample);
  }

  /** {@code relationships h_users_hk → h_users: 3 rows (e.g. 1f0c..., 77ab...)}, or why it could not run. */
  public String describe() {
    if (passed) {
      return check + ": passed";
    }
    if (message != null) {
      return check + ": " + message;
    }
    return check + ": " + failingRows + (failingRows == 1 ? " row" : " rows")
        + (sample.isEmpty() ? "" : " (e.g. " + String.join(", ", sample) + ")");
  }
}
