package dev.lakehouse.activities.trino;

import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.models.Sql;
import dev.lakehouse.models.UserModelSql;
import dev.lakehouse.models.WrittenRowsSql;
import dev.lakehouse.spec.UserModelSpec;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.WrittenData;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one user SQL model (docs/models.md#user-models): finds whether its table exists and its columns, reads the
 * load watermark of its {@code new_rows} upstream and its own from {@code ops.materializations}, renders and runs
 * its statements, then records the upstream's watermark as its own. The upstream's watermark is written after the
 * upstream's MERGEs commit, so every row up to it is there when this model reads; rows loaded later are read by
 * the next run. A model with nothing new to read (incremental, empty range) writes nothing.
 */
final class UserModelRunner {
  private static final Logger log = LoggerFactory.getLogger(UserModelRunner.class);

  private final UserModelSql sql;
  private final TrinoConnections connections;
  private final Clock clock;
  /** The ops table with the columns of what a run wrote: prepared before polling, else by the first run. */
  private final OpsTable ops;

  UserModelRunner(UserModelSql sql, TrinoConnections connections, Clock clock) {
    this.sql = sql;
    this.connections = connections;
    this.clock = clock;
    this.ops = new OpsTable(connections, OpsTable.Sleeper.REAL);
  }

  /** The ops table's preparation, which the worker runs before it polls ({@link OpsTable}). */
  OpsTable ops() {
    return ops;
  }

  MaterializeResult materialize(UserModelSpec m, String runId, boolean fullRefresh, ModelRunner.Listener listener)
      throws SQLException {
    m.problem().ifPresent(p -> {
      throw new IllegalArgumentException(p); // not retried: the file must be fixed
    });
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      StatementExec exec = new StatementExec(st, listener);
      if (fullRefresh || !ops.ready()) {
        ops.prepare(exec);
      }
      if (fullRefresh) {
        exec.run(List.of(OpsSql.insert(Role.RESET, new OpsSql.Row(m.key(), runId, OpsSql.Status.RESET, true,
            InputRange.empty(), 0, 0, 0, started, clock.instant()))));
      }
      // an upstream never materialized yet (a first run whose selection did not include it): nothing to read, not
      // an error; the run that creates it reaches this model too (its refs are edges)
      List<String> inputs = m.upstream().stream().map(ModelSql::table).toList();
      if (!inputs.isEmpty() && !ModelPlanner.allExist(inputs, st)) {
        log.info("{}: waiting for its upstream to be materialized once ({}), nothing run", m.key(), m.upstream());
        return new MaterializeResult(m.key(), 0, 0, 0);
      }
      List<String> columns = columns(m, st);
      InputRange range = InputRange.empty();
      if (m.newRowsOf().isPresent()) {
        Map<Integer, Long> upstream = ModelPlanner.watermark(m.newRowsOf().get(), st);
        Map<Integer, Long> own = fullRefresh ? Map.of() : ModelPlanner.watermark(m.key(), st);
        range = InputRange.next(own, upstream);
      }
      UserModelSql.Run run = new UserModelSql.Run(!columns.isEmpty(), fullRefresh, range, columns);
      if (UserModelSql.isIncremental(m, run) && m.newRowsOf().isPresent() && range.isEmpty()) {
        log.info("{}: nothing loaded into {} since the last run, {} ms", m.key(), m.newRowsOf().get(),
            (System.nanoTime() - t0) / 1_000_000);
        return new MaterializeResult(m.key(), 0, 0, 0);
      }
      boolean incremental = UserModelSql.isIncremental(m, run);
      OptionalLong before = incremental ? snapshot(m, st) : OptionalLong.empty();
      long rowsOut = 0;
      for (ModelStatement s : sql.statements(m, run)) {
        long n = runNamingFile(exec, s, m, run);
        if (s.role() == Role.MODEL) {
          rowsOut += n;
        }
      }
      WrittenData written = before.isPresent() ? written(m, before.getAsLong(), st) : null;
      record(exec, new OpsSql.Row(m.key(), runId, OpsSql.Status.SUCCEEDED, fullRefresh, range, rowsOut, rowsOut, 0,
          started, clock.instant(), written));
      log.info("{}: {} ({}), {} rows, {} ms", m.key(), m.materialized().label(),
          incremental ? "incremental" : "rebuilt", rowsOut, (System.nanoTime() - t0) / 1_000_000);
      return new MaterializeResult(m.key(), rowsOut, rowsOut, 0, null, null, null, written);
    }
  }

  /**
   * Writes the run's row, with what it wrote, so that its checks find it after a worker restart too. A table
   * dropped or created again since this runner prepared it (without the columns of what a run wrote: a generated
   * model's run creates it in its first version's shape) is prepared again and the row written once more; the
   * failed insert committed nothing.
   */
  private void record(StatementExec exec, OpsSql.Row row) throws SQLException {
    try {
      exec.run(List.of(OpsSql.insert(Role.RECORD, row)));
    } catch (SQLException e) {
      if (!String.valueOf(e.getMessage()).contains("does not exist")) {
        throw e;
      }
      log.info("{}: {}; preparing iceberg.ops.materializations again", row.asset(),
          String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      ops.forget();
      ops.prepare(exec);
      exec.run(List.of(OpsSql.insert(Role.RECORD, row)));
    }
  }

  /**
   * A statement's failure names the model's file and, for Trino's {@code line L:C}, where that is in the file
   * ({@link UserModelSql#position}), so the one line of the run's error leads to it.
   */
  private long runNamingFile(StatementExec exec, ModelStatement s, UserModelSpec m, UserModelSql.Run run)
      throws SQLException {
    try {
      return exec.run(s);
    } catch (SQLException e) {
      String where = m.file();
      Matcher at = TRINO_POSITION.matcher(String.valueOf(e.getMessage()));
      if (at.find()) {
        where = sql.position(m, run, s.sql(), Integer.parseInt(at.group(1)), Integer.parseInt(at.group(2)));
      }
      throw new SQLException(e.getMessage() + " (user model " + where + ")", e.getSQLState(), e.getErrorCode(), e);
    }
  }

  /** The model table's current snapshot id (none before its first commit). */
  private static OptionalLong snapshot(UserModelSpec m, Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery(WrittenRowsSql.currentQuery(m.key()))) {
      return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
    }
  }

  /**
   * What the run's statement wrote, from the table's snapshot after it (docs/models.md#checks): the data files it
   * added when it is the child of {@code before} (no other commit in between), nothing when it is {@code before}
   * (Trino commits nothing for a statement that writes no row); null, so the checks read the whole table, when
   * another commit came in between.
   */
  private static WrittenData written(UserModelSpec m, long before, Statement st) throws SQLException {
    Long snapshot = null;
    Long parent = null;
    List<String> files = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(WrittenRowsSql.addedQuery(m.key()))) {
      while (rs.next()) {
        snapshot = rs.getLong(1);
        long p = rs.getLong(2);
        parent = rs.wasNull() ? null : p;
        String file = rs.getString(3);
        if (file != null) {
          files.add(file);
        }
      }
    }
    if (snapshot == null) {
      return null;
    }
    if (snapshot == before) {
      return new WrittenData(before, List.of());
    }
    if (parent == null || parent != before) {
      log.info("{}: another commit came between the run's statement and its snapshot {}: its checks read the whole"
          + " table", m.key(), snapshot);
      return null;
    }
    return new WrittenData(snapshot, files);
  }

  /** Where Trino's message says the error is, in the statement it ran. */
  private static final Pattern TRINO_POSITION = Pattern.compile("line (\\d+):(\\d+): ");

  /** The target's columns in table order; empty when it does not exist yet. */
  private static List<String> columns(UserModelSpec m, Statement st) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT column_name FROM " + Sql.CATALOG + ".information_schema.columns"
        + " WHERE table_schema = " + Sql.string(m.schema()) + " AND table_name = " + Sql.string(m.name())
        + " ORDER BY ordinal_position")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
