package dev.lakehouse.starter;

import dev.lakehouse.workflows.FreshnessVerdict;
import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.Incident;
import dev.lakehouse.workflows.Lakehouse;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The parts of {@code lakehouse status} about freshness policies (from the last health report) and the open
 * incidents (query {@code open} of the {@code incidents} workflow).
 */
final class OpsStatus {
  private OpsStatus() {}

  static Inspect.Answer<Incident[]> incidents(TemporalSession session) {
    Inspect.Execution e = Inspect.describe(session, Lakehouse.INCIDENTS_ID);
    if (!e.running()) {
      return new Inspect.Answer<>(null, "'" + Lakehouse.INCIDENTS_ID + "' is " + e.status()
          + " (lakehouse automation start starts it)");
    }
    return Inspect.query(session, Lakehouse.INCIDENTS_ID, "open", Incident[].class);
  }

  static void printFreshness(PrintWriter out, HealthReport report) {
    out.println("freshness policies (lakehouse.freshness, judged by the last health check):");
    if (report == null || report.freshness() == null) {
      out.println("  no verdict yet (the next health check judges them)");
      return;
    }
    for (FreshnessVerdict v : report.freshness()) {
      String verdict;
      if (v.problem() != null) {
        verdict = "UNKNOWN   " + v.problem();
      } else if (v.violated()) {
        verdict = "VIOLATED  lag " + v.lagMillis() / 1000 + " s > max " + v.maxLagMillis() / 1000 + " s, since "
            + Instant.ofEpochMilli(v.violatedSinceMillis()).truncatedTo(ChronoUnit.SECONDS);
      } else {
        verdict = "OK        lag " + v.lagMillis() / 1000 + " s (max " + v.maxLagMillis() / 1000 + " s)";
      }
      out.printf("  %-28s %s%n", v.asset() == null ? "(every model)" : v.asset(), verdict);
    }
  }

  static void printIncidents(PrintWriter out, Inspect.Answer<Incident[]> answer) {
    out.println("incidents (alerts: lakehouse.alerts):");
    if (answer.value() == null) {
      out.println("  " + (answer.problem() == null ? "none open" : answer.problem()));
      return;
    }
    List<Incident> open = List.of(answer.value());
    if (open.isEmpty()) {
      out.println("  none open");
    }
    for (Incident i : open) {
      out.println("  OPEN " + i.kind().name().toLowerCase(Locale.ROOT) + " " + i.asset() + " since "
          + Instant.ofEpochMilli(i.sinceMillis()).truncatedTo(ChronoUnit.SECONDS) + ": " + i.message());
    }
  }
}
