package dev.lakehouse.console;

import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.StatusSql;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.starter.AssetStatus;
import dev.lakehouse.starter.Inspect;
import dev.lakehouse.starter.TemporalSession;
import dev.lakehouse.starter.TrinoReads;
import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.assets.AssetGraph;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * Every read the console makes, each a {@link Live} value: the per-model state of {@code lakehouse status} (the CLI's
 * own {@link TrinoReads}), an asset's materializations and checks (statements from {@code models}' {@link StatusSql},
 * read-only), and from Temporal the coordinator's {@code status} and the last health report (the CLI's
 * {@link Inspect}). Temporal is connected lazily and again after a failure, so the console starts and answers while
 * Temporal is down.
 */
final class ConsoleReads implements AutoCloseable {
  static final int HISTORY_ROWS = 50;
  private static final Duration TEMPORAL_CONNECT = Duration.ofSeconds(2);

  private final PipelineSpec spec;
  private final AssetGraph graph;
  private final ExecutorService pool;
  private final Live<List<AssetStatus.State>> assets;
  private final Live<MaterializerStatus> coordinator;
  private final Live<HealthReport> health;
  private final Map<String, Live<Table>> history = new ConcurrentHashMap<>();
  private final Map<String, Live<Table>> checks = new ConcurrentHashMap<>();
  private final TrinoReads trino;
  private TemporalSession session;

  ConsoleReads(PipelineSpec spec, AssetGraph graph, ExecutorService pool) {
    this.spec = spec;
    this.graph = graph;
    this.pool = pool;
    this.trino = new TrinoReads(spec.trino());
    ModelSql sql = new ModelSql(spec);
    assets = new Live<>("Trino", () -> trino.assets(sql, graph), this::trinoProblem, pool);
    coordinator = new Live<>("Temporal", () -> answer(Inspect.materializerStatus(session())), this::temporalProblem,
        pool);
    health = new Live<>("Temporal", () -> answer(Inspect.healthReport(session())), this::temporalProblem, pool);
  }

  /** Starts the reads every page shows at once, so their waits overlap. */
  void startAll() {
    assets.start();
    coordinator.start();
    health.start();
  }

  Reading<List<AssetStatus.State>> assets(Duration wait) {
    return assets.get(wait);
  }

  Reading<MaterializerStatus> coordinator(Duration wait) {
    return coordinator.get(wait);
  }

  Reading<HealthReport> health(Duration wait) {
    return health.get(wait);
  }

  /** Starts the reads of one model's page: its materializations and checks. */
  void startAsset(String asset) {
    history(asset).start();
    checks(asset).start();
  }

  Reading<Table> history(String asset, Duration wait) {
    return history(asset).get(wait);
  }

  /** The asset's checks; an empty table without columns when {@code ops.asset_checks} does not exist. */
  Reading<Table> checks(String asset, Duration wait) {
    return checks(asset).get(wait);
  }

  private Live<Table> history(String asset) {
    return history.computeIfAbsent(asset, a -> new Live<>("Trino",
        () -> table(StatusSql.historyQuery(a, HISTORY_ROWS)), this::trinoProblem, pool));
  }

  private Live<Table> checks(String asset) {
    return checks.computeIfAbsent(asset, a -> new Live<>("Trino", () -> {
      Table exists = table(StatusSql.checksTableQuery());
      if ("0".equals(exists.rows().get(0).get(0))) {
        return new Table(List.of(), List.of());
      }
      return table(StatusSql.checksQuery(a, HISTORY_ROWS));
    }, this::trinoProblem, pool));
  }

  /** After a button: the next page waits for reads that see what it changed (the queue, the history). */
  void invalidate() {
    assets.invalidate();
    coordinator.invalidate();
    history.values().forEach(Live::invalidate);
    checks.values().forEach(Live::invalidate);
  }

  /** The Temporal client, connected on first use and again after a failure. */
  synchronized TemporalSession session() {
    if (session == null) {
      Endpoints.Temporal t = spec.endpoints().temporal();
      session = TemporalSession.connect(t.target(), t.namespace(), TEMPORAL_CONNECT,
          spec.security().temporal());
    }
    return session;
  }

  private synchronized void dropSession() {
    if (session != null) {
      session.close();
      session = null;
    }
  }

  private static <T> T answer(Inspect.Answer<T> a) {
    if (a.value() == null) {
      throw new IllegalStateException(a.problem() == null ? "no answer yet" : a.problem());
    }
    return a.value();
  }

  private Table table(String sql) throws SQLException {
    try (Connection c = trino.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        columns.add(md.getColumnLabel(i));
      }
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns.size(); i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
      return new Table(columns, rows);
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("does not exist")) {
        return new Table(List.of(), List.of()); // no model has run yet: ops.materializations comes with the first
      }
      throw e;
    }
  }

  private String trinoProblem(Exception e) {
    java.util.Optional<String> auth = spec.trino().authProblem(e);
    if (auth.isPresent()) {
      return auth.get();
    }
    String m = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return "Trino at " + spec.endpoints().trino().jdbcUrl() + " is unreachable or failed: " + m
        + " (./lakehouse up starts it)";
  }

  private String temporalProblem(Exception e) {
    if (e instanceof StatusRuntimeException) {
      dropSession();
    }
    if (e instanceof IllegalStateException) {
      return e.getMessage(); // the workflow's own state: not started, no worker answering
    }
    dropSession();
    String m = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    if (m.startsWith("lakehouse: ")) {
      return m.substring("lakehouse: ".length()); // the CLI's own line: it says what to do
    }
    return "Temporal at " + spec.endpoints().temporal().target() + " is unreachable: " + m
        + " (./lakehouse up starts it)";
  }

  /** A map of the per-model states by key, for the pages. */
  static Map<String, AssetStatus.State> byKey(List<AssetStatus.State> states) {
    Map<String, AssetStatus.State> m = new LinkedHashMap<>();
    if (states != null) {
      states.forEach(s -> m.put(s.asset(), s));
    }
    return m;
  }

  @Override
  public void close() {
    dropSession();
  }
}
