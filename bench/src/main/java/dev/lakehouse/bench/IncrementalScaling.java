package dev.lakehouse.bench;

import dev.lakehouse.activities.iceberg.CatalogActivitiesImpl;
import dev.lakehouse.activities.trino.CheckRunner;
import dev.lakehouse.activities.trino.ModelRunner;
import dev.lakehouse.activities.trino.TrinoConnections;
import dev.lakehouse.bench.Report.IncrementalPoint;
import dev.lakehouse.models.CheckResultsSql;
import dev.lakehouse.models.CheckShapesSql;
import dev.lakehouse.models.CheckSql;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.models.RawColumns;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.CheckRequest;
import dev.lakehouse.workflows.activities.MaterializeResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The flat cost of docs/architecture.md#flat-cost-as-history-grows, measured: the cost of an incremental run of
 * every generated model and an incremental user model ({@link BenchUserModel}), and of their checks, with {@code newEvents} new change events on top of histories of different sizes, on the stack's real
 * Trino, with no pipeline running (before the worker starts). History: users with 10 versions each on average,
 * one Kafka partition, generated inside Trino by INSERTs of at most {@link #INSERT_MAX_EVENTS} events each (one
 * commit each, like a checkpoint), then one initial run of every model; then the new events and the timed
 * incremental run. Leaves every lakehouse table dropped (the ingestion setup recreates them).
 */
final class IncrementalScaling {
  private static final String RAW_USERS = "iceberg." + PipelineSpec.RAW_SCHEMA + ".users";
  /**
   * Events per history INSERT: a history of 1,000,000 went in as one INSERT in seconds; 10,000,000 go in as ten,
   * each a commit, with a progress line after each rather than minutes of one statement with nothing to show.
   */
  static final long INSERT_MAX_EVENTS = 1_000_000;
  /**
   * The largest history that gets a full refresh: its figure ({@code full_refresh_vs_ctas_ratio}) is the smallest
   * history's, and on 10,000,000 events the refresh and its copies would take about as long as the initial run.
   */
  static final long FULL_REFRESH_MAX_HISTORY = 1_000_000;
  /** Seconds between the progress lines of a long step ({@link Ticker}). */
  private static final long TICK_S = 60;
  private final PipelineSpec spec;
  private final TrinoConnections trino;
  private final ModelSql sql;
  private final Consumer<String> out;
  private final TrinoQueryStats stats;
  private int runs;

  IncrementalScaling(PipelineSpec spec, TrinoQueryStats stats, Consumer<String> out) {
    this.stats = stats;
    this.spec = BenchUserModel.addTo(spec);
    this.trino = new TrinoConnections(spec.trino());
    this.sql = new ModelSql(this.spec);
    this.out = out;
  }

  /**
   * For each history size: {@code repeats} incremental runs, each after {@code newEvents} more events; the point
   * is the run with the (lower) median wall time (the machine may be shared, and the very first run pays the JIT
   * warm-up of Trino and the runner: of two runs, the faster), with its Trino CPU time and bytes read.
   */
  Report.Incremental run(List<Long> histories, int newEvents, int repeats) throws Exception {
    List<IncrementalPoint> points = new ArrayList<>();
    List<Report.FullRefresh> refreshes = new ArrayList<>();
    for (long history : histories) {
      reset(true);
      // a runner of its own per history: reset dropped every table, and a runner remembers what it created
      ModelRunner runner = new ModelRunner(sql, trino, Clock.systemUTC());
      CheckRunner checker = new CheckRunner(new CheckSql(spec), trino, Clock.systemUTC());
      long t0 = System.nanoTime();
      generate(0, history, history / 10);
      long loaded = System.nanoTime();
      initialRun(runner, history);
      long initial = System.nanoTime();
      List<IncrementalPoint> tries = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        generate(history + (long) r * newEvents, newEvents, history / 10);
        Instant from = Instant.now().minusMillis(50);
        Map<String, Long> perModel = new LinkedHashMap<>();
        Map<String, MaterializeResult> written = new LinkedHashMap<>();
        long total = 0;
        String runId = "bench-incremental-" + (++runs);
        for (String m : models()) {
          long s = System.nanoTime();
          written.put(m, runner.materialize(m, runId, false));
          long ms = (System.nanoTime() - s) / 1_000_000;
          perModel.put(m, ms);
          total += ms;
        }
        TrinoQueryStats.Totals t = stats.since(from); // the models' queries only: the checks start after this
        // the checks a run does after each model, over what it wrote, then the one write of all their results at
        // the run's end (docs/models.md#checks), timed apart from the models
        Instant checksFrom = Instant.now().minusMillis(50);
        long c0 = System.nanoTime();
        List<AssetCheckReport> reports = new ArrayList<>();
        for (Map.Entry<String, MaterializeResult> e : written.entrySet()) {
          reports.add(checker.evaluate(e.getKey(), CheckRequest.after(runId, false, e.getValue()), st -> { }));
        }
        checker.record(new CheckRecord(runId, false, reports), false);
        double checksS = (System.nanoTime() - c0) / 1e9;
        TrinoQueryStats.Totals ct = stats.since(checksFrom);
        // the checks of a run that read nothing for any model (no new data; or a model of another table in a
        // sensor's run): each checks its latest batch again (docs/models.md#checks), not written
        Instant againFrom = Instant.now().minusMillis(50);
        long a0 = System.nanoTime();
        for (String m : written.keySet()) {
          checker.evaluate(m, CheckRequest.after(runId + "-nothing-read", false, new MaterializeResult(m, 0, 0, 0)),
              st -> { });
        }
        double againS = (System.nanoTime() - a0) / 1e9;
        TrinoQueryStats.Totals at = stats.since(againFrom);
        IncrementalPoint p = new IncrementalPoint(history, (loaded - t0) / 1e9, (initial - loaded) / 1e9, total / 1e3,
            t.cpuSeconds(), t.bytesRead() / (1024 * 1024), t.queries(), perModel, Report.Load.now(), checksS,
            ct.cpuSeconds(), t.byKind());
        tries.add(p);
        out.accept(String.format("incremental: %,d new events on %,d history: %.2f s wall, Trino CPU %.2f s, read %.2f MiB"
            + " in %d queries (history insert %.1f s, initial run %.1f s; load %s) %s; checks of every model %.2f s"
            + " wall, Trino CPU %.2f s in %d queries (%s); after a run that read nothing %.2f s in %d queries (%s);"
            + " the models' queries: %s; the heaviest: %s", newEvents, history, p.incrementalS(), p.trinoCpuS(),
            p.readMib(), p.queries(), p.rawInsertS(), p.initialLoadS(), p.load(), perModel, p.checksS(),
            p.checksCpuS(), ct.queries(), ct.kinds(), againS, at.queries(), at.kinds(), t.kinds(), t.heaviest(4)));
      }
      tries.sort((a, b) -> Double.compare(a.incrementalS(), b.incrementalS()));
      points.add(tries.get((tries.size() - 1) / 2));
      if (history > FULL_REFRESH_MAX_HISTORY) {
        out.accept(String.format("no full refresh on %,d history (only up to %,d)", history,
            FULL_REFRESH_MAX_HISTORY));
        continue;
      }
      Report.FullRefresh f;
      try (Ticker t = Ticker.every(TICK_S, () -> "full refresh of every model on " + String.format("%,d", history)
          + " history", out)) {
        f = new FullRefreshCost(sql, trino).measure(history, runner, "bench-full-refresh-" + (++runs));
      }
      refreshes.add(f);
      out.accept(String.format("full refresh of every model on %,d history: %.2f s wall against %.2f s for a CREATE"
          + " TABLE AS of the same rows (%.2fx; load %s); per model %s, the copies %s", history, f.fullRefreshS(),
          f.ctasS(), f.ratio(), f.load(), f.perModelMs(), f.ctasPerModelMs()));
    }
    reset(false);
    return new Report.Incremental(newEvents, points, ratio(points, IncrementalPoint::incrementalS),
        ratio(points, IncrementalPoint::trinoCpuS), refreshes);
  }

  /**
   * A measure of the point on history {@code large} over the same on {@code small}
   * ({@code incremental_ratio_10m_vs_10k}: 10,000,000 over 10,000); NaN when either was not measured.
   */
  static double ratio(List<IncrementalPoint> points, long large, long small,
      ToDoubleFunction<IncrementalPoint> measure) {
    IncrementalPoint l = points.stream().filter(p -> p.history() == large).findFirst().orElse(null);
    IncrementalPoint s = points.stream().filter(p -> p.history() == small).findFirst().orElse(null);
    return l == null || s == null ? Double.NaN : measure.applyAsDouble(l) / measure.applyAsDouble(s);
  }

  /** A measure of the point on the largest history over the same on the smallest (wall time, Trino CPU). */
  static double ratio(List<IncrementalPoint> points, ToDoubleFunction<IncrementalPoint> measure) {
    if (points.size() < 2) {
      return Double.NaN;
    }
    IncrementalPoint small = points.stream().min((a, b) -> Long.compare(a.history(), b.history())).orElseThrow();
    IncrementalPoint large = points.stream().max((a, b) -> Long.compare(a.history(), b.history())).orElseThrow();
    return measure.applyAsDouble(large) / measure.applyAsDouble(small);
  }

  /** The generated models in dependency order, then the user model ({@link BenchUserModel}). */
  private List<String> models() {
    List<String> models = new ArrayList<>(sql.modelKeys());
    models.add(BenchUserModel.KEY);
    return models;
  }

  /** Drops every model table, raw table and the ops history; with {@code recreate}, the raw tables come back. */
  void reset(boolean recreate) throws SQLException {
    List<String> drops = new ArrayList<>();
    // the user model's schema is created by its first run: make the drop work before that too
    drops.add("CREATE SCHEMA IF NOT EXISTS iceberg." + BenchUserModel.KEY.substring(0, BenchUserModel.KEY.indexOf('.')));
    drops.add("DROP TABLE IF EXISTS " + ModelSql.table(BenchUserModel.KEY));
    for (String m : sql.modelKeys()) {
      sql.model(m).targets().forEach(t -> drops.add("DROP TABLE IF EXISTS " + t));
    }
    spec.tables().forEach(t -> drops.add("DROP TABLE IF EXISTS iceberg." + PipelineSpec.RAW_SCHEMA + "." + t.name()));
    drops.add("DROP TABLE IF EXISTS " + OpsSql.TABLE);
    drops.add("DROP TABLE IF EXISTS " + CheckResultsSql.TABLE);
    drops.add("DROP TABLE IF EXISTS " + CheckShapesSql.TABLE);
    CatalogActivitiesImpl catalog = new CatalogActivitiesImpl(spec);
    catalog.ensureNamespaces();
    try (Connection c = trino.open(); Statement st = c.createStatement()) {
      for (String d : drops) {
        st.execute(d);
      }
    }
    if (recreate) {
      catalog.ensureRawTables();
    }
  }

  /** Every model once over the whole history, as the first run after a backlog; a progress line per minute. */
  private void initialRun(ModelRunner runner, long history) throws SQLException {
    AtomicReference<String> model = new AtomicReference<>("");
    AtomicInteger statements = new AtomicInteger();
    Map<String, String> perModel = Collections.synchronizedMap(new LinkedHashMap<>()); // the ticker prints it
    long t0 = System.nanoTime();
    try (Ticker t = Ticker.every(TICK_S, () -> String.format("initial run on %,d history: %s, its statement %d;"
        + " done %s", history, model.get(), statements.get(), perModel), out)) {
      for (String m : models()) {
        model.set(m);
        statements.set(0);
        long s = System.nanoTime();
        MaterializeResult r = runner.materialize(m, "bench-initial-" + (++runs), false, false,
            (st, jdbc) -> statements.incrementAndGet());
        perModel.put(m, String.format("%.1f s (%,d rows in)", (System.nanoTime() - s) / 1e9, r.rowsIn()));
      }
    }
    out.accept(String.format("initial run on %,d history: %.1f s (load %s); per model %s", history,
        (System.nanoTime() - t0) / 1e9, Report.Load.now(), perModel));
  }

  /**
   * The INSERTs of {@code count} events from {@code first}, at most {@code max} each: {@code [first, count]} pairs,
   * in order, covering the range once.
   */
  static List<long[]> chunks(long first, long count, long max) {
    List<long[]> out = new ArrayList<>();
    for (long done = 0; done < count; done += max) {
      out.add(new long[] {first + done, Math.min(max, count - done)});
    }
    return out;
  }

  /**
   * {@code count} user events with offsets and LSNs from {@code first}: event i touches user i % keys (created by
   * its first event, updated after), generated inside Trino by INSERTs of at most {@link #INSERT_MAX_EVENTS}.
   */
  private void generate(long first, long count, long keys) throws SQLException {
    List<long[]> parts = chunks(first, count, INSERT_MAX_EVENTS);
    long t0 = System.nanoTime();
    for (long[] part : parts) {
      insert(part[0], part[1], keys);
      if (parts.size() > 1) {
        out.accept(String.format("history: %,d of %,d events inserted in %.1f s (load %s)",
            part[0] + part[1] - first, count, (System.nanoTime() - t0) / 1e9, Report.Load.now()));
      }
    }
  }

  /** One INSERT of {@code count} events from {@code first} (see {@link #generate}). */
  private void insert(long first, long count, long keys) throws SQLException {
    long outer = Math.max(1, (count + 999) / 1000);
    String insert = "INSERT INTO " + RAW_USERS + " (" + String.join(", ", RawColumns.NAMES) + ")\n"
        + "SELECT '{\"id\":\"' || to_hex(to_big_endian_32(CAST(k AS integer))) || '-0000-4000-8000-000000000000\","
        + "\"email\":\"u' || CAST(k AS varchar) || '@x.io\",\"name\":\"n' || CAST(i AS varchar) || '\","
        + "\"created_at\":20000}',\n"
        + "  CASE WHEN i < " + keys + " THEN 'c' ELSE 'u' END, 1795000000000 + i, 1795000000000 + i, 1000 + i,\n"
        + "  1000000000 + 10 * i, 'postgresql', 'bank', 'public', 'users', 0, i,\n"
        + "  from_unixtime(1795000000 + i / 1000e0), from_unixtime(1795000000 + i / 1000e0)\n"
        + "FROM (SELECT " + first + " + y * 1000 + x AS i, (" + first + " + y * 1000 + x) % " + keys + " AS k\n"
        + "  FROM UNNEST(sequence(0, 999)) a(x) CROSS JOIN UNNEST(sequence(0, " + (outer - 1) + ")) b(y))\n"
        + "WHERE i < " + (first + count);
    try (Connection c = trino.open(); Statement st = c.createStatement()) {
      st.execute(insert);
    }
  }
}
