package dev.lakehouse.starter;

import dev.lakehouse.starter.AssetStatus.State;
import dev.lakehouse.starter.ServiceProbe.Service;
import dev.lakehouse.workflows.AssetFailure;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.PendingRun;
import dev.lakehouse.workflows.RunSummary;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The services, coordinator and assets sections of {@code lakehouse status}, as text and as JSON-ready maps. Pure. */
final class StatusFormat {
  private StatusFormat() {}

  static void services(PrintWriter out, List<Service> services) {
    out.println("services:");
    int width = services.stream().mapToInt(s -> s.name().length()).max().orElse(8);
    for (Service s : services) {
      out.printf("  %-" + width + "s  %-21s %s%n", s.name(), s.address(), s.up() ? "up" : "DOWN (not answering)");
    }
  }

  /**
   * The coordinator section: pause state and counters, the runs in flight, the queue (a retry with its number and
   * when it is due), the models whose last run failed after its last retry, and the last run. {@code now} is the
   * time due times are counted from.
   */
  static void coordinator(PrintWriter out, MaterializerStatus s, Instant now) {
    out.println("materializer:");
    out.println("  " + (s.paused() ? "PAUSED (lakehouse resume)" : "active") + ", runs completed "
        + s.runsCompleted() + ", failed " + s.runsFailed());
    if (s.inFlight().size() > 1) { // runs side by side, one writer per table (docs/architecture.md#overlapping-runs)
      out.println("  running (" + s.inFlight().size() + " in flight, oldest first):");
      s.inFlight().forEach(p -> out.println("    " + pending(p, s, null)));
    } else {
      out.println("  running: " + (s.running() == null ? "nothing" : pending(s.running(), s, null)));
    }
    if (s.queue().isEmpty()) {
      out.println("  queue: empty");
    } else {
      out.println("  queue:");
      s.queue().forEach(p -> out.println("    " + pending(p, s, now)));
    }
    if (!s.failures().isEmpty()) {
      out.println("  FAILED models (retries used up; until they next succeed):");
      int width = s.failures().stream().mapToInt(f -> f.assetKey().length()).max().orElse(0);
      for (AssetFailure f : s.failures()) {
        out.printf("    %-" + width + "s  at %s, %d attempt%s, run %s: %s%n", f.assetKey(),
            seconds(Instant.ofEpochMilli(f.atMillis())), f.attempts(), f.attempts() == 1 ? "" : "s",
            f.runWorkflowId(), f.message());
      }
    }
    RunSummary last = s.lastRun();
    if (last != null) {
      out.println("  last run: " + last.status() + " '" + last.selection() + "'"
          + (last.fullRefresh() ? " full refresh" : "") + (last.workflowId() == null ? "" : " (" + last.workflowId()
          + ")") + ", " + last.results().size() + " model(s)" + (last.error() == null ? "" : ": " + last.error()));
    }
  }

  /**
   * {@code 'sel' incremental (2 requests)}, and for a retry {@code , retry 1 of 3 at <time> (in 25 s)} or
   * {@code due now}; without {@code now} (the run in progress) no due time.
   */
  static String pending(PendingRun p, MaterializerStatus s, Instant now) {
    String run = "'" + p.selection() + "' " + (p.fullRefresh() ? "full refresh" : "incremental") + " ("
        + p.requests() + " request" + (p.requests() == 1 ? "" : "s") + ")";
    if (p.retry() == 0) {
      return run;
    }
    String of = s.retry() == null ? "" : " of " + s.retry().retries();
    if (now == null) {
      return run + ", retry " + p.retry() + of;
    }
    long in = Instant.ofEpochMilli(p.dueAtMillis()).getEpochSecond() - now.getEpochSecond();
    return run + ", retry " + p.retry() + of + (in <= 0 ? ", due now"
        : " at " + seconds(Instant.ofEpochMilli(p.dueAtMillis())) + " (in " + in + " s)");
  }

  /**
   * The assets table: one line per model with its last materialization, rows, rejects, freshness and run id, then
   * a summary line. {@code now} is the time freshness is measured at.
   */
  static void assets(PrintWriter out, String trinoUrl, List<State> states, Instant now) {
    out.println("assets (models, from " + trinoUrl + "):");
    int width = Math.max(5, states.stream().mapToInt(s -> s.asset().length()).max().orElse(5));
    String format = "  %-" + width + "s  %-20s  %-11s  %8s  %-24s  %s%n";
    out.printf(format, "ASSET", "LAST MATERIALIZATION", "ROWS IN/OUT", "REJECTED", "FRESHNESS", "RUN");
    for (State s : states) {
      out.printf(format, s.asset(), s.lastAt() == null ? "never" : seconds(s.lastAt()),
          s.rowsIn() == null ? "-" : s.rowsIn() + "/" + s.rowsOut(), s.rejected(), freshness(s, now),
          s.runId() == null ? "-" : s.runId());
    }
    states.stream().filter(s -> s.problem() != null)
        .forEach(s -> out.println("  " + s.asset() + ": " + s.problem()));
    out.println("  " + summary(states, now));
  }

  /** {@code fresh}, {@code stale 12 s (3 raw rows)} or {@code unknown}. */
  static String freshness(State s, Instant now) {
    if (s.problem() != null) {
      return "unknown";
    }
    if (s.fresh()) {
      return "fresh";
    }
    return "stale " + s.freshnessSeconds(now) + " s (" + s.pendingRows() + " raw row" + (s.pendingRows() == 1 ? "" : "s")
        + ")";
  }

  static String summary(List<State> states, Instant now) {
    long fresh = states.stream().filter(State::fresh).count();
    long rejected = states.stream().mapToLong(State::rejected).sum();
    String rejects = rejected + " row" + (rejected == 1 ? "" : "s") + " rejected";
    if (fresh == states.size()) {
      return "all " + states.size() + " models fresh, " + rejects;
    }
    long oldest = states.stream().mapToLong(s -> s.freshnessSeconds(now)).max().orElse(0);
    return (states.size() - fresh) + " of " + states.size() + " models not fresh (oldest unmaterialized raw snapshot "
        + oldest + " s old), " + rejects;
  }

  /** What to do when Trino does not answer: one line. */
  static String trinoDown(String trinoUrl, String reason) {
    return "assets: Trino at " + trinoUrl + " does not answer (" + reason + "): start the stack with ./lakehouse up,"
        + " or point the CLI at yours with --set lakehouse.endpoints.trino.port=<port>";
  }

  static List<Map<String, Object>> servicesJson(List<Service> services) {
    return services.stream().map(s -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", s.name());
      m.put("address", s.address());
      m.put("up", s.up());
      return m;
    }).toList();
  }

  static List<Map<String, Object>> assetsJson(List<State> states, Instant now) {
    return states.stream().map(s -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("asset", s.asset());
      m.put("lastMaterializedAt", s.lastAt() == null ? null : s.lastAt().toString());
      m.put("runId", s.runId());
      m.put("rowsIn", s.rowsIn());
      m.put("rowsOut", s.rowsOut());
      m.put("rejected", s.rejected());
      m.put("lastRunRejected", s.lastRejected());
      m.put("fresh", s.fresh());
      m.put("freshnessSeconds", s.freshnessSeconds(now));
      m.put("pendingRawRows", s.pendingRows());
      m.put("staleSince", s.staleSince() == null ? null : s.staleSince().toString());
      m.put("problem", s.problem());
      return m;
    }).toList();
  }

  private static String seconds(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
