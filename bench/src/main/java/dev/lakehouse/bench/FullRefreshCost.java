package dev.lakehouse.bench;

import dev.lakehouse.activities.trino.ModelRunner;
import dev.lakehouse.activities.trino.TrinoConnections;
import dev.lakehouse.bench.Report.FullRefresh;
import dev.lakehouse.models.ModelSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What rebuilding every model costs against the floor for writing the same rows: a full refresh of each model (as
 * {@code lakehouse backfill --full-refresh} runs it, {@link ModelRunner} with {@code fullRefresh}), in the graph's
 * order, then for every table a model writes one {@code CREATE TABLE AS SELECT *} of the rows the refresh left
 * there (read and write of the same rows, none of the models' work), dropped afterwards. The ratio says how much
 * exactness and bookkeeping add to a plain rewrite.
 */
final class FullRefreshCost {
  /** Suffix of the copies: never a name the spec can give a table (it ends in two underscores). */
  static final String COPY_SUFFIX = "_bench_ctas__";

  private final ModelSql sql;
  private final TrinoConnections trino;

  FullRefreshCost(ModelSql sql, TrinoConnections trino) {
    this.sql = sql;
    this.trino = trino;
  }

  FullRefresh measure(long history, ModelRunner runner, String runId) throws SQLException {
    Map<String, Long> refreshMs = new LinkedHashMap<>();
    long refreshTotal = 0;
    for (String m : sql.modelKeys()) {
      long s = System.nanoTime();
      runner.materialize(m, runId, true);
      long ms = (System.nanoTime() - s) / 1_000_000;
      refreshMs.put(m, ms);
      refreshTotal += ms;
    }
    Map<String, Long> copyMs = new LinkedHashMap<>();
    long copyTotal = 0;
    try (Connection c = trino.open(); Statement st = c.createStatement()) {
      for (String m : sql.modelKeys()) {
        long ms = 0;
        for (String target : sql.model(m).targets()) {
          String copy = copyOf(target);
          st.execute("DROP TABLE IF EXISTS " + copy);
          long s = System.nanoTime();
          st.execute("CREATE TABLE " + copy + " AS SELECT * FROM " + target);
          ms += (System.nanoTime() - s) / 1_000_000;
          st.execute("DROP TABLE " + copy);
        }
        copyMs.put(m, ms);
        copyTotal += ms;
      }
    }
    return new FullRefresh(history, refreshTotal / 1e3, copyTotal / 1e3, refreshMs, copyMs, Report.Load.now());
  }

  /** {@code iceberg.s.t} → {@code iceberg.s.t_bench_ctas__}: beside the table, in its schema. */
  static String copyOf(String target) {
    return target + COPY_SUFFIX;
  }
}
