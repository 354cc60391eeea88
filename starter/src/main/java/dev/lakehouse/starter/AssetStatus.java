package dev.lakehouse.starter;

import dev.lakehouse.activities.trino.TrinoConnections;
import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.StatusSql;
import dev.lakehouse.workflows.assets.Asset;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import java.sql.Connection;
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

/**
 * Per model asset, read from Trino: the last materialization ({@code ops.materializations}), the rejected
 * count, and freshness. Freshness compares what raw holds with what the asset has consumed (its watermark, Kafka
 * offsets per partition): the raw rows not yet in the asset are the rows of its input above its watermark (for a
 * vault model, the parsed rows above its watermark, plus everything still pending upstream); the asset is
 * stale since the oldest raw snapshot that committed such a row, and fresh when there is none.
 */
final class AssetStatus {
  private AssetStatus() {}

  /**
   * One model. {@code lastAt}/{@code runId}/{@code rowsIn}/{@code rowsOut}: its last successful run that read
   * rows (null: never). {@code rejected}: rows rejected since its last full refresh (what its rejected table holds);
   * {@code lastRejected}: by the last run. {@code pendingRows}: raw rows not yet materialized (this asset's own
   * input and upstream's); {@code staleSince}: commit time of the oldest raw snapshot holding one of them (null:
   * fresh). {@code problem}: why something could not be read.
   */
  record State(String asset, Instant lastAt, String runId, Long rowsIn, Long rowsOut, long rejected,
      Long lastRejected, long pendingRows, Instant staleSince, String problem) {
    boolean fresh() {
      return problem == null && pendingRows == 0;
    }

    /** Seconds between the oldest unmaterialized raw snapshot and {@code now}; 0 when fresh. */
    long freshnessSeconds(Instant now) {
      return staleSince == null ? 0 : Math.max(0, now.getEpochSecond() - staleSince.getEpochSecond());
    }
  }

  /** The raw table a model's rows come from (walking up the graph), as an asset key ({@code raw_data.users}). */
  static String rawTableOf(AssetGraph graph, String key) {
    Asset a = graph.asset(key).orElseThrow();
    for (String up : a.upstream()) {
      Asset u = graph.asset(up).orElseThrow();
      if (u.kind() == AssetKind.RAW_TABLE) {
        return u.key();
      }
      if (u.kind() == AssetKind.MODEL) {
        String r = rawTableOf(graph, up);
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  /** Reads every model's state; a failure to reach Trino is thrown, a missing table is reported per asset. */
  static List<State> read(ModelSql sql, AssetGraph graph, TrinoConnections trino) throws SQLException {
    List<String> models = graph.ofKind(AssetKind.MODEL).stream().map(Asset::key).toList();
    try (Connection c = trino.open(); Statement st = c.createStatement()) {
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
        String raw = ModelSql.table(rawTableOf(graph, key));
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
        for (String k : withUpstreamModels(graph, key)) {
          long[] p = own.get(k);
          if (p != null) {
            rows += p[0];
            oldest = Math.min(oldest, p[1]);
          }
        }
        Instant staleSince = null;
        if (rows > 0 && oldest != Long.MAX_VALUE) {
          Instant written = Instant.ofEpochMilli(oldest);
          try (ResultSet rs = st.executeQuery(StatusSql.snapshotQuery(ModelSql.table(rawTableOf(graph, key)), written))) {
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

  /** {@code key} and every model upstream of it. */
  private static List<String> withUpstreamModels(AssetGraph graph, String key) {
    List<String> all = new ArrayList<>(List.of(key));
    for (String up : graph.asset(key).orElseThrow().upstream()) {
      if (graph.asset(up).orElseThrow().kind() == AssetKind.MODEL) {
        withUpstreamModels(graph, up).stream().filter(k -> !all.contains(k)).forEach(all::add);
      }
    }
    return all;
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
