package dev.lakehouse.console;

import dev.lakehouse.starter.AssetStatus;
import dev.lakehouse.workflows.AssetFailure;
import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.assets.Asset;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One asset as the console shows it: its state (the colour of its node) and the columns of {@code lakehouse
 * status}. A model's state comes from Trino (freshness) and the coordinator (failures); the assets ingestion manages
 * (connector, topics, Flink job, raw tables) take the state of the last health report.
 */
public record AssetView(String key, String kind, State state, String label, Instant lastAt, String runId,
    Long rowsIn, Long rowsOut, long rejected, long pendingRows, long staleSeconds, String problem) {

  /** The colour of a node. */
  public enum State {
    FRESH, STALE, FAILED, NEVER, UNKNOWN;

    public String css() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Every asset of the graph, in graph order, from whatever could be read (null: not readable now). */
  static List<AssetView> of(AssetGraph graph, Map<String, AssetStatus.State> models, MaterializerStatus coordinator,
      HealthReport health, Instant now) {
    List<AssetView> out = new ArrayList<>();
    for (Asset a : graph.assets()) {
      String kind = a.kind().name().toLowerCase(Locale.ROOT);
      if (a.kind() != AssetKind.MODEL) {
        State s = health == null ? State.UNKNOWN : health.healthy() ? State.FRESH : State.FAILED;
        String label = health == null ? "no health report" : health.healthy() ? "healthy" : "unhealthy";
        out.add(new AssetView(a.key(), kind, s, label, null, null, null, null, 0, 0, 0, null));
        continue;
      }
      AssetStatus.State m = models.get(a.key());
      AssetFailure failure = coordinator == null ? null : coordinator.failures().stream()
          .filter(f -> f.assetKey().equals(a.key())).findFirst().orElse(null);
      if (m == null) {
        State s = failure != null ? State.FAILED : State.UNKNOWN;
        out.add(new AssetView(a.key(), kind, s, s == State.FAILED ? "failed" : "not read", null, null, null, null, 0,
            0, 0, failure == null ? null : failure.message()));
        continue;
      }
      long stale = m.freshnessSeconds(now);
      State s;
      String label;
      if (failure != null) {
        s = State.FAILED;
        label = "failed";
      } else if (m.lastAt() == null && m.pendingRows() == 0) {
        s = State.NEVER;
        label = "never materialized";
      } else if (m.problem() != null) {
        s = State.UNKNOWN;
        label = "unknown";
      } else if (m.fresh()) {
        s = State.FRESH;
        label = "fresh";
      } else {
        s = m.lastAt() == null ? State.NEVER : State.STALE;
        label = m.lastAt() == null ? "never materialized" : "stale " + stale + " s";
      }
      out.add(new AssetView(a.key(), kind, s, label, m.lastAt(), m.runId(), m.rowsIn(), m.rowsOut(), m.rejected(),
          m.pendingRows(), stale, failure != null ? failure.message() : m.problem()));
    }
    return out;
  }

  /**
   * The graph as Mermaid flowchart text: one node per asset coloured by its state, each a link to its page. Node
   * IDs are positions (keys hold dots and colons), labels the keys.
   */
  static String mermaid(AssetGraph graph, List<AssetView> views) {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    List<String> keys = graph.keys();
    for (AssetView v : views) {
      String id = "a" + keys.indexOf(v.key());
      sb.append("  ").append(id).append("[\"").append(v.key()).append("<br/><small>").append(v.label())
          .append("</small>\"]:::").append(v.state().css()).append('\n');
      sb.append("  click ").append(id).append(" href \"/assets/").append(v.key()).append("\"\n");
    }
    for (Asset a : graph.assets()) {
      for (String u : a.upstream()) {
        sb.append("  a").append(keys.indexOf(u)).append(" --> a").append(keys.indexOf(a.key())).append('\n');
      }
    }
    sb.append("  classDef fresh fill:#d3f4dc,stroke:#1e7b34\n")
        .append("  classDef stale fill:#fff1c2,stroke:#a87b00\n")
        .append("  classDef failed fill:#fbd5d5,stroke:#b42318\n")
        .append("  classDef never fill:#eeeeee,stroke:#888888\n")
        .append("  classDef unknown fill:#ffffff,stroke:#888888,stroke-dasharray:4 3\n");
    return sb.toString();
  }
}
