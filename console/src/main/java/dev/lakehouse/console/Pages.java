package dev.lakehouse.console;

import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.MaterializerStatus;
import java.util.List;

/** The models of the templates (src/main/jte), one record per page, built by {@link ConsoleServer}. */
public final class Pages {
  private Pages() {}

  /**
   * What every page has: its title, the menu entry, problems reaching Trino or Temporal, notes on values older than
   * the page (a read slower than the page's budget), a flash message.
   */
  public record Frame(String title, String active, List<String> problems, List<String> notes, String message,
      String csrf, String mermaidScript) {}

  public record Assets(Frame frame, List<AssetView> assets, String mermaid) {}

  public record AssetPage(Frame frame, AssetView asset, List<String> upstream, List<String> downstream,
      Table history, Table checks, String checksProblem, String sql, String sqlProblem,
      String temporalUi, boolean isModel) {}

  public record Runs(Frame frame, MaterializerStatus status, String temporalUi) {}

  public record Ingestion(Frame frame, HealthReport report, String flinkUi, String temporalUi) {}
}
