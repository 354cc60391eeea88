package dev.lakehouse.bench;

import dev.lakehouse.bench.Stats.Summary;
import java.util.List;
import java.util.Map;

/** Everything one `lakehouse bench` run measured; {@link ResultsWriter} turns it into results.json and Markdown. */
public record Report(String startedAt, boolean quick, double totalSeconds, Machine machine, StackFigures stack,
    FreshnessPhase freshness, FreshnessPhase seedFreshness, Throughput throughput, Incremental incremental,
    Dispatch dispatch, List<String> notes, ConsolePageLoad.Result console) {

  /** A run without the console phase. */
  public Report(String startedAt, boolean quick, double totalSeconds, Machine machine, StackFigures stack,
      FreshnessPhase freshness, FreshnessPhase seedFreshness, Throughput throughput, Incremental incremental,
      Dispatch dispatch, List<String> notes) {
    this(startedAt, quick, totalSeconds, machine, stack, freshness, seedFreshness, throughput, incremental, dispatch,
        notes, null);
  }

  /** 1/5/15-minute load averages when a figure was taken. */
  public record Load(double m1, double m5, double m15) {
    public static Load now() {
      double[] l = Machine.loadAverage();
      return new Load(l[0], l[1], l[2]);
    }

    @Override
    public String toString() {
      return String.format("%.1f/%.1f/%.1f", m1, m5, m15);
    }
  }

  public record StackFigures(double coldStartS, double rssGib, double rssEndGib, Load load) {}

  /**
   * One freshness sample: commit time since the phase began, commit → row in raw_data (NaN when not polled) and
   * commit → row visible in data_vault.s_users (infinite if never seen).
   */
  public record Sample(double atS, double rawS, double latencyS) {}

  public record FreshnessPhase(String name, String checkpoint, String sensor, Summary summary, List<Sample> samples,
      Map<String, ModelRuns.Runs> modelRuns, Load load) {}

  /** One rate step: asked and achieved source changes/s, and freshness of the probe rows during it. */
  public record ThroughputStep(int targetRate, double achievedRate, long changes, double seconds, Summary freshness,
      List<Sample> samples, boolean passed, Map<String, ModelRuns.Runs> modelRuns, Backlog backlogAtEnd,
      Backlog backlogAfterWait, double flinkRate, Load load) {}

  /** Achieved rate of the highest step that passed (0 if none), and every step. */
  public record Throughput(double bestRate, double p95LimitS, List<ThroughputStep> steps) {}

  /**
   * One incremental run: its models' wall time and Trino cost (in all, and by statement kind), then the checks of
   * every model over what the run wrote ({@code checksS} wall, {@code checksCpuS} Trino CPU; docs/models.md#checks),
   * measured apart.
   */
  public record IncrementalPoint(long history, double rawInsertS, double initialLoadS, double incrementalS,
      double trinoCpuS, double readMib, int queries, Map<String, Long> perModelMs, Load load, double checksS,
      double checksCpuS, Map<String, TrinoQueryStats.Kind> queryKinds) {
    /** A point without its queries by statement kind. */
    public IncrementalPoint(long history, double rawInsertS, double initialLoadS, double incrementalS,
        double trinoCpuS, double readMib, int queries, Map<String, Long> perModelMs, Load load, double checksS,
        double checksCpuS) {
      this(history, rawInsertS, initialLoadS, incrementalS, trinoCpuS, readMib, queries, perModelMs, load, checksS,
          checksCpuS, Map.of());
    }
  }

  public record Incremental(int newEvents, List<IncrementalPoint> points, double ratioLargestVsSmallest,
      double cpuRatioLargestVsSmallest, List<FullRefresh> fullRefreshes) {
    public Incremental(int newEvents, List<IncrementalPoint> points, double ratioLargestVsSmallest,
        double cpuRatioLargestVsSmallest) {
      this(newEvents, points, ratioLargestVsSmallest, cpuRatioLargestVsSmallest, List.of());
    }
  }

  /**
   * On one history: a full refresh of every model against a CREATE TABLE AS of the rows it left in each of its
   * tables ({@link FullRefreshCost}); seconds in all, milliseconds per model.
   */
  public record FullRefresh(long history, double fullRefreshS, double ctasS, Map<String, Long> perModelMs,
      Map<String, Long> ctasPerModelMs, Load load) {
    public double ratio() {
      return fullRefreshS / ctasS;
    }
  }

  /**
   * Temporal's own share: activity dispatch (scheduled → started), workflow-task dispatch, and per
   * materialization the time no activity was running (wall time minus the union of activity executions).
   */
  public record Dispatch(int histories, Summary activityMs, Summary workflowTaskMs, Summary perMaterializationMs,
      Summary materializationWallMs, Map<String, Summary> byActivityType, Map<String, Summary> executionByActivityType,
      int retriedActivities, int workerDownActivities, Load load) {}
}
