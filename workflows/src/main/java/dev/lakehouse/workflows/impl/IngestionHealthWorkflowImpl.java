package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.FreshnessVerdict;
import dev.lakehouse.workflows.HealthInput;
import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.Incident;
import dev.lakehouse.workflows.IngestionHealthWorkflow;
import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.ConnectActivities;
import dev.lakehouse.workflows.activities.ConnectorStatus;
import dev.lakehouse.workflows.activities.ConsumerLag;
import dev.lakehouse.workflows.activities.FlinkActivities;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import dev.lakehouse.workflows.activities.FreshnessActivities;
import dev.lakehouse.workflows.activities.KafkaActivities;
import dev.lakehouse.workflows.activities.ModelFreshness;
import dev.lakehouse.workflows.activities.ModelWatermark;
import dev.lakehouse.workflows.activities.PartitionWatch;
import dev.lakehouse.workflows.activities.SlotLag;
import dev.lakehouse.workflows.activities.SourceActivities;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.health.SilentLoss;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One health check per scheduled run; an unreadable part is a problem in the report, not a failed run. It also
 * checks each model against its freshness policy and reports the ingestion and freshness incidents it sees to
 * {@code incidents} (which alerts when one opens or resolves).
 */
public class IngestionHealthWorkflowImpl implements IngestionHealthWorkflow {
  private static final Set<String> FLINK_NEEDS_RESUBMIT = Set.of("FAILED", "CANCELED", "FINISHED", "MISSING");
  static final String FRESHNESS_AND_INCIDENTS = "freshness-and-incidents";
  static final String SILENT_LOSS = "silent-loss-detectors";
  static final String TOPIC_WATERMARKS = "topic-watermarks";
  static final String HEALTH_SCOPE = "health";
  static final String FRESHNESS_SCOPE = "freshness";
  private static final String CONNECTOR = "connector";
  private static final String SLOT = "replication-slot";
  private static final String KAFKA = "kafka";

  private final ConnectActivities connect =
      Workflow.newActivityStub(ConnectActivities.class, ActivityOptionsCatalog.quick());
  private final FlinkActivities flink = Workflow.newActivityStub(FlinkActivities.class, ActivityOptionsCatalog.quick());
  private final FlinkActivities flinkSubmit =
      Workflow.newActivityStub(FlinkActivities.class, ActivityOptionsCatalog.awaiting());
  private final KafkaActivities kafka = Workflow.newActivityStub(KafkaActivities.class, ActivityOptionsCatalog.quick());
  private final SourceActivities source =
      Workflow.newActivityStub(SourceActivities.class, ActivityOptionsCatalog.quick());
  private final FreshnessActivities freshness =
      Workflow.newActivityStub(FreshnessActivities.class, ActivityOptionsCatalog.quick());

  private HealthReport last;

  @Override
  public HealthReport check(HealthInput input) {
    last = Workflow.getLastCompletionResult(HealthReport.class);
    List<String> problems = new ArrayList<>();
    Unhealthy unhealthy = new Unhealthy(problems);

    ConnectorStatus connector = read("connector status", connect::status, problems);
    unhealthy.file(CONNECTOR);
    int restarted = 0;
    if (connector != null) {
      if (!"RUNNING".equals(connector.state())) {
        problems.add("connector " + connector.name() + " is " + connector.state());
        unhealthy.file(CONNECTOR);
      }
      boolean failedTasks = connector.tasks() != null
          && connector.tasks().stream().anyMatch(t -> "FAILED".equals(t.state()));
      if (failedTasks) {
        Integer n = read("restart failed tasks", connect::restartFailedTasks, problems);
        restarted = n == null ? 0 : n;
        problems.add("connector had FAILED tasks, restarted " + restarted);
        unhealthy.file(CONNECTOR);
      }
    }

    FlinkJobStatus job = read("flink job status", flink::jobStatus, problems);
    unhealthy.file(AssetGraph.FLINK_INGEST);
    boolean resubmitted = false;
    if (job == null || FLINK_NEEDS_RESUBMIT.contains(job.state())) {
      problems.add("flink ingest job is " + (job == null ? "unknown" : job.state()) + ", resubmitting");
      FlinkJobStatus again = read("flink resubmit", flinkSubmit::ensureIngestJob, problems);
      resubmitted = again != null;
      job = again != null ? again : job;
      unhealthy.file(AssetGraph.FLINK_INGEST);
    } else if (job.lastCheckpointAgeMillis() != null && job.lastCheckpointAgeMillis() > input.maxCheckpointAgeMillis()) {
      problems.add("last flink checkpoint is " + job.lastCheckpointAgeMillis() / 1000 + " s old");
      unhealthy.file(AssetGraph.FLINK_INGEST);
    }

    ConsumerLag lag = read("kafka lag", kafka::consumerLag, problems);
    unhealthy.file(KAFKA);
    SlotLag slot = read("slot lag", source::slotLag, problems);
    unhealthy.file(SLOT);
    if (slot != null && !slot.active()) {
      problems.add("replication slot " + slot.slot() + " is not active");
      unhealthy.file(SLOT);
    }
    if (slot != null && input.maxSlotLagBytes() != null && slot.lagBytes() > input.maxSlotLagBytes()) {
      problems.add("replication slot " + slot.slot() + " lags " + slot.lagBytes() + " bytes (more than "
          + input.maxSlotLagBytes() + ")");
      unhealthy.file(SLOT);
    }
    List<PartitionWatch> topics = null;
    // health checks started by older code watch no topics
    if (Workflow.getVersion(SILENT_LOSS, Workflow.DEFAULT_VERSION, 1) == 1) {
      topics = silentLoss(slot, problems, unhealthy);
    }
    long now = Workflow.currentTimeMillis();
    List<FreshnessVerdict> verdicts = null;
    // health checks started by older code issue no freshness read and report no incidents
    if (Workflow.getVersion(FRESHNESS_AND_INCIDENTS, Workflow.DEFAULT_VERSION, 1) == 1) {
      verdicts = input.maxLagMillis() == null ? null : freshness(input, now);
      reportIncidents(unhealthy, verdicts, now);
    }
    last = new HealthReport(now, connector, restarted, job, resubmitted, lag, slot, problems, problems.isEmpty(),
        verdicts, topics);
    return last;
  }

  /**
   * Watches the CDC partitions from where the last check stopped and judges them and the slot ({@link SilentLoss}).
   * Returns the cursor for the next check: the last one again when the topics could not be read, so nothing is
   * skipped and nothing read twice.
   */
  private List<PartitionWatch> silentLoss(SlotLag slot, List<String> problems, Unhealthy unhealthy) {
    List<PartitionWatch> previous = last == null || last.topics() == null ? List.of() : last.topics();
    List<PartitionWatch> watch = read("kafka topics", () -> kafka.watchTopics(previous), problems);
    unhealthy.file(KAFKA);
    List<ModelWatermark> watermarks = List.of();
    // health checks started by older code compare no topic with the models' watermarks
    if (watch != null && Workflow.getVersion(TOPIC_WATERMARKS, Workflow.DEFAULT_VERSION, 1) == 1) {
      watermarks = watermarks();
    }
    for (SilentLoss.Problem p : SilentLoss.judge(watch == null ? List.of() : watch, previous, slot, watermarks)) {
      problems.add(p.message());
      unhealthy.file(p.subject() == SilentLoss.Subject.SLOT ? SLOT : KAFKA);
    }
    return watch == null ? previous : SilentLoss.cursor(watch, previous);
  }

  /**
   * The models' watermarks by CDC partition. Unreadable (Trino down, no model run yet): none, and no problem, as
   * for the freshness read: the models' store is not ingestion, and the cursor's detectors still run.
   */
  private List<ModelWatermark> watermarks() {
    try {
      return freshness.watermarks();
    } catch (ActivityFailure e) {
      Workflow.getLogger(IngestionHealthWorkflowImpl.class).warn("cannot read the models' watermarks: {}",
          RootCause.message(e));
      return List.of();
    }
  }

  /**
   * Each model against its policy. When the lags cannot be read: one verdict without an asset that says why (not an
   * ingestion problem), and the open freshness incidents are neither resolved nor opened by a check that saw nothing.
   */
  private List<FreshnessVerdict> freshness(HealthInput input, long now) {
    List<ModelFreshness> lags;
    try {
      lags = freshness.modelLags();
    } catch (ActivityFailure e) {
      return List.of(new FreshnessVerdict(null, 0, 0, 0, false, null, "cannot read the models' lag: "
          + RootCause.message(e)));
    }
    List<FreshnessVerdict> verdicts = new ArrayList<>();
    for (ModelFreshness m : lags) {
      Long max = input.maxLagMillis().get(m.asset());
      if (max == null) {
        continue;
      }
      long lag = m.staleSinceMillis() == null ? 0 : Math.max(0, now - m.staleSinceMillis());
      boolean violated = m.problem() == null && lag > max;
      verdicts.add(new FreshnessVerdict(m.asset(), lag, max, m.pendingRows(), violated,
          violated ? m.staleSinceMillis() + max : null, m.problem()));
    }
    return verdicts;
  }

  private static void reportIncidents(Unhealthy unhealthy, List<FreshnessVerdict> verdicts, long now) {
    String run = Workflow.getInfo().getWorkflowId();
    List<Incident> ingestion = new ArrayList<>();
    unhealthy.byAsset.forEach((asset, message) -> ingestion.add(new Incident(HEALTH_SCOPE, Incident.Kind.INGESTION_UNHEALTHY,
        asset, message, now, run)));
    Incidents.report(HEALTH_SCOPE, ingestion);
    if (verdicts != null && verdicts.stream().allMatch(v -> v.asset() != null)) {
      List<Incident> stale = new ArrayList<>();
      for (FreshnessVerdict v : verdicts) {
        if (v.violated()) {
          stale.add(new Incident(FRESHNESS_SCOPE, Incident.Kind.FRESHNESS_VIOLATED, v.asset(), v.asset() + " lags "
              + v.lagMillis() / 1000 + " s, more than its max lag of " + v.maxLagMillis() / 1000 + " s",
              v.violatedSinceMillis(), run));
        }
      }
      Incidents.report(FRESHNESS_SCOPE, stale);
    }
  }

  /** The problems of a check filed by the asset they concern, for the incidents. */
  private static final class Unhealthy {
    final Map<String, String> byAsset = new LinkedHashMap<>();
    private final List<String> problems;
    private int filed;

    Unhealthy(List<String> problems) {
      this.problems = problems;
    }

    /** Files the problems added since the last call under {@code asset}. */
    void file(String asset) {
      if (problems.size() > filed) {
        byAsset.merge(asset, String.join("; ", problems.subList(filed, problems.size())), (a, b) -> a + "; " + b);
        filed = problems.size();
      }
    }
  }

  private static <T> T read(String what, Functions.Func<T> call, List<String> problems) {
    try {
      return call.apply();
    } catch (ActivityFailure e) {
      problems.add(what + ": " + RootCause.message(e));
      return null;
    }
  }

  @Override
  public HealthReport lastReport() {
    return last;
  }
}
