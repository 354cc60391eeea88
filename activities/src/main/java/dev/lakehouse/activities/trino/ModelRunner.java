package dev.lakehouse.activities.trino;

import dev.lakehouse.activities.trino.ModelStatement.Role;
import dev.lakehouse.workflows.activities.MaterializeResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one model on Trino (DESIGN §7): reads its watermark from {@code ops.materializations}, takes the Kafka
 * offsets of its input above the watermark up to the highest present now, runs the model's MERGEs over exactly
 * that range, and only then records the range as the new watermark. A crash between the MERGEs and the record
 * re-runs the same range (or a larger one) and the MERGEs write nothing twice. A full refresh first records a
 * {@code reset} row, then drops and recreates the model's tables and reads everything.
 */
public final class ModelRunner {
  /** Told before each statement runs (heartbeats, cancellation, logs). */
  public interface Listener {
    void beforeStatement(ModelStatement statement, Statement jdbc);

    Listener NONE = (s, j) -> {};
  }

  private final ModelSql sql;
  private final TrinoConnections connections;
  private final Clock clock;

  public ModelRunner(ModelSql sql, TrinoConnections connections, Clock clock) {
    this.sql = sql;
    this.connections = connections;
    this.clock = clock;
  }

  public MaterializeResult materialize(String asset, String runId, boolean fullRefresh) throws SQLException {
    return materialize(asset, runId, fullRefresh, Listener.NONE);
  }

  public MaterializeResult materialize(String asset, String runId, boolean fullRefresh, Listener listener)
      throws SQLException {
    ModelSql.Model model = sql.model(asset);
    Instant started = clock.instant();
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      Exec exec = new Exec(st, listener);
      if (fullRefresh) {
        exec.run(OpsSql.ddl());
        exec.run(List.of(OpsSql.insert(Role.RESET, new OpsSql.Row(asset, runId, OpsSql.RESET, true,
            InputRange.empty(), 0, 0, 0, started, clock.instant()))));
        exec.run(ModelSql.drops(model));
      }
      exec.run(model.ddl());
      Plan plan = plan(model, st);
      long rowsOut = 0;
      long rejected = 0;
      if (plan.rowsIn() > 0) {
        for (ModelStatement s : model.load(plan.batch())) {
          long n = exec.run(s);
          if (s.role() == Role.MODEL) {
            rowsOut += n;
          } else if (s.role() == Role.REJECTS) {
            rejected += n;
          }
        }
      }
      exec.run(List.of(OpsSql.insert(Role.RECORD, new OpsSql.Row(asset, runId, OpsSql.SUCCEEDED, fullRefresh,
          plan.batch().range(), plan.rowsIn(), rowsOut, rejected, started, clock.instant()))));
      return new MaterializeResult(asset, plan.rowsIn(), rowsOut, rejected);
    }
  }

  /** The next batch of a model: its input range above the watermark, row count and smallest LSN. */
  public record Plan(Batch batch, long rowsIn) {}

  /** The statements the next run of {@code asset} would execute now, as text (needs Trino, writes nothing). */
  public String explain(String asset, boolean fullRefresh) throws SQLException {
    ModelSql.Model model = sql.model(asset);
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      if (fullRefresh) {
        return sql.render(asset, Batch.all(), true);
      }
      return sql.render(asset, plan(model, st).batch(), false);
    }
  }

  Plan plan(ModelSql.Model model, Statement st) throws SQLException {
    Map<Integer, Long> watermark = watermark(model.asset(), st);
    Map<Integer, Long> max = new TreeMap<>();
    try (ResultSet rs = st.executeQuery(ModelSql.maxOffsetsQuery(model, watermark))) {
      while (rs.next()) {
        max.put(rs.getInt(1), rs.getLong(2));
      }
    }
    InputRange range = InputRange.next(watermark, max);
    if (range.isEmpty()) {
      return new Plan(new Batch(range, java.util.OptionalLong.empty()), 0);
    }
    try (ResultSet rs = st.executeQuery(ModelSql.batchStatsQuery(model, range))) {
      rs.next();
      long count = rs.getLong(1);
      long minLsn = rs.getLong(2);
      // rows without an LSN are rejected by the parse model; they must not narrow the bound
      return new Plan(rs.wasNull() ? new Batch(range, java.util.OptionalLong.empty()) : Batch.of(range, minLsn), count);
    }
  }

  /** The model's watermark: toInclusive per partition of its latest succeeded or reset row; empty if none. */
  static Map<Integer, Long> watermark(String asset, Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery(OpsSql.watermarkQuery(asset))) {
      return rs.next() ? InputRange.fromJson(rs.getString(1)).watermark() : Map.of();
    }
  }

  private static final class Exec {
    private final Statement st;
    private final Listener listener;

    Exec(Statement st, Listener listener) {
      this.st = st;
      this.listener = listener;
    }

    void run(List<ModelStatement> statements) throws SQLException {
      for (ModelStatement s : statements) {
        run(s);
      }
    }

    long run(ModelStatement s) throws SQLException {
      listener.beforeStatement(s, st);
      try {
        st.execute(s.sql());
        long n = st.getLargeUpdateCount();
        return Math.max(n, 0);
      } catch (SQLException e) {
        if (s.role() == Role.DDL && s.sql().contains(" IF NOT EXISTS ") && String.valueOf(e.getMessage())
            .contains("already exists")) {
          // a model running in parallel created it first (a satellite's DDL also creates its hub): done
          return 0;
        }
        throw new SQLException(e.getMessage() + "\n  in statement [" + s.role() + "] " + s.firstLine(),
            e.getSQLState(), e.getErrorCode(), e);
      }
    }
  }
}
