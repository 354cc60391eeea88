package dev.lakehouse.bench;

import dev.lakehouse.models.OpsSql;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.StackEndpoints;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a phase's time went on the model side: per asset, the materializations that started in the phase (from
 * {@code ops.materializations}, written by every model run), how long they took and how many input rows they read.
 */
final class ModelRuns {
  /** Runs of one asset: count, median and longest duration in seconds, input rows in total. */
  record Runs(long runs, double p50S, double maxS, long rowsIn) {
    @Override
    public String toString() {
      return String.format("%d runs, p50 %.1f s, max %.1f s, %,d rows in", runs, p50S, maxS, rowsIn);
    }
  }

  private ModelRuns() {}

  static Map<String, Runs> since(Endpoints e, Instant from) {
    Map<String, Runs> m = new LinkedHashMap<>();
    String sql = "SELECT asset, count(*), approx_percentile(d, 0.5), max(d), sum(rows_in) FROM (SELECT asset, rows_in,"
        + " to_unixtime(finished_at) - to_unixtime(started_at) AS d FROM " + OpsSql.TABLE + " WHERE status = "
        + OpsSql.Status.SUCCEEDED.literal() + " AND started_at >= from_unixtime(" + from.getEpochSecond() + "))"
        + " GROUP BY asset ORDER BY asset";
    try (Connection c = StackEndpoints.openTrino(e); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        m.put(rs.getString(1), new Runs(rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5)));
      }
    } catch (SQLException ex) {
      m.put("(unavailable: " + ex.getMessage() + ")", new Runs(0, 0, 0, 0));
    }
    return m;
  }
}
