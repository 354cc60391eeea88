package dev.lakehouse.workflows;

import dev.lakehouse.workflows.activities.AssetCheckReport;
import java.util.List;
import java.util.Map;

/** One report per checked model, in input order; {@code errors}: models whose checks could not run, and why. */
public record AssetChecksOutcome(List<AssetCheckReport> reports, Map<String, String> errors) {
  public AssetChecksOutcome {
    reports = List.copyOf(reports);
    errors = Map.copyOf(errors);
  }
}
