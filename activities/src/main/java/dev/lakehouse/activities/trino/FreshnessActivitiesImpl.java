package dev.lakehouse.activities.trino;

import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelLags;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.FreshnessActivities;
import dev.lakehouse.workflows.activities.ModelFreshness;
import dev.lakehouse.workflows.activities.ModelWatermark;
import dev.lakehouse.workflows.assets.AssetGraph;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link FreshnessActivities} through Trino: each model's lag as {@code lakehouse status} computes it
 * ({@link ModelLags}, over the watermarks of {@code ops.materializations}), and the watermarks themselves by CDC
 * topic partition (one query on the history, no raw table read).
 */
public final class FreshnessActivitiesImpl implements FreshnessActivities {
  private final ModelSql sql;
  private final AssetGraph graph;
  private final TrinoConnections connections;

  @Inject
  public FreshnessActivitiesImpl(PipelineSpec spec) {
    this.sql = new ModelSql(spec);
    this.graph = AssetGraph.fromSpec(spec);
    this.connections = new TrinoConnections(spec.trino());
  }

  @Override
  public List<ModelFreshness> modelLags() {
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      List<ModelFreshness> out = new ArrayList<>();
      for (ModelLags.Lag lag : ModelLags.read(sql, graph, watermarks(st), q -> rows(st, q))) {
        out.add(new ModelFreshness(lag.asset(), lag.pendingRows(),
            lag.staleSince() == null ? null : lag.staleSince().toEpochMilli(), lag.problem()));
      }
      return out;
    } catch (SQLException e) {
      throw TrinoErrors.of("freshness", "read model lags", e);
    } catch (Exception e) {
      throw TrinoErrors.of("freshness", "read model lags", e);
    }
  }

  @Override
  public List<ModelWatermark> watermarks() {
    Map<String, String> topicOfRaw = new HashMap<>();
    sql.spec().tables().forEach(t -> topicOfRaw.put(AssetGraph.rawKey(t.name()), sql.spec().topic(t)));
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      List<ModelWatermark> out = new ArrayList<>();
      watermarks(st).forEach((asset, partitions) -> {
        String raw = graph.asset(asset).isPresent() && sql.spec().userModel(asset).isEmpty()
            ? ModelLags.rawTableOf(graph, asset) : null;
        String topic = raw == null ? null : topicOfRaw.get(raw);
        if (topic != null) {
          partitions.forEach((p, offset) -> out.add(new ModelWatermark(asset, topic, p, offset)));
        }
      });
      out.sort(Comparator.comparing(ModelWatermark::asset).thenComparing(ModelWatermark::partition));
      return out;
    } catch (SQLException | RuntimeException e) {
      throw TrinoErrors.of("freshness", "read model watermarks", e);
    }
  }

  /** Each model's watermark (its latest successful or reset row's ranges); empty before the first run. */
  private static Map<String, Map<Integer, Long>> watermarks(Statement st) throws SQLException {
    Map<String, Map<Integer, Long>> watermarks = new HashMap<>();
    List<Object[]> rows = rows(st, OpsSql.watermarksQuery());
    if (rows != null) {
      for (Object[] r : rows) {
        if (r[1] != null) {
          watermarks.put((String) r[0], InputRange.fromJson((String) r[1]).watermark());
        }
      }
    }
    return watermarks;
  }

  /** A statement's rows with timestamps as instants; null when a table it reads does not exist yet. */
  private static List<Object[]> rows(Statement st, String query) throws SQLException {
    try (ResultSet rs = st.executeQuery(query)) {
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
      String m = String.valueOf(e.getMessage());
      if (m.contains("does not exist") || m.contains("not found")) {
        return null;
      }
      throw e;
    }
  }
}
