package dev.lakehouse.starter;

import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.MaterializePlan;

/** Checks a selection against the graph before anything is signalled, so a typo fails here, not in a run. */
final class Selections {
  private Selections() {}

  static MaterializePlan plan(AssetGraph graph, String selection) {
    MaterializePlan plan;
    try {
      plan = graph.plan(selection);
    } catch (IllegalArgumentException e) {
      throw new CliException("lakehouse: " + e.getMessage());
    }
    if (plan.steps().isEmpty()) {
      throw new CliException("lakehouse: selection '" + selection + "' contains no model (connector, topics, the"
          + " Flink job and raw tables are kept current by ingestion); try '" + selection + "+'");
    }
    return plan;
  }

  static String describe(MaterializePlan plan) {
    return plan.steps().size() + " model(s): " + String.join(", ", plan.assetKeys());
  }
}
