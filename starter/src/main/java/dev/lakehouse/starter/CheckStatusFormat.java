package dev.lakehouse.starter;

import dev.lakehouse.workflows.activities.AssetCheckReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** The checks section of {@code lakehouse status}: each model's latest check run from {@code ops.asset_checks}. */
final class CheckStatusFormat {
  private CheckStatusFormat() {}

  static void checks(PrintWriter out, List<String> models, Map<String, AssetCheckReport> latest) {
    out.println("checks (each model's latest check run, from ops.asset_checks):");
    int width = Math.max(5, models.stream().mapToInt(String::length).max().orElse(5));
    for (String model : models) {
      AssetCheckReport r = latest.get(model);
      out.printf("  %-" + width + "s  %s%n", model, r == null ? "no check run yet" : line(r));
    }
    long failing = latest.values().stream().filter(r -> !r.failedErrors().isEmpty()).count();
    out.println("  " + (failing == 0 ? "no model has a failing error check"
        : failing + " model" + (failing == 1 ? " has" : "s have") + " a failing error check (lakehouse checks"
        + " --select <model> runs them again once fixed)"));
  }

  /** {@code 2 checks, 1 failing: relationships h_users_hk → h_users: 3 rows (e.g. ...)}. */
  static String line(AssetCheckReport r) {
    return r.summary();
  }
}
