package dev.lakehouse.workflows.activities;

import dev.lakehouse.spec.CheckSeverity;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The results of one check run of one asset, in the order of its checks (built-in first). {@code checkedAt}: when
 * the checks ran (ISO-8601 instant), recorded as {@code checked_at}; null in reports of runs that recorded their
 * results in the check activity itself (histories from before the run recorded them at its end).
 */
public record AssetCheckReport(String assetKey, List<AssetCheckResult> results, String checkedAt) {
  public AssetCheckReport {
    results = results == null ? List.of() : List.copyOf(results);
  }

  public AssetCheckReport(String assetKey, List<AssetCheckResult> results) {
    this(assetKey, results, null);
  }

  /** Failed checks of severity {@code error}: any of them fails the asset's run. */
  public List<AssetCheckResult> failedErrors() {
    return results.stream().filter(r -> !r.passed() && r.severity() == CheckSeverity.ERROR).toList();
  }

  public List<AssetCheckResult> failed() {
    return results.stream().filter(r -> !r.passed()).toList();
  }

  /** {@code 2 checks, 1 failing: relationships h_users_hk → h_users: 3 rows (e.g. ...)}. */
  public String summary() {
    List<AssetCheckResult> failed = failed();
    String head = results.size() + (results.size() == 1 ? " check" : " checks");
    if (failed.isEmpty()) {
      return head + ", all passed";
    }
    return head + ", " + failed.size() + " failing: " + failed.stream()
        .map(r -> r.describe() + (r.severity() == CheckSeverity.WARN ? " [warn]" : ""))
        .collect(Collectors.joining("; "));
  }
}
