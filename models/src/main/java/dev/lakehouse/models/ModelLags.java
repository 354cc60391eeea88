package dev.lakehouse.models;

import dev.lakehouse.workflows.assets.Asset;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each model's freshness, from the statements of {@link StatusSql}, for {@code lakehouse status} (the CLI's Trino
 * reads) and for the health check's freshness policies (an activity): the raw rows a model has not consumed (its own
 * input above its watermark, plus what is still pending in its upstream models), and since when: the commit of the
 * oldest raw snapshot holding one of them. No I/O here: the caller runs each statement through {@link Query}.
 */
public final class ModelLags {
  private ModelLags() {}

  /** Runs one statement on Trino; {@link #rows} answers null when a table it reads does not exist. */
  public interface Query {
    /**
     * The rows, each as its columns (count as {@link Number}, times as {@link Instant} or null); null when a table
     * the statement reads does not exist (a model that never ran).
     */
    List<Object[]> rows(String sql) throws Exception;
  }

  /** One model: raw rows not yet in it, since when (null: fresh), why it could not be read (null: it could). */
  public record Lag(String asset, long pendingRows, Instant staleSince, String problem) {}

  /** Every model of {@code graph}, in graph order, given each one's watermark (absent: it never ran). */
  public static List<Lag> read(ModelSql sql, AssetGraph graph, Map<String, Map<Integer, Long>> watermarks, Query q)
      throws Exception {
    List<String> models = graph.ofKind(AssetKind.MODEL).stream().map(Asset::key).toList();
    Map<String, long[]> own = new LinkedHashMap<>(); // count, oldest ingested_at (epoch millis, or MAX)
    Map<String, String> problems = new HashMap<>();
    for (String key : models) {
      if (sql.spec().userModel(key).isPresent()) {
        continue; // a user SQL model has no raw input of its own: its pending rows are its upstream models'
      }
      String raw = ModelSql.table(rawTableOf(graph, key));
      List<Object[]> rows = q.rows(StatusSql.unconsumedQuery(sql.model(key), raw,
          watermarks.getOrDefault(key, Map.of())));
      if (rows == null) {
        problems.put(key, "cannot read its input: a table does not exist yet");
        continue;
      }
      Object[] r = rows.get(0);
      own.put(key, new long[] {((Number) r[0]).longValue(), r[1] == null ? Long.MAX_VALUE
          : ((Instant) r[1]).toEpochMilli()});
    }
    List<Lag> out = new ArrayList<>();
    for (String key : models) {
      long pending = 0;
      long oldest = Long.MAX_VALUE;
      for (String k : withUpstreamModels(graph, key)) {
        long[] p = own.get(k);
        if (p != null) {
          pending += p[0];
          oldest = Math.min(oldest, p[1]);
        }
      }
      Instant staleSince = null;
      if (pending > 0 && oldest != Long.MAX_VALUE && rawTableOf(graph, key) != null) {
        Instant written = Instant.ofEpochMilli(oldest);
        List<Object[]> rows = q.rows(StatusSql.snapshotQuery(ModelSql.table(rawTableOf(graph, key)), written));
        Object t = rows == null || rows.isEmpty() ? null : rows.get(0)[0];
        staleSince = t == null ? written : (Instant) t; // expired snapshots: the row's write time
      }
      out.add(new Lag(key, pending, staleSince, problems.get(key)));
    }
    return out;
  }

  /** The raw table a model's rows come from (walking up the graph), as an asset key ({@code raw_data.users}). */
  public static String rawTableOf(AssetGraph graph, String key) {
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

  /** {@code key} and every model upstream of it. */
  public static List<String> withUpstreamModels(AssetGraph graph, String key) {
    List<String> all = new ArrayList<>(List.of(key));
    for (String up : graph.asset(key).orElseThrow().upstream()) {
      if (graph.asset(up).orElseThrow().kind() == AssetKind.MODEL) {
        withUpstreamModels(graph, up).stream().filter(k -> !all.contains(k)).forEach(all::add);
      }
    }
    return all;
  }
}
