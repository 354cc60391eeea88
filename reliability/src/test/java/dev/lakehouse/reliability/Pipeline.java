package dev.lakehouse.reliability;

import dev.lakehouse.reliability.oracle.Comparison;
import dev.lakehouse.reliability.oracle.Expected;
import dev.lakehouse.reliability.oracle.LakehouseReader;
import dev.lakehouse.reliability.oracle.Table;
import dev.lakehouse.reliability.workload.BankWorkload;
import dev.lakehouse.reliability.workload.WorkloadConfig;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.Stack;
import dev.lakehouse.stack.StackEndpoints;
import dev.lakehouse.stack.WorkerProcess;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What every reliability IT shares in one JVM: the stack (free ports), the worker as its own process (the shaded
 * jar, automation on, as `./lakehouse up` runs it), one seeded workload whose committed changes accumulate across
 * the scenarios, the oracle comparison, and the report. Closed once, when the test plan ends.
 */
final class Pipeline implements AutoCloseable {
  static final long SEED = Long.getLong("reliability.seed", 20261126L);
  static final boolean SOAK = Boolean.getBoolean("reliability.soak");
  /** Short sensor and checkpoint intervals: recovery is measured, not waited for. */
  static final Map<String, String> WORKER_ENV = Map.of("LAKEHOUSE_SENSOR_INTERVAL", "2s",
      "LAKEHOUSE_FLINK_CHECKPOINT_INTERVAL", "5s", "LAKEHOUSE_AUTOMATION", "on");

  /**
   * How long the suite's last check waits with no workload before comparing once more: longer than a sensor
   * interval plus a checkpoint plus a run, so a late replay or a second run would have shown.
   */
  static final Duration QUIET_PERIOD = Duration.ofSeconds(45);

  final Stack stack;
  final Endpoints endpoints;
  /** The spec the lakehouse runs: the bundled one, then the one a scenario applied ({@link #applied}). */
  volatile PipelineSpec spec;
  final WorkerProcess worker;
  final BankWorkload workload;
  final LakehouseReader lakehouse;
  final WorkflowServiceStubs temporal;
  final Report report;

  private Pipeline() throws Exception {
    stack = LakehouseStackExtension.stack();
    endpoints = LakehouseStackExtension.endpoints();
    Map<String, Object> o = new HashMap<>(StackEndpoints.configOverrides(endpoints));
    spec = SpecLoader.load(o);
    report = new Report(Paths.get(System.getProperty("reliability.report", "target/reliability-report.md")), SEED,
        SOAK);
    worker = new WorkerProcess(stack);
    worker.start(WorkerProcess.locateJar(), 300, WORKER_ENV);
    workload = new BankWorkload(new BankWorkload.Jdbc(endpoints.postgres().jdbcUrl(), endpoints.postgres().user(),
        endpoints.postgres().password()), SEED, System.out::println);
    lakehouse = new LakehouseReader(spec.trino());
    temporal = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(endpoints.temporal().target()).build());
    awaitCapture();
  }

  private static Pipeline instance;

  static synchronized Pipeline get() throws Exception {
    if (instance == null) {
      instance = new Pipeline();
    }
    return instance;
  }

  /** The workload of one scenario: short by default, long with -Psoak. */
  static WorkloadConfig segment() {
    return SOAK ? WorkloadConfig.small().withTransactions(600).withRate(10) : WorkloadConfig.small();
  }

  /**
   * The connector streams (its slot is active) before the first change: changes made before would arrive as
   * snapshot reads (op r), not as the inserts the oracle expects.
   */
  private void awaitCapture() throws Exception {
    long deadline = System.currentTimeMillis() + 300_000;
    while (true) {
      try (Connection c = postgres(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '"
              + spec.source().slot() + "'")) {
        if (rs.next() && rs.getBoolean(1)) {
          return;
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the connector's replication slot is not active after 300 s (worker log: "
            + worker.log() + ")");
      }
      Thread.sleep(1000);
    }
  }

  Connection postgres() throws SQLException {
    return StackEndpoints.openPostgres(endpoints);
  }

  /**
   * From now on the lakehouse runs {@code applied} (after {@code lakehouse apply} and the worker's restart): the
   * oracle computes its tables, the comparison reads them, the rejected tables include its new ones.
   */
  void applied(PipelineSpec applied) {
    spec = applied;
  }

  /** Runs a workload segment in the background. */
  CompletableFuture<BankWorkload.Summary> runWorkload(WorkloadConfig config) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return workload.run(config);
      } catch (SQLException e) {
        throw new IllegalStateException("workload failed: " + e.getMessage(), e);
      }
    });
  }

  /**
   * Waits until the lakehouse holds exactly what the oracle computes from every change committed so far, and
   * returns the final comparison (exact, or the last one when the time is up). Cheap row counts first; the full
   * comparison only when they match.
   */
  Comparison awaitOracle(Duration timeout) throws InterruptedException {
    var changes = workload.log().changes();
    Map<String, List<List<String>>> expected = Expected.tables(spec, changes);
    List<String> tables = Comparison.comparedTables(expected);
    long deadline = System.nanoTime() + timeout.toNanos();
    Comparison last = null;
    SQLException unreadable = null;
    while (true) {
      try {
        if (countsMatch(expected, tables) || System.nanoTime() > deadline) {
          Map<String, Table> actual = lakehouse.read(tables);
          last = Comparison.of(spec, expected, actual);
          if (last.exact()) {
            return last;
          }
        }
      } catch (SQLException e) {
        unreadable = e; // a table not created yet, or Trino restarting: not there yet
      }
      if (System.nanoTime() > deadline) {
        if (last == null && unreadable != null) {
          System.out.println("==== no comparison with the oracle: the tables could not be read: "
              + unreadable.getMessage());
        }
        return last;
      }
      Thread.sleep(3000);
    }
  }

  /** One comparison of every table with the oracle, now (no waiting). */
  Comparison compareNow() throws SQLException {
    Map<String, List<List<String>>> expected = Expected.tables(spec, workload.log().changes());
    return Comparison.of(spec, expected, lakehouse.read(Comparison.comparedTables(expected)));
  }

  private boolean countsMatch(Map<String, List<List<String>>> expected, List<String> tables) throws SQLException {
    StringBuilder sql = new StringBuilder();
    for (String t : tables) {
      sql.append(sql.length() == 0 ? "" : " UNION ALL ").append("SELECT '").append(t).append("', count(*) FROM iceberg.")
          .append(t);
    }
    for (List<String> r : lakehouse.query(sql.toString())) {
      long have = Long.parseLong(r.get(1));
      long want = expected.get(r.get(0)).size();
      // a parsed table may also hold snapshot reads that restate a streamed change (Comparison says which)
      boolean parsed = r.get(0).startsWith(PipelineSpec.PARSED_SCHEMA + ".");
      if (parsed ? have < want : have != want) {
        return false;
      }
    }
    return true;
  }

  /** A fault: waits for its moment in the running scenario, injects it, brings the service back. */
  interface Fault {
    Injected inject(Scenario s) throws Exception;
  }

  /** When the fault hit (System.nanoTime), seconds until the service was healthy again, and what happened. */
  record Injected(long atNanos, double serviceBack, String note) {}

  /** A running scenario: when it started, the changes and transactions before it. */
  record Scenario(long startMillis, int changesBefore, long transactionsBefore, long redeliveredBefore) {}

  /**
   * Runs a workload segment, injects the fault while it runs, waits for the workload and then for the oracle,
   * and adds the outcome to the report. Returns the final comparison (the caller asserts on it).
   */
  Comparison scenario(String name, String fault, Fault f) throws Exception {
    return scenario(name, fault, segment(), f);
  }

  /** {@link #scenario(String, String, Fault)} with a workload of its own (e.g. one the fault stops). */
  Comparison scenario(String name, String fault, WorkloadConfig config, Fault f) throws Exception {
    Scenario s = new Scenario(System.currentTimeMillis(), workload.log().size(), workload.log().transactions(),
        rawRedeliveriesOrZero());
    System.out.printf("%n==== scenario: %s (fault: %s)%n", name, fault);
    long t0 = System.nanoTime();
    CompletableFuture<BankWorkload.Summary> run = runWorkload(config);
    Injected injected = f.inject(s);
    BankWorkload.Summary summary = run.get(15, java.util.concurrent.TimeUnit.MINUTES);
    long from = injected == null ? t0 : injected.atNanos();
    Comparison c = awaitOracle(Duration.ofMinutes(SOAK ? 15 : 6));
    double recovered = (System.nanoTime() - from) / 1e9;
    long rejected = rejectedOrMinusOne();
    long redelivered = rawRedeliveries() - s.redeliveredBefore();
    report.add(new Report.Row(name, fault, workload.log().size() - s.changesBefore(), workload.log().size(),
        summary.transactions(), c == null ? -1 : c.lost(), c == null ? -1 : c.duplicated(), c == null ? -1 : c.extra(),
        rejected, redelivered, injected == null ? 0 : injected.serviceBack(), recovered,
        (injected == null ? "" : injected.note()) + (summary.abortedByOutage() > 0
            ? " (" + summary.abortedByOutage() + " transactions cut by the outage, not committed)" : "")
            + (c != null && c.restatedReads() > 0 ? " (" + c.restatedReads() + " snapshot reads restating a streamed"
            + " change, kept in parsed by design)" : "")));
    System.out.printf("==== %s: %d changes in %d transactions (%d interleaved pairs), lakehouse %s %.1f s after the"
        + " fault%n%s", name, summary.changes(), summary.transactions(), summary.interleavedPairs(),
        c != null && c.exact() ? "exact" : "NOT exact", recovered, c == null ? "(no comparison)\n" : c.describe(15));
    return c;
  }

  /** Waits until the workload committed {@code n} transactions in this scenario. */
  void awaitTransactions(Scenario s, long n) throws InterruptedException {
    while (workload.log().transactions() - s.transactionsBefore() < n) {
      Thread.sleep(50);
    }
  }

  private long rawRedeliveriesOrZero() {
    try {
      return rawRedeliveries();
    } catch (SQLException e) {
      return 0; // no raw table yet
    }
  }

  private long rejectedOrMinusOne() {
    try {
      return rejected();
    } catch (SQLException e) {
      return -1;
    }
  }

  /**
   * Change events that reached the raw tables more than once (same row, LSN and op at another Kafka offset):
   * Debezium's at-least-once re-deliveries and Flink replays, which the parsed models must drop.
   */
  long rawRedeliveries() throws SQLException {
    long n = 0;
    for (var t : spec.tables()) {
      String raw = "iceberg." + PipelineSpec.RAW_SCHEMA + "." + t.name();
      n += lakehouse.count("SELECT (SELECT count(*) FROM " + raw + " WHERE op IS NOT NULL) - (SELECT count(*) FROM"
          + " (SELECT DISTINCT json_extract_scalar(data, '$.id'), source_lsn, op FROM " + raw + " WHERE op IS NOT NULL))");
    }
    return n;
  }

  /** Rows of the rejected tables; one the parse model has not created yet holds none. */
  long rejected() throws SQLException {
    long n = 0;
    for (var t : spec.tables()) {
      try {
        n += lakehouse.count("SELECT count(*) FROM iceberg." + PipelineSpec.PARSED_SCHEMA + "."
            + PipelineSpec.rejectedTableName(t.name()));
      } catch (SQLException e) {
        if (!String.valueOf(e.getMessage()).contains("does not exist")) {
          throw e;
        }
      }
    }
    return n;
  }

  Path workerJar() {
    return WorkerProcess.locateJar();
  }

  @Override
  public void close() {
    System.out.printf("%n%s%nreport: %s%n", report.markdown(), report.file().toAbsolutePath());
    worker.stop();
    temporal.shutdownNow();
    workload.close();
  }
}
