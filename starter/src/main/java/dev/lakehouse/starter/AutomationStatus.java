package dev.lakehouse.starter;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.automation.Change;
import dev.lakehouse.workflows.automation.ScheduleAutomation;
import java.io.PrintWriter;
import java.util.List;

/**
 * The part of {@code lakehouse status} that compares what runs with the spec: the changes
 * {@code lakehouse automation start} would make (a schedule's cron, a sensor's interval, a missing schedule).
 */
final class AutomationStatus {
  private AutomationStatus() {}

  /** The lines that differ (empty: what runs is what the spec says), or one line saying why it is unknown. */
  static List<String> drift(TemporalSession session, PipelineSpec spec) {
    try {
      return new ScheduleAutomation(session.client(), spec).plan().stream().filter(Change::changes)
          .map(Change::line).toList();
    } catch (RuntimeException e) {
      return List.of("cannot compare with the spec: " + LakehouseCli.message(e).replaceFirst("^lakehouse: ", ""));
    }
  }

  static void print(PrintWriter out, List<String> drift) {
    out.println("automation vs spec:");
    if (drift.isEmpty()) {
      out.println("  as the spec says (schedules, crons, sensor intervals)");
      return;
    }
    drift.forEach(d -> out.println("  differs: " + d));
    out.println("  (lakehouse automation start applies the spec)");
  }
}
