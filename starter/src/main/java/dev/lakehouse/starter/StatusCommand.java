package dev.lakehouse.starter;

import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.PendingRun;
import dev.lakehouse.workflows.RunSummary;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the workflows, the coordinator's state and queue, and ingestion health.",
        "The state of each fixed workflow ID (describe), the coordinator's state and queue (query 'status' of",
        "'materializer') and the last ingestion health report ('ingestion-health': the previous cron run's",
        "result, else query 'lastReport')."})
final class StatusCommand extends TemporalCommand {

  /** Every fixed workflow ID of the automation, in the order {@code automation start} reports them. */
  static List<String> automationIds(AssetGraph graph) {
    List<String> ids = new ArrayList<>(List.of(Lakehouse.INGESTION_SETUP_ID, Lakehouse.INGESTION_HEALTH_ID,
        Lakehouse.MAINTENANCE_VAULT_ID, Lakehouse.MAINTENANCE_RAW_PARSED_ID, Lakehouse.MAINTENANCE_EXTENDED_STATS_ID,
        Lakehouse.MATERIALIZER_ID));
    graph.ofKind(AssetKind.RAW_TABLE).forEach(a -> ids.add(Lakehouse.sensorId(a.key())));
    return ids;
  }

  @Override
  int call(TemporalSession session) {
    PrintWriter out = out();
    out.println("Temporal " + session.target() + ", namespace " + session.namespace() + ", task queue "
        + root().spec().endpoints().temporal().taskQueue());
    out.println();
    out.println("workflows:");
    for (String id : automationIds(root().graph())) {
      out.printf("  %-34s %s%n", id, Inspect.describe(session, id).status());
    }
    out.println();
    printCoordinator(out, Inspect.materializerStatus(session));
    out.println();
    printHealth(out, Inspect.healthReport(session));
    return 0;
  }

  private static void printCoordinator(PrintWriter out, Inspect.Answer<MaterializerStatus> answer) {
    out.println("materializer:");
    MaterializerStatus s = answer.value();
    if (s == null) {
      out.println("  " + answer.problem());
      return;
    }
    out.println("  " + (s.paused() ? "PAUSED (lakehouse resume)" : "active") + ", runs completed "
        + s.runsCompleted() + ", failed " + s.runsFailed());
    out.println("  running: " + (s.running() == null ? "nothing" : pending(s.running())));
    if (s.queue().isEmpty()) {
      out.println("  queue: empty");
    } else {
      out.println("  queue:");
      s.queue().forEach(p -> out.println("    " + pending(p)));
    }
    RunSummary last = s.lastRun();
    if (last != null) {
      out.println("  last run: " + last.status() + " '" + last.selection() + "'"
          + (last.fullRefresh() ? " full refresh" : "") + (last.workflowId() == null ? "" : " (" + last.workflowId()
          + ")") + ", " + last.results().size() + " model(s)" + (last.error() == null ? "" : ": " + last.error()));
    }
  }

  private static String pending(PendingRun p) {
    return "'" + p.selection() + "' " + (p.fullRefresh() ? "full refresh" : "incremental") + " (" + p.requests()
        + " request" + (p.requests() == 1 ? "" : "s") + ")";
  }

  private static void printHealth(PrintWriter out, Inspect.Answer<HealthReport> answer) {
    out.println("ingestion health:");
    HealthReport r = answer.value();
    if (r == null) {
      out.println("  " + answer.problem());
      return;
    }
    out.println("  " + (r.healthy() ? "healthy" : "UNHEALTHY") + " at "
        + Instant.ofEpochMilli(r.checkedAtMillis()).truncatedTo(ChronoUnit.SECONDS));
    if (r.connector() != null) {
      var c = r.connector();
      out.println("  connector: " + c.name() + " " + c.state() + ", tasks " + c.tasks().stream()
          .map(t -> t.id() + ":" + t.state()).toList() + (r.restartedTasks() > 0 ? ", restarted "
          + r.restartedTasks() + " task(s)" : ""));
    }
    if (r.flinkJob() != null) {
      var j = r.flinkJob();
      out.println("  flink job: " + j.pipelineName() + " " + j.state() + " (" + j.jobId() + ")"
          + (j.lastCheckpointAgeMillis() == null ? "" : ", last checkpoint " + j.lastCheckpointAgeMillis() / 1000
          + "s ago") + (r.flinkResubmitted() ? ", resubmitted" : ""));
    }
    if (r.kafkaLag() != null) {
      out.println("  kafka lag: " + r.kafkaLag().totalLag() + " record(s) (group " + r.kafkaLag().group() + ")");
    }
    if (r.slotLag() != null) {
      out.println("  slot lag: " + r.slotLag().lagBytes() + " bytes (slot " + r.slotLag().slot()
          + (r.slotLag().active() ? ", active)" : ", INACTIVE)"));
    }
    r.problems().forEach(p -> out.println("  problem: " + p));
  }
}
