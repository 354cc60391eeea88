package dev.lakehouse.starter;

import dev.lakehouse.models.Batch;
import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.models.Plan;
import dev.lakehouse.models.StatusSql;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.starter.AssetStatus.State;
import dev.lakehouse.workflows.assets.Asset;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * The CLI's one path into Trino; everything else it does goes through Temporal. Read-only, through trino-jdbc: each
 * model's last runs and freshness for {@code lakehouse status}, and the batch of a model's next run for
 * {@code lakehouse models sql --live}. The statements come from {@code dev.lakehouse.models}, as the worker's do;
 * the few lines of JDBC are the CLI's own, because the worker's live in activities, which the CLI does not load.
 */
public final class TrinoReads {
  private final String url;
  private final String user;

  public TrinoReads(Endpoints.Trino trino) {
    this.url = trino.jdbcUrl();
    this.user = trino.user();
  }

  private Connection open() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    return DriverManager.getConnection(url, p);
  }

  /** The batch the next run of {@code model} would read now: the Kafka offsets above its watermark. */
  public Batch nextBatch(ModelSql.Model model) throws SQLException {
    try (Connection c = open(); Statement st = c.createStatement()) {
      return nextBatch(model, st);
    }
  }

  /** The same reads as the runner's plan: the watermark, then the pending rows above it, folded by {@link Plan}. */
  static Batch nextBatch(ModelSql.Model model, Statement st) throws SQLException {
    Map<Integer, Long> watermark;
    try (ResultSet rs = st.executeQuery(OpsSql.watermarkQuery(model.asset()))) {
      watermark = rs.next() ? InputRange.fromJson(rs.getString(1)).watermark() : Map.of();
    } catch (SQLException e) {
      if (!missing(e)) {
        throw e;
      }
      watermark = Map.of(); // no model has run yet: ops.materializations is created by the first run
    }
    List<Plan.Pending> pending = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(ModelSql.pendingQuery(model, watermark))) {
      while (rs.next()) {
        long lsn = rs.getLong(4);
        pending.add(new Plan.Pending(rs.getInt(1), rs.getLong(2), rs.getLong(3),
            rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(lsn)));
      }
    }
    return Plan.of(watermark, pending).batch();
  }

  /**
   * Every model's state for {@code lakehouse status}; a failure to reach Trino is thrown, a missing table is
   * reported per asset.
   */
  public List<State> assets(ModelSql sql, AssetGraph graph) throws SQLException {
    List<String> models = graph.ofKind(AssetKind.MODEL).stream().map(Asset::key).toList();
    try (Connection c = open(); Statement st = c.createStatement()) {
      Map<String, Object[]> ops = new HashMap<>();
      try (ResultSet rs = st.executeQuery(StatusSql.lastRunsQuery())) {
        while (rs.next()) {
          ops.put(rs.getString(1), new Object[] {instant(rs.getTimestamp(2)), rs.getString(3), number(rs, 4),
              number(rs, 5), number(rs, 6), rs.getLong(7), rs.getString(8)});
        }
      } catch (SQLException e) {
        if (!missing(e)) {
          throw e;
        }
        // no model has run yet: no history, every watermark empty
      }
      // own pending rows per model, then upstream's added: a vault model is stale while its parsed input is
      Map<String, long[]> own = new LinkedHashMap<>(); // count, oldest ingested_at (epoch micros, or MIN)
      Map<String, String> problems = new HashMap<>();
      for (String key : models) {
        Object[] o = ops.get(key);
        Map<Integer, Long> watermark = o == null || o[6] == null ? Map.of() : InputRange.fromJson((String) o[6]).watermark();
        String raw = ModelSql.table(AssetStatus.rawTableOf(graph, key));
        try (ResultSet rs = st.executeQuery(StatusSql.unconsumedQuery(sql.model(key), raw, watermark))) {
          rs.next();
          Timestamp t = rs.getTimestamp(2);
          own.put(key, new long[] {rs.getLong(1), t == null ? Long.MAX_VALUE : t.getTime()});
        } catch (SQLException e) {
          if (!missing(e)) {
            throw e;
          }
          problems.put(key, "cannot read its input: " + firstLine(e));
        }
      }
      List<State> out = new ArrayList<>();
      for (String key : models) {
        long rows = 0;
        long oldest = Long.MAX_VALUE;
        for (String k : AssetStatus.withUpstreamModels(graph, key)) {
          long[] p = own.get(k);
          if (p != null) {
            rows += p[0];
            oldest = Math.min(oldest, p[1]);
          }
        }
        Instant staleSince = null;
        if (rows > 0 && oldest != Long.MAX_VALUE) {
          Instant written = Instant.ofEpochMilli(oldest);
          String raw = ModelSql.table(AssetStatus.rawTableOf(graph, key));
          try (ResultSet rs = st.executeQuery(StatusSql.snapshotQuery(raw, written))) {
            Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
            staleSince = t == null ? written : t.toInstant(); // expired snapshots: the row's write time
          }
        }
        Object[] o = ops.get(key);
        out.add(o == null
            ? new State(key, null, null, null, null, 0, null, rows, staleSince, problems.get(key))
            : new State(key, (Instant) o[0], (String) o[1], (Long) o[2], (Long) o[3], (Long) o[5], (Long) o[4], rows,
                staleSince, problems.get(key)));
      }
      return out;
    }
  }

  private static boolean missing(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("does not exist") || m.contains("not found");
  }

  private static String firstLine(SQLException e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private static Long number(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
