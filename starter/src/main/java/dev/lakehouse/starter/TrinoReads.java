package dev.lakehouse.starter;

import dev.lakehouse.models.Batch;
import dev.lakehouse.models.CheckResultsSql;
import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelLags;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.models.Plan;
import dev.lakehouse.models.StatusSql;
import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSeverity;
import dev.lakehouse.spec.TrinoClient;
import dev.lakehouse.starter.AssetStatus.State;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.assets.AssetGraph;
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

/**
 * The CLI's one path into Trino; everything else it does goes through Temporal. Read-only, through trino-jdbc: each
 * model's last runs and freshness for {@code lakehouse status}, and the batch of a model's next run for
 * {@code lakehouse models sql --live}. The statements come from {@code dev.lakehouse.models}, as the worker's do;
 * the few lines of JDBC are the CLI's own, because the worker's live in activities, which the CLI does not load.
 */
public final class TrinoReads {
  private final TrinoClient client;

  public TrinoReads(TrinoClient client) {
    this.client = client;
  }

  /** A connection with the spec's password or token and TLS; public for the console's read-only queries. */
  public Connection open() throws SQLException {
    java.util.Properties properties;
    try {
      properties = client.jdbcProperties();
    } catch (java.io.UncheckedIOException e) { // the token file: one line that names the key
      throw new SQLException(e.getMessage(), e);
    }
    return DriverManager.getConnection(client.jdbcUrl(), properties);
  }

  /** The batch the next run of {@code model} would read now: the Kafka offsets above its watermark. */
  public Batch nextBatch(ModelSql.Model model) throws SQLException {
    try (Connection c = open(); Statement st = c.createStatement()) {
      return nextBatch(model, st);
    }
  }

  /**
   * Each model's latest check run from {@code ops.asset_checks}, as reports by asset key (empty before any check
   * ran). What {@code lakehouse status} shows per model.
   */
  Map<String, AssetCheckReport> latestChecks() throws SQLException {
    Map<String, List<AssetCheckResult>> byAsset = new LinkedHashMap<>();
    try (Connection c = open(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(CheckResultsSql.latestQuery())) {
      while (rs.next()) {
        String asset = rs.getString(1);
        String sample = rs.getString(7);
        byAsset.computeIfAbsent(asset, k -> new ArrayList<>()).add(new AssetCheckResult(asset, rs.getString(2),
            CheckKind.parse(rs.getString(3)).orElse(CheckKind.SQL),
            CheckSeverity.parse(rs.getString(4)).orElse(CheckSeverity.ERROR), rs.getBoolean(5), rs.getLong(6),
            sample == null || sample.isEmpty() ? List.of() : List.of(sample.split(", ")), rs.getString(8)));
      }
    } catch (SQLException e) {
      if (!missing(e)) {
        throw e;
      }
    }
    Map<String, AssetCheckReport> out = new LinkedHashMap<>();
    byAsset.forEach((asset, results) -> out.put(asset, new AssetCheckReport(asset, results)));
    return out;
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
      Map<String, Map<Integer, Long>> watermarks = new HashMap<>();
      ops.forEach((key, o) -> {
        if (o[6] != null) {
          watermarks.put(key, InputRange.fromJson((String) o[6]).watermark());
        }
      });
      List<ModelLags.Lag> lags;
      try {
        lags = ModelLags.read(sql, graph, watermarks, q -> rows(st, q));
      } catch (SQLException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      List<State> out = new ArrayList<>();
      for (ModelLags.Lag lag : lags) {
        Object[] o = ops.get(lag.asset());
        out.add(o == null
            ? new State(lag.asset(), null, null, null, null, 0, null, lag.pendingRows(), lag.staleSince(),
                lag.problem())
            : new State(lag.asset(), (Instant) o[0], (String) o[1], (Long) o[2], (Long) o[3], (Long) o[5], (Long) o[4],
                lag.pendingRows(), lag.staleSince(), lag.problem()));
      }
      return out;
    }
  }

  /** A statement's rows for {@link ModelLags}: timestamps as instants; null when a table it reads is missing. */
  private static List<Object[]> rows(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      List<Object[]> rows = new ArrayList<>();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          int type = rs.getMetaData().getColumnType(i + 1);
          if (type == java.sql.Types.TIMESTAMP || type == java.sql.Types.TIMESTAMP_WITH_TIMEZONE) {
            Timestamp t = rs.getTimestamp(i + 1);
            row[i] = t == null ? null : t.toInstant();
          } else {
            row[i] = rs.getObject(i + 1);
          }
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      if (missing(e)) {
        return null;
      }
      throw e;
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
