package dev.lakehouse.starter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.Incident;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the services, workflows, coordinator, every model's state, and ingestion health.",
        "spec: the version (fingerprint) of the spec the worker runs, from its identity on the task queue, and",
        "whether the spec file differs from it (then lakehouse apply --dry-run shows what would change).",
        "services: which endpoints of the spec answer (TCP). workflows: the state of each fixed workflow ID",
        "(describe). materializer: the coordinator's state and queue with pending retries, and the models whose",
        "last run failed after its last retry (query 'status'). assets: per model, from",
        "Trino's ops.materializations, its last materialization that read rows (time, rows in/out, run id), the",
        "rows rejected since its last full refresh, and freshness: 'fresh' when every raw row has reached it,",
        "else 'stale N s', N the age of the oldest raw snapshot holding rows it has not consumed (compared by",
        "Kafka offsets with its watermark, upstream models included). ingestion health: the last report of",
        "'ingestion-health' (the schedule's last finished run, else query 'lastReport'). automation vs spec: what",
        "lakehouse automation start would change (schedule crons, sensor intervals, missing schedules).",
        "freshness policies: each model OK or VIOLATED (lag, max lag, since when) as the last health check judged",
        "it. incidents: the open ones (query 'open' of 'incidents'). checks: per model, its latest check run",
        "from ops.asset_checks (how many checks, which fail, failing rows and sample keys).",
        "Needs Temporal; without Trino the assets section says so in one line."})
final class StatusCommand extends TemporalCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--json", description = "Print one JSON object instead of text (same content).")
  boolean json;

  /**
   * Every fixed workflow ID of the automation (the health check and maintenance are Temporal Schedules, shown by
   * {@code lakehouse schedules} and compared with the spec in the "automation vs spec" section).
   */
  static List<String> automationIds(AssetGraph graph) {
    List<String> ids = new ArrayList<>(List.of(Lakehouse.INGESTION_SETUP_ID, Lakehouse.MATERIALIZER_ID,
        Lakehouse.INCIDENTS_ID));
    graph.ofKind(AssetKind.RAW_TABLE).forEach(a -> ids.add(Lakehouse.sensorId(a.key())));
    return ids;
  }

  @Override
  int call(TemporalSession session) {
    PipelineSpec spec = root().spec();
    List<ServiceProbe.Service> services = ServiceProbe.probe(ServiceProbe.endpoints(spec.endpoints()), 1000);
    Map<String, String> workflows = new LinkedHashMap<>();
    for (String id : automationIds(root().graph())) {
      workflows.put(id, Inspect.describe(session, id).status());
    }
    Inspect.Answer<MaterializerStatus> materializer = Inspect.materializerStatus(session);
    Inspect.Answer<HealthReport> health = Inspect.healthReport(session);
    List<String> drift = AutomationStatus.drift(session, spec);
    SpecStatus.Versions specVersions = SpecStatus.versions(session, spec);
    Inspect.Answer<Incident[]> incidents = OpsStatus.incidents(session);
    String trinoUrl = spec.endpoints().trino().jdbcUrl();
    List<AssetStatus.State> assets = null;
    Map<String, AssetCheckReport> checks = null;
    String assetsProblem = null;
    try {
      TrinoReads reads = new TrinoReads(spec.trino());
      assets = reads.assets(new ModelSql(spec), root().graph());
      checks = reads.latestChecks();
    } catch (SQLException | RuntimeException e) {
      // refused credentials or TLS: which key to fix; else down (how to start it) or failed (its first line)
      assetsProblem = spec.trino().authProblem(e).map(m -> "assets: " + m).orElseGet(() -> unreachable(e)
          ? StatusFormat.trinoDown(trinoUrl, LakehouseCli.message(e).replaceFirst("^lakehouse: ", ""))
          : "assets: Trino at " + trinoUrl + " failed: " + firstLine(e));
    }
    Instant now = Instant.now();
    PrintWriter out = out();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("temporal", Map.of("target", session.target(), "namespace", session.namespace()));
      m.put("spec", Map.of("running", specVersions.running().orElse(""), "file", specVersions.file()));
      m.put("services", StatusFormat.servicesJson(services));
      m.put("workflows", workflows);
      m.put("automationDrift", drift);
      m.put("incidents", incidents.value() != null ? incidents.value() : Map.of("problem",
          String.valueOf(incidents.problem())));
      m.put("materializer", materializer.value() != null ? materializer.value() : Map.of("problem",
          String.valueOf(materializer.problem())));
      m.put("assets", assets == null ? null : StatusFormat.assetsJson(assets, now));
      m.put("checks", checks);
      m.put("assetsProblem", assetsProblem);
      m.put("ingestionHealth", health.value() != null ? health.value() : Map.of("problem",
          String.valueOf(health.problem())));
      try {
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return 0;
    }
    out.println("Temporal " + session.target() + ", namespace " + session.namespace() + ", task queue "
        + spec.endpoints().temporal().taskQueue());
    out.println(specVersions.line(spec.endpoints().temporal().taskQueue()));
    out.println();
    StatusFormat.services(out, services);
    out.println();
    out.println("workflows:");
    workflows.forEach((id, state) -> out.printf("  %-34s %s%n", id, state));
    out.println();
    AutomationStatus.print(out, drift);
    out.println();
    printCoordinator(out, materializer, now);
    out.println();
    if (assets != null) {
      StatusFormat.assets(out, trinoUrl, assets, now);
      out.println();
      CheckStatusFormat.checks(out, assets.stream().map(AssetStatus.State::asset).toList(), checks);
    } else {
      out.println(assetsProblem);
    }
    out.println();
    printHealth(out, health);
    out.println();
    OpsStatus.printFreshness(out, health.value());
    out.println();
    OpsStatus.printIncidents(out, incidents);
    return 0;
  }

  /** Trino not listening or not reachable, as opposed to a query that failed. */
  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
          || t instanceof java.net.SocketTimeoutException || t instanceof java.io.InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(Throwable e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
  }

  private static void printCoordinator(PrintWriter out, Inspect.Answer<MaterializerStatus> answer, Instant now) {
    if (answer.value() == null) {
      out.println("materializer:");
      out.println("  " + answer.problem());
      return;
    }
    StatusFormat.coordinator(out, answer.value(), now);
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
