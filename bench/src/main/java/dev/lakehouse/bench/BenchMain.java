package dev.lakehouse.bench;

import dev.lakehouse.bench.Report.FreshnessPhase;
import dev.lakehouse.bench.Report.Load;
import dev.lakehouse.bench.Report.Sample;
import dev.lakehouse.bench.Report.StackFigures;
import dev.lakehouse.bench.Report.ThroughputStep;
import dev.lakehouse.models.MaintenanceSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.stack.Demo;
import dev.lakehouse.stack.StackFiles;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `./lakehouse bench [--quick]`: starts a local stack of its own (free ports, own state dir), measures, and writes
 * results.json, summary.md and PNG charts to bench/target/bench. Order: cold start; incremental scaling (Trino
 * only, before any pipeline runs); the asset console's page load (no worker either); the worker with the
 * automation; freshness with the project's defaults; the same
 * with the seed's settings; throughput steps (last: a failed step leaves a backlog behind); dispatch latency from
 * the histories of every workflow that ran; the stack stopped.
 */
@Command(name = "lakehouse bench", mixinStandardHelpOptions = true,
    description = "Benchmarks on a local stack of its own: freshness, throughput, incremental scaling, orchestration"
        + " overhead, cold start and RSS. Writes bench/target/bench/{results.json,summary.md,*.png}.")
public final class BenchMain implements Callable<Integer> {
  static final Set<String> PHASES = Set.of("incremental", "freshness", "short", "seed", "throughput", "dispatch",
      "console");
  /** The {@code short} phase: freshness with shorter intervals than the spec's defaults, and its small-file cost. */
  static final String SHORT_CHECKPOINT = "3s";
  static final String SHORT_SENSOR = "1s";

  @Option(names = "--quick", description = "Fewer samples, two rate steps, two history sizes: under 10 minutes.")
  boolean quick;

  @Option(names = "--out", description = "Output directory (default: bench/target/bench of the checkout).")
  Path out;

  @Option(names = "--rates", split = ",", description = "Rate steps in changes/s (default: by --quick).")
  List<Integer> rates;

  @Option(names = "--histories", split = ",", description = "History sizes in events (default: 10000,1000000 with"
      + " --quick, else 10000,100000,1000000,10000000).")
  List<Long> histories;

  @Option(names = "--only", split = ",", description = "Only these phases: ${COMPLETION-CANDIDATES} (default all).",
      completionCandidates = PhaseNames.class)
  List<String> only;

  private final long t0 = System.nanoTime();

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Plan plan = quick ? Plan.quickRun() : Plan.fullRun();
    if (rates != null) {
      plan = plan.withRates(rates);
    }
    if (histories != null) {
      plan = plan.withHistories(histories);
    }
    Path root = StackFiles.reactorRoot(Paths.get("").toAbsolutePath());
    Path dir = out != null ? out : (root != null ? root.resolve("bench/target/bench") : Paths.get("target/bench"));
    String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Machine machine = Machine.current();
    progress("bench", String.format("%s, %d cores, %.1f GiB, load %s; output %s", quick ? "quick" : "full",
        machine.cores(), machine.memoryGib(), Load.now(), dir));
    List<String> notes = new ArrayList<>();
    FreshnessPhase fresh = null;
    FreshnessPhase seed = null;
    Report.Throughput throughput = null;
    Report.Incremental incremental = null;
    Report.Dispatch dispatch = null;
    ConsolePageLoad.Result console = null;
    StackFigures stackFigures;
    try (BenchStack bs = BenchStack.start(dir.resolve("stack"), line -> progress("stack", line))) {
      Load coldLoad = Load.now();
      double cold = bs.up().seconds();
      double rss = bs.up().rssBytes() / (double) (1L << 30);
      progress("stack", String.format("cold start: all healthy in %.1f s, RSS %.2f GiB (load %s)", cold, rss, coldLoad));
      PipelineSpec defaults = bs.spec(Map.of());
      if (wants("incremental")) {
        progress("incremental", "histories " + plan.histories() + ", " + plan.newEvents() + " new events each");
        incremental = new IncrementalScaling(defaults, new TrinoQueryStats(bs.endpoints()),
            m -> progress("incremental", m)).run(plan.histories(), plan.newEvents(), plan.repeats());
        ResultsWriter.ratios(incremental).forEach(q -> progress("incremental", q.line()));
      }
      if (wants("console")) { // before the pipeline: it needs no worker, and leaves only ops rows behind
        console = new ConsolePageLoad(bs, m -> progress("console", m)).run(dir, quick ? 50 : 200);
      }
      if (wants("freshness") || wants("short") || wants("seed") || wants("throughput") || wants("dispatch")) {
        progress("pipeline", "starting the worker (automation on, project defaults)");
        bs.startWorker(Map.of());
        Demo.apply(bs.endpoints(), defaults.source().slot(), 600, m -> progress("pipeline", m));
        progress("pipeline", "seed scenario applied; waiting for the probe row in data_vault.s_users");
        try (FreshnessProbe probe = new FreshnessProbe(bs.endpoints())) {
          probe.start(true);
          probe.awaitVisible("start", Duration.ofMinutes(10));
          progress("pipeline", "pipeline flowing");
          // Trino's duration syntax: 500ms stays 500ms where whole seconds would print 0s
          String cp = MaintenanceSql.trinoDuration(defaults.schedules().flinkCheckpointInterval());
          String sensor = MaintenanceSql.trinoDuration(defaults.schedules().sensorInterval());
          if (wants("freshness")) {
            fresh = freshness(probe, "defaults", cp, sensor, plan.freshUpdates(), plan.freshIntervalMs(), 180, notes);
          }
          if (wants("short")) {
            progress("short", "restarting the worker, sensors and Flink job with checkpoint " + SHORT_CHECKPOINT
                + ", sensors " + SHORT_SENSOR);
            bs.restartWith(Map.of(BenchStack.CHECKPOINT_ENV, SHORT_CHECKPOINT, BenchStack.SENSOR_ENV, SHORT_SENSOR));
            FreshnessPhase p = freshness(probe, "short intervals", SHORT_CHECKPOINT, SHORT_SENSOR, plan.freshUpdates(),
                plan.freshIntervalMs(), 180, notes);
            notes.add(String.format("freshness with checkpoint %s, sensors %s: p50 %.1f s / p95 %.1f s / max %.1f s"
                + " (load %s)", SHORT_CHECKPOINT, SHORT_SENSOR, p.summary().p50(), p.summary().p95(), p.summary().max(),
                p.load()));
            progress("short", "back to the project defaults");
            bs.restartWith(Map.of());
          }
          if (wants("seed")) {
            progress("seed", "restarting the worker, sensors and Flink job with checkpoint 60 s, sensors 30 s");
            bs.restartWith(Map.of(BenchStack.CHECKPOINT_ENV, "60s", BenchStack.SENSOR_ENV, "30s"));
            seed = freshness(probe, "seed settings", "60s", "30s", plan.seedUpdates(), plan.seedIntervalMs(), 240,
                notes);
            progress("seed", "back to the project defaults");
            bs.restartWith(Map.of());
          }
          if (wants("throughput")) {
            probe.start(false); // raw_data grows fast now: poll the vault only
            throughput = throughput(bs, probe, plan, defaults.source().slot(), defaults.source().topic("users"));
          }
        }
        if (wants("dispatch")) {
          progress("dispatch", "reading the histories of every workflow run");
          dispatch = Histories.dispatch(bs.client(), bs.endpoints().temporal().namespace(), 1000,
              bs.workerDownWindows());
          progress("dispatch", String.format("%d histories: activity dispatch p50 %.0f ms / p95 %.0f ms over %d"
              + " activities; per materialization %.0f / %.0f ms", dispatch.histories(), dispatch.activityMs().p50(),
              dispatch.activityMs().p95(), dispatch.activityMs().n(), dispatch.perMaterializationMs().p50(),
              dispatch.perMaterializationMs().p95()));
        }
      }
      double rssEnd = bs.rssBytes() / (double) (1L << 30);
      String breakdown = bs.rssBreakdown();
      progress("stack", String.format("RSS at the end %.2f GiB: %s", rssEnd, breakdown));
      notes.add(String.format("RSS at the end, %.2f GiB: %s", rssEnd, breakdown));
      stackFigures = new StackFigures(cold, rss, rssEnd, coldLoad);
      progress("stack", "stopping");
    }
    notes.add("Load averages are the machine's (1/5/15 min) when each figure was taken; the machine is shared, so"
        + " with a load above the core count every figure is inflated.");
    Report report = new Report(startedAt, quick, (System.nanoTime() - t0) / 1e9, machine, stackFigures, fresh, seed,
        throughput, incremental, dispatch, notes, console);
    ResultsWriter.write(report, dir);
    List<Path> charts = Charts.write(report, dir);
    progress("bench", "wrote " + dir.resolve("results.json") + ", " + dir.resolve("summary.md") + ", " + charts);
    System.out.println();
    System.out.println(ResultsWriter.markdown(report));
    return 0;
  }

  private boolean wants(String phase) {
    return only == null || only.isEmpty() || only.contains(phase);
  }

  /** {@code n} single-row updates of the probe, one every {@code intervalMs}; each one's commit → visible. */
  private FreshnessPhase freshness(FreshnessProbe probe, String name, String cp, String sensor, int n, int intervalMs,
      int maxWaitS, List<String> notes) throws Exception {
    Map<String, TableFiles.Count> filesBefore = TableFiles.now(probe.endpoints());
    progress(name, String.format("%d updates, one every %.1f s (checkpoint %s, sensors %s)", n, intervalMs / 1e3, cp,
        sensor));
    List<String> markers = new ArrayList<>();
    long t0 = System.nanoTime();
    Instant started = Instant.now();
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      String m = name.replace(' ', '-') + "-" + i;
      probe.commit(m);
      markers.add(m);
      Thread.sleep(Math.max(0, intervalMs - (System.nanoTime() - s) / 1_000_000));
    }
    boolean all = probe.awaitAll(markers, System.nanoTime() + maxWaitS * 1_000_000_000L);
    List<Sample> samples = probe.samples(markers, t0);
    FreshnessPhase p = new FreshnessPhase(name, cp, sensor, Stats.summarize(samples.stream()
        .map(Sample::latencyS).toList()), samples, ModelRuns.since(probe.endpoints(), started), Load.now());
    Stats.Summary raw = Stats.summarize(samples.stream().map(Sample::rawS).filter(Double::isFinite).toList());
    progress(name, String.format("commit -> s_users p50 %.1f s, p95 %.1f s, max %.1f s%s; of which commit -> raw_data"
        + " p50 %.1f s, p95 %.1f s (load %s)", p.summary().p50(), p.summary().p95(), p.summary().max(),
        all ? "" : " (some never seen)", raw.p50(), raw.p95(), p.load()));
    p.modelRuns().forEach((asset, runs) -> progress(name, "  " + asset + ": " + runs));
    Duration took = Duration.between(started, Instant.now());
    String files = String.format("small files, %s (checkpoint %s, sensors %s), over its %d s: %s", name, cp, sensor,
        took.toSeconds(), TableFiles.growth(filesBefore, TableFiles.now(probe.endpoints()), took));
    progress(name, files);
    notes.add(files);
    return p;
  }

  /**
   * Rate steps up, stopping at the first that fails (p95 over the limit, or the driver could not keep the rate).
   * When the very first step fails, the rate is halved instead, up to {@code stepsDown} times, after the backlog of
   * the failed step has drained: the figure is then the highest rate that held, below the first one tried.
   */
  private Report.Throughput throughput(BenchStack bs, FreshnessProbe probe, Plan plan, String slot, String topic)
      throws Exception {
    LoadDriver driver = new LoadDriver(bs.endpoints());
    List<ThroughputStep> steps = new ArrayList<>();
    List<Integer> rates = new ArrayList<>(plan.rates());
    double best = 0;
    int down = 0;
    for (int i = 0; i < rates.size(); i++) {
      ThroughputStep step = step(driver, probe, plan, rates.get(i), slot, topic);
      steps.add(step);
      if (step.passed()) {
        best = Math.max(best, step.achievedRate());
        continue;
      }
      if (best > 0 || down >= plan.stepsDown()) { // a lower step held already, or no more halving
        break;
      }
      down++;
      int lower = rates.get(i) / 2;
      rates.subList(i + 1, rates.size()).clear();
      rates.add(lower);
      String marker = "drain-" + rates.get(i);
      long t = System.nanoTime();
      probe.commit(marker);
      progress("throughput", "waiting for the backlog of the failed step to drain before trying " + lower + "/s");
      if (!probe.awaitAll(List.of(marker), System.nanoTime() + Duration.ofMinutes(10).toNanos())) {
        progress("throughput", "not drained after 10 min: no lower step");
        break;
      }
      progress("throughput", String.format("drained in %.0f s", (System.nanoTime() - t) / 1e9));
    }
    return new Report.Throughput(best, plan.p95LimitS(), steps);
  }

  /** One rate step: the driver for the step's duration, the probe updated every second meanwhile. */
  private ThroughputStep step(LoadDriver driver, FreshnessProbe probe, Plan plan, int rate, String slot,
      String topic) throws Exception {
    progress("throughput", String.format("%,d changes/s for %d s (probe row updated every second)", rate,
        plan.stepSeconds()));
    List<String> markers = new ArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    long t0 = System.nanoTime();
    Instant started = Instant.now();
    Thread prober = new Thread(() -> {
      int i = 0;
      while (running.get()) {
        long s = System.nanoTime();
        String m = "tp" + rate + "-" + (i++);
        try {
          probe.commit(m);
          synchronized (markers) {
            markers.add(m);
          }
          Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - s) / 1_000_000));
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          progress("throughput", "probe update failed: " + e.getMessage());
        }
      }
    }, "throughput-prober");
    prober.start();
    LoadDriver.Run run;
    try {
      run = driver.run(rate, plan.stepSeconds(), "r" + rate);
    } finally {
      running.set(false);
      prober.join();
    }
    Backlog atEnd = Backlog.take(probe.endpoints(), slot, topic);
    progress("throughput", String.format("driven %,d changes in %.1f s = %,.0f/s; %s; waiting for the probe rows",
        run.changes(), run.seconds(), run.rate(), atEnd));
    List<String> ms;
    synchronized (markers) {
      ms = List.copyOf(markers);
    }
    probe.awaitAll(ms, System.nanoTime() + (long) ((plan.p95LimitS() + 5) * 1e9));
    List<Sample> samples = probe.samples(ms, t0);
    Backlog afterWait = Backlog.take(probe.endpoints(), slot, topic);
    double flinkRate = Backlog.flinkRate(atEnd, afterWait);
    Stats.Summary f = Stats.summarize(samples.stream().map(Sample::latencyS).toList());
    boolean kept = run.rate() >= 0.9 * rate;
    boolean passed = kept && f.p95() <= plan.p95LimitS();
    ThroughputStep step = new ThroughputStep(rate, run.rate(), run.changes(), run.seconds(), f, samples, passed,
        ModelRuns.since(probe.endpoints(), started), atEnd, afterWait, flinkRate, Load.now());
    progress("throughput", String.format("after the wait: %s; Flink committed %,.0f messages/s meanwhile", afterWait,
        flinkRate));
    progress("throughput", String.format("%,d/s: achieved %,.0f/s, freshness p50 %s / p95 %s / max %s -> %s (load %s)",
        rate, run.rate(), ResultsWriter.sec(f.p50()), ResultsWriter.sec(f.p95()), ResultsWriter.sec(f.max()),
        passed ? "PASS" : kept ? "FAIL (p95 over " + ResultsWriter.sec(plan.p95LimitS()) + ")"
            : "FAIL (driver could not keep the rate)", step.load()));
    step.modelRuns().forEach((asset, runs) -> progress("throughput", "  " + asset + ": " + runs));
    return step;
  }

  private void progress(String phase, String message) {
    System.out.printf("[%6.1f s] %-12s %s%n", (System.nanoTime() - t0) / 1e9, phase, message);
    System.out.flush();
  }

  /** The phase names, for --only's help text. */
  static final class PhaseNames extends ArrayList<String> {
    PhaseNames() {
      super(PHASES.stream().sorted().toList());
    }
  }
}
