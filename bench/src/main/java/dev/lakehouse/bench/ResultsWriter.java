package dev.lakehouse.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.lakehouse.bench.Report.FreshnessPhase;
import dev.lakehouse.bench.Report.IncrementalPoint;
import dev.lakehouse.bench.Report.Load;
import dev.lakehouse.bench.Report.ThroughputStep;
import dev.lakehouse.bench.Stats.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** results.json (headline keys first, then machine, load averages and details) and the Markdown summary. */
public final class ResultsWriter {
  public static final double FRESHNESS_P50_TARGET_S = 5;
  public static final double FRESHNESS_P95_TARGET_S = 10;
  public static final double THROUGHPUT_TARGET = 10_000;
  /** Freshness p95 wanted during the 5,000 changes/s step (a step is held up to the plan's wider limit). */
  public static final int LOADED_STEP_RATE = 5000;
  public static final double LOADED_STEP_P95_TARGET_S = 30;
  public static final double RSS_END_TARGET_GIB = 4;
  public static final double INCREMENTAL_RATIO_TARGET = 1.5;
  /** The headline ratios: an incremental run on each of these histories over one on {@link #RATIO_BASE_HISTORY}. */
  static final List<Long> RATIO_HISTORIES = List.of(1_000_000L, 10_000_000L);
  static final long RATIO_BASE_HISTORY = 10_000;
  /** One incremental run of every model on 1,000 new events: in all, and the slowest model. */
  public static final double RUN_TARGET_S = 5;
  public static final double FULL_REFRESH_RATIO_TARGET = 1.5;
  public static final double MODEL_TARGET_S = 1.5;
  public static final double DISPATCH_P50_TARGET_MS = 50;

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .registerModule(new SimpleModule().addSerializer(Double.class, new FiniteOrNull())
          .addSerializer(double.class, new FiniteOrNull()));

  private ResultsWriter() {}

  /** The headline figures of results.json, under stable keys (seconds unless the name says otherwise). */
  public static Map<String, Object> headline(Report r) {
    Map<String, Object> m = new LinkedHashMap<>();
    Summary f = r.freshness() == null ? Summary.EMPTY : r.freshness().summary();
    Summary s = r.seedFreshness() == null ? Summary.EMPTY : r.seedFreshness().summary();
    m.put("freshness_p50_s", f.p50());
    m.put("freshness_p95_s", f.p95());
    m.put("freshness_max_s", f.max());
    m.put("seed_settings_freshness_p50_s", s.p50());
    m.put("seed_settings_freshness_p95_s", s.p95());
    m.put("seed_settings_freshness_max_s", s.max());
    m.put("freshness_ratio_seed_vs_defaults_p50", s.p50() / f.p50());
    m.put("freshness_ratio_seed_vs_defaults_p95", s.p95() / f.p95());
    m.put("throughput_changes_per_s", r.throughput() == null ? Double.NaN : r.throughput().bestRate());
    // each of exactly the two histories its key names (null when either was not measured), wall and Trino CPU;
    // then the same runs with each model's checks added, as a workflow runs them (docs/models.md#checks)
    List<IncrementalPoint> points = r.incremental() == null ? List.of() : r.incremental().points();
    for (long large : RATIO_HISTORIES) {
      String pair = label(large) + "_vs_" + label(RATIO_BASE_HISTORY);
      m.put("incremental_ratio_" + pair, IncrementalScaling.ratio(points, large, RATIO_BASE_HISTORY,
          IncrementalPoint::incrementalS));
      m.put("incremental_cpu_ratio_" + pair, IncrementalScaling.ratio(points, large, RATIO_BASE_HISTORY,
          IncrementalPoint::trinoCpuS));
      m.put("incremental_with_checks_ratio_" + pair, IncrementalScaling.ratio(points, large, RATIO_BASE_HISTORY,
          p -> p.incrementalS() + p.checksS()));
    }
    IncrementalPoint largest = points.stream().max((a, b) -> Long.compare(a.history(), b.history())).orElse(null);
    m.put("checks_share_of_run_wall", largest == null ? Double.NaN
        : largest.checksS() / (largest.incrementalS() + largest.checksS()));
    m.put("checks_share_of_run_trino_cpu", largest == null ? Double.NaN
        : largest.checksCpuS() / (largest.trinoCpuS() + largest.checksCpuS()));
    // one run of all models on the smallest history; the generated ones apart (the set the run targets name)
    IncrementalPoint smallest = points.stream().min((a, b) -> Long.compare(a.history(), b.history())).orElse(null);
    m.put("one_run_all_models_s", smallest == null ? Double.NaN : smallest.incrementalS());
    m.put("one_run_generated_models_s", smallest == null ? Double.NaN : generatedSeconds(smallest.perModelMs()));
    // on the smallest history, the one every run of the bench has
    Report.FullRefresh refresh = r.incremental() == null ? null : r.incremental().fullRefreshes().stream()
        .min((a, b) -> Long.compare(a.history(), b.history())).orElse(null);
    m.put("full_refresh_s", refresh == null ? Double.NaN : refresh.fullRefreshS());
    m.put("full_refresh_ctas_same_rows_s", refresh == null ? Double.NaN : refresh.ctasS());
    m.put("full_refresh_vs_ctas_ratio", refresh == null ? Double.NaN : refresh.ratio());
    Summary d = r.dispatch() == null ? Summary.EMPTY : r.dispatch().activityMs();
    m.put("dispatch_p50_ms", d.p50());
    m.put("dispatch_p95_ms", d.p95());
    Summary pm = r.dispatch() == null ? Summary.EMPTY : r.dispatch().perMaterializationMs();
    m.put("materialization_overhead_p50_ms", pm.p50());
    m.put("materialization_overhead_p95_ms", pm.p95());
    ConsolePageLoad.Result c = r.console();
    m.put("console_assets_page_p95_ms", c == null ? Double.NaN : c.assetsPageMs().p95());
    m.put("console_api_assets_p95_ms", c == null ? Double.NaN : c.apiAssetsMs().p95());
    m.put("cold_start_s", r.stack() == null ? Double.NaN : r.stack().coldStartS());
    m.put("stack_rss_gib", r.stack() == null ? Double.NaN : r.stack().rssGib());
    return m;
  }

  /** The load average next to each headline figure. */
  static Map<String, Load> loads(Report r) {
    Map<String, Load> m = new LinkedHashMap<>();
    if (r.stack() != null) {
      m.put("cold_start", r.stack().load());
    }
    if (r.freshness() != null) {
      m.put("freshness", r.freshness().load());
    }
    if (r.seedFreshness() != null) {
      m.put("seed_settings_freshness", r.seedFreshness().load());
    }
    if (r.throughput() != null) {
      r.throughput().steps().forEach(s -> m.put("throughput_step_" + s.targetRate(), s.load()));
    }
    if (r.incremental() != null) {
      r.incremental().points().forEach(p -> m.put("incremental_" + p.history(), p.load()));
    }
    if (r.dispatch() != null) {
      m.put("dispatch", r.dispatch().load());
    }
    if (r.console() != null) {
      m.put("console", r.console().load());
    }
    return m;
  }

  public static String json(Report r) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>(headline(r));
    root.put("machine", r.machine());
    root.put("load_average", loads(r));
    root.put("started_at", r.startedAt());
    root.put("quick", r.quick());
    root.put("total_s", r.totalSeconds());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("stack", r.stack());
    details.put("freshness", r.freshness());
    details.put("seed_settings_freshness", r.seedFreshness());
    details.put("throughput", r.throughput());
    details.put("incremental", r.incremental());
    details.put("dispatch", r.dispatch());
    details.put("console", r.console());
    root.put("details", details);
    root.put("notes", r.notes());
    return JSON.writeValueAsString(root);
  }

  /** The summary printed at the end and written as summary.md. */
  public static String markdown(Report r) {
    StringBuilder b = new StringBuilder();
    Machine mc = r.machine();
    b.append(String.format("## lakehouse bench%s, %s%n%n", r.quick() ? " --quick" : "", r.startedAt()));
    b.append(String.format("%d cores, %.1f GiB, %s; %s; total %.0f s%n%n", mc.cores(), mc.memoryGib(), mc.java(),
        mc.versions(), r.totalSeconds()));
    b.append("| figure | measured | target | | load avg 1/5/15 m |\n|---|---|---|---|---|\n");
    if (r.freshness() != null) {
      FreshnessPhase f = r.freshness();
      Summary s = f.summary();
      row(b, "freshness, defaults (checkpoint " + f.checkpoint() + ", sensors " + f.sensor() + "), n=" + s.n(),
          String.format("p50 %s / p95 %s / max %s", sec(s.p50()), sec(s.p95()), sec(s.max())),
          "p50 ≤ " + sec(FRESHNESS_P50_TARGET_S) + ", p95 ≤ " + sec(FRESHNESS_P95_TARGET_S), s.p50() <= FRESHNESS_P50_TARGET_S && s.p95() <= FRESHNESS_P95_TARGET_S, f.load());
    }
    if (r.seedFreshness() != null) {
      FreshnessPhase f = r.seedFreshness();
      Summary s = f.summary();
      String ratio = r.freshness() == null ? "" : String.format("; ratio to defaults p50 %.2fx, p95 %.2fx",
          s.p50() / r.freshness().summary().p50(), s.p95() / r.freshness().summary().p95());
      row(b, "freshness, seed settings (checkpoint " + f.checkpoint() + ", sensors " + f.sensor() + "), n=" + s.n(),
          String.format("p50 %s / p95 %s / max %s%s", sec(s.p50()), sec(s.p95()), sec(s.max()), ratio), "baseline",
          null, f.load());
    }
    if (r.throughput() != null) {
      var t = r.throughput();
      for (ThroughputStep s : t.steps()) {
        row(b, String.format("throughput step %,d changes/s for %.0f s", s.targetRate(), s.seconds()),
            String.format("achieved %,.0f/s, freshness p50 %s / p95 %s; at the step's end Flink was %,d messages"
                + " behind and then committed %,.0f/s", s.achievedRate(), sec(s.freshness().p50()),
                sec(s.freshness().p95()), s.backlogAtEnd() == null ? -1 : s.backlogAtEnd().flinkLag(), s.flinkRate()),
            s.targetRate() == LOADED_STEP_RATE ? "held: p95 ≤ " + sec(t.p95LimitS()) + "; p95 ≤ "
                + sec(LOADED_STEP_P95_TARGET_S) : "held: p95 ≤ " + sec(t.p95LimitS()),
            s.passed() && (s.targetRate() != LOADED_STEP_RATE || s.freshness().p95() <= LOADED_STEP_P95_TARGET_S),
            s.load());
      }
      row(b, "**throughput** (highest step with p95 ≤ " + sec(t.p95LimitS()) + ")",
          String.format("**%,.0f changes/s**", t.bestRate()), String.format("≥ %,.0f/s", THROUGHPUT_TARGET), t.bestRate() >= THROUGHPUT_TARGET,
          t.steps().isEmpty() ? null : t.steps().get(t.steps().size() - 1).load());
    }
    if (r.incremental() != null) {
      var inc = r.incremental();
      for (IncrementalPoint p : inc.points()) {
        row(b, String.format("incremental run, %,d new events on %,d history", inc.newEvents(), p.history()),
            String.format("%.2f s wall, Trino CPU %.2f s, read %.1f MiB (history insert %.1f s, initial run %.1f s);"
                + " its checks %.2f s wall, Trino CPU %.2f s", p.incrementalS(), p.trinoCpuS(), p.readMib(),
                p.rawInsertS(), p.initialLoadS(), p.checksS(), p.checksCpuS()), "", null, p.load());
      }
      // the run target: every model once, sequentially here (the workflow runs a DAG level in parallel)
      IncrementalPoint first = inc.points().get(0);
      long slowest = first.perModelMs().values().stream().mapToLong(Long::longValue).max().orElse(0);
      row(b, String.format("one run of all %d models on %,d new events (%,d history): wall and per model",
              first.perModelMs().size(), inc.newEvents(), first.history()),
          String.format("%.2f s wall in %d Trino queries, Trino CPU %.2f s; per model %s", first.incrementalS(),
              first.queries(), first.trinoCpuS(), perModel(first.perModelMs())),
          "≤ " + RUN_TARGET_S + " s wall, ≤ " + MODEL_TARGET_S + " s per model",
          first.incrementalS() <= RUN_TARGET_S && slowest <= MODEL_TARGET_S * 1000, first.load());
      Map<String, Long> generated = generated(first.perModelMs());
      long slowestGenerated = generated.values().stream().mapToLong(Long::longValue).max().orElse(0);
      double generatedS = generatedSeconds(first.perModelMs());
      row(b, String.format("of it, the %d generated models (the user model of the bench left out)", generated.size()),
          String.format("%.2f s; slowest %.2f s", generatedS, slowestGenerated / 1e3),
          "≤ " + RUN_TARGET_S + " s wall, ≤ " + MODEL_TARGET_S + " s per model",
          generatedS <= RUN_TARGET_S && slowestGenerated <= MODEL_TARGET_S * 1000, null);
      for (Report.FullRefresh f : inc.fullRefreshes()) {
        row(b, String.format("full refresh of every model (%,d history) vs CREATE TABLE AS of the same rows",
                f.history()),
            String.format("%.2f s vs %.2f s: %.2fx; per model %s", f.fullRefreshS(), f.ctasS(), f.ratio(),
                perModel(f.perModelMs())), "≤ " + FULL_REFRESH_RATIO_TARGET + "x",
            f.ratio() <= FULL_REFRESH_RATIO_TARGET, f.load());
      }
      // each larger history against the smallest (one history size, --histories 10000: no ratio to show)
      for (Ratio q : ratios(inc)) {
        row(b, String.format("**incremental ratio** %,d vs %,d history (`%s`)", q.large(), q.small(), q.key()),
            String.format("**%.2fx** wall (Trino CPU %.2fx)", q.wall(), q.cpu()),
            "≤ " + INCREMENTAL_RATIO_TARGET + "x", q.wall() <= INCREMENTAL_RATIO_TARGET, q.load());
        row(b, String.format("incremental ratio with each model's checks, %,d vs %,d history", q.large(), q.small()),
            String.format("%.2fx wall (Trino CPU %.2fx)", q.withChecks(), q.withChecksCpu()),
            "≤ " + INCREMENTAL_RATIO_TARGET + "x", q.withChecks() <= INCREMENTAL_RATIO_TARGET, q.load());
      }
    }
    if (r.dispatch() != null) {
      var d = r.dispatch();
      row(b, "activity dispatch (scheduled → started), n=" + d.activityMs().n() + " (left out: "
          + d.retriedActivities() + " retried, " + d.workerDownActivities() + " waiting for a restarting worker)", String.format("p50 %s / p95 %s",
          ms(d.activityMs().p50()), ms(d.activityMs().p95())), "p50 ≤ 50 ms",
          d.activityMs().p50() <= DISPATCH_P50_TARGET_MS, d.load());
      row(b, "workflow-task dispatch, n=" + d.workflowTaskMs().n(), String.format("p50 %s / p95 %s",
          ms(d.workflowTaskMs().p50()), ms(d.workflowTaskMs().p95())), "", null, d.load());
      row(b, "orchestration time per materialization (no activity running), n=" + d.perMaterializationMs().n(),
          String.format("p50 %s / p95 %s (of a run's wall time p50 %s)", ms(d.perMaterializationMs().p50()),
              ms(d.perMaterializationMs().p95()), ms(d.materializationWallMs().p50())), "", null, d.load());
      d.executionByActivityType().forEach((type, s) -> row(b, "activity " + type + " runs (started → done), n="
          + s.n(), String.format("p50 %s / p95 %s", ms(s.p50()), ms(s.p95())), "", null, null));
    }
    if (r.console() != null) {
      ConsolePageLoad.Result c = r.console();
      String target = "p95 ≤ " + ms(ConsolePageLoad.P95_TARGET_MS);
      String of = String.format(" (%d assets, %,d materializations)", c.assets(), c.materializations());
      row(b, "console `/assets` page load" + of + ", n=" + c.assetsPageMs().n(), pms(c.assetsPageMs()), target,
          c.assetsPageMs().p95() <= ConsolePageLoad.P95_TARGET_MS, c.load());
      row(b, "console `/api/assets`" + of + ", n=" + c.apiAssetsMs().n() + "; answers showing a late Trino read: "
          + c.staleAnswers(), pms(c.apiAssetsMs()), target, c.apiAssetsMs().p95() <= ConsolePageLoad.P95_TARGET_MS,
          c.load());
      row(b, String.format("the Trino read behind both, alone, n=%d (%.1f queries, %.0f ms Trino CPU each)",
          c.trinoReadMs().n(), c.trinoQueriesPerRead(), c.trinoCpuMsPerRead()), pms(c.trinoReadMs()), "", null,
          c.load());
    }
    if (r.stack() != null) {
      row(b, "stack cold start to all healthy", sec(r.stack().coldStartS()), "", null, r.stack().load());
      row(b, "stack RSS (8 services; at start / at the end, worker included)", String.format("%.2f / %.2f GiB",
          r.stack().rssGib(), r.stack().rssEndGib()), String.format("≤ %.0f GiB at the end", RSS_END_TARGET_GIB),
          Double.isNaN(r.stack().rssEndGib()) ? null : r.stack().rssEndGib() <= RSS_END_TARGET_GIB, r.stack().load());
    }
    if (!r.notes().isEmpty()) {
      b.append('\n');
      r.notes().forEach(n -> b.append("- ").append(n).append('\n'));
    }
    return b.toString();
  }

  /**
   * An incremental run on history {@code large} against one on {@code small}: wall and Trino CPU, then each with
   * the run's checks added; {@code key} names it as results.json does ({@code incremental_ratio_10m_vs_10k});
   * {@code load} is the machine's when the run on {@code large} was taken.
   */
  record Ratio(long large, long small, String key, double wall, double cpu, double withChecks, double withChecksCpu,
      Load load) {
    /** {@code incremental_ratio_10m_vs_10k (10,000,000 vs 10,000 history): 1.10x wall, 1.30x Trino CPU; ...} */
    String line() {
      return String.format("%s (%,d vs %,d history): %.2fx wall, %.2fx Trino CPU; with the checks %.2fx wall, %.2fx"
          + " Trino CPU; target ≤ %sx: %s (load %s)", key, large, small, wall, cpu, withChecks, withChecksCpu,
          INCREMENTAL_RATIO_TARGET, wall <= INCREMENTAL_RATIO_TARGET ? "met" : "missed", load);
    }
  }

  /** Every history but the smallest against the smallest, smallest first. */
  static List<Ratio> ratios(Report.Incremental inc) {
    List<IncrementalPoint> points = inc.points();
    if (points.size() < 2) {
      return List.of();
    }
    long small = points.stream().mapToLong(IncrementalPoint::history).min().orElseThrow();
    return points.stream().filter(p -> p.history() != small)
        .sorted((a, b) -> Long.compare(a.history(), b.history()))
        .map(l -> new Ratio(l.history(), small, "incremental_ratio_" + label(l.history()) + "_vs_" + label(small),
            IncrementalScaling.ratio(points, l.history(), small, IncrementalPoint::incrementalS),
            IncrementalScaling.ratio(points, l.history(), small, IncrementalPoint::trinoCpuS),
            IncrementalScaling.ratio(points, l.history(), small, p -> p.incrementalS() + p.checksS()),
            IncrementalScaling.ratio(points, l.history(), small, p -> p.trinoCpuS() + p.checksCpuS()), l.load()))
        .toList();
  }

  /** A history size as the keys name it: {@code 10k}, {@code 1m}, {@code 10m}; a size not so round as it is. */
  static String label(long history) {
    if (history >= 1_000_000 && history % 1_000_000 == 0) {
      return history / 1_000_000 + "m";
    }
    if (history >= 1_000 && history % 1_000 == 0) {
      return history / 1_000 + "k";
    }
    return Long.toString(history);
  }

  /** The models the spec generates (parsed and vault): a run's models without the bench's user model. */
  static Map<String, Long> generated(Map<String, Long> perModelMs) {
    Map<String, Long> out = new LinkedHashMap<>(perModelMs);
    out.remove(BenchUserModel.KEY);
    return out;
  }

  /** The models run one after the other in the bench: their wall time is the sum of theirs. */
  static double generatedSeconds(Map<String, Long> perModelMs) {
    return generated(perModelMs).values().stream().mapToLong(Long::longValue).sum() / 1e3;
  }

  /** {@code h_users 0.81 s, s_users 1.20 s}: the model's table name, its wall time. */
  static String perModel(java.util.Map<String, Long> ms) {
    return ms.entrySet().stream().map(e -> String.format("%s %.2f s",
        e.getKey().substring(e.getKey().indexOf('.') + 1), e.getValue() / 1e3))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private static void row(StringBuilder b, String figure, String value, String target, Boolean met, Load load) {
    b.append("| ").append(figure).append(" | ").append(value).append(" | ").append(target).append(" | ")
        .append(met == null ? "" : met ? "met" : "**missed**").append(" | ")
        .append(load == null ? "" : load.toString()).append(" |\n");
  }

  static String sec(double s) {
    return Double.isNaN(s) ? "-" : Double.isInfinite(s) ? "never" : String.format("%.1f s", s);
  }

  private static String pms(Summary s) {
    return String.format("p50 %s / p95 %s / max %s", ms(s.p50()), ms(s.p95()), ms(s.max()));
  }

  static String ms(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.0f ms", v);
  }

  public static void write(Report r, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.json"), json(r));
    Files.writeString(dir.resolve("summary.md"), markdown(r));
  }

  /** JSON has no NaN or Infinity: a figure not measured, or a row never seen, is null. */
  private static final class FiniteOrNull extends JsonSerializer<Double> {
    @Override
    public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
      if (v == null || v.isNaN() || v.isInfinite()) {
        g.writeNull();
      } else {
        g.writeNumber(v);
      }
    }
  }
}
