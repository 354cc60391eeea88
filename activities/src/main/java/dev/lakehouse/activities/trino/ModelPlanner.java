package dev.lakehouse.activities.trino;

import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.models.Plan;
import dev.lakehouse.models.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a model's next run reads (docs/models.md): the Kafka offsets of its input above its watermark in
 * {@code ops.materializations}, per partition, with row counts and the smallest LSN; reads only, no write. Also
 * whether a model's relations exist and a model's watermark, which the user model runner reads too. The loading
 * and the bookkeeping are {@link ModelRunner}'s.
 */
final class ModelPlanner {
  private static final Logger log = LoggerFactory.getLogger(ModelPlanner.class);

  /**
   * Per model, the watermark its last successful run here left behind: the next run plans from it and reads the
   * actual one in the same query, one round trip instead of two; when another worker or a full refresh moved it,
   * the run plans again from the actual one ({@link #plan}).
   */
  private final Map<String, Map<Integer, Long>> expected = new ConcurrentHashMap<>();

  /** A run of {@code asset} here left {@code watermark}: recorded, unchanged (it read nothing), or empty (a reset). */
  void ranTo(String asset, Map<Integer, Long> watermark) {
    expected.put(asset, watermark);
  }

  /** The next run of {@code asset} reads its watermark on its own (a full refresh, a failed run). */
  void forget(String asset) {
    expected.remove(asset);
  }

  /**
   * The next run of a model: its input range above the watermark, row count and smallest LSN. One query when this
   * runner knows the watermark its last run left (the usual case: {@link ModelSql#planQuery} checks it against
   * {@code ops.materializations} in the same round trip), two otherwise or when the check fails.
   */
  Plan plan(ModelSql.Model model, Statement st) throws SQLException {
    Map<Integer, Long> guess = expected.get(model.asset());
    if (guess == null) {
      return plan(model, watermark(model.asset(), st), st);
    }
    Start planned = planned(model, guess, st);
    Map<Integer, Long> actual = planned.watermark();
    if (actual.equals(guess)) {
      return planned.plan();
    }
    log.info("{}: the watermark is {}, not {} as this worker's last run left it (another worker or a full refresh"
        + " moved it); planning from it", model.asset(), actual, guess);
    expected.remove(model.asset());
    return plan(model, actual, st);
  }

  /**
   * A plan from {@code from} and the model's actual watermark, read in the same query ({@link ModelSql#planQuery});
   * the actual one is empty when the model has no watermark row (never run, or the ops rows are gone).
   */
  record Start(Plan plan, Map<Integer, Long> watermark) {
    /**
     * Whether {@code range} reaches the watermark in every partition the watermark has: a table rebuilt from it
     * holds every input row a run from the watermark would not read again (rows arrive in offset order per
     * partition), so until the rebuild's record is written the old watermark is still a valid one.
     */
    boolean reaches(InputRange range) {
      Map<Integer, Long> to = range.watermark();
      return watermark.entrySet().stream().allMatch(w -> to.getOrDefault(w.getKey(), -1L) >= w.getValue());
    }
  }

  private static Start planned(ModelSql.Model model, Map<Integer, Long> from, Statement st) throws SQLException {
    List<Plan.Pending> pending = new ArrayList<>();
    Map<Integer, Long> actual = Map.of();
    try (ResultSet rs = st.executeQuery(ModelSql.planQuery(model, from))) {
      while (rs.next()) {
        if ("watermark".equals(rs.getString(1))) {
          actual = InputRange.fromJson(rs.getString(6)).watermark();
        } else {
          pending.add(pending(rs, 2));
        }
      }
    }
    return new Start(Plan.of(from, pending), actual);
  }

  /**
   * A full refresh's plan: every row of the model's input, and the watermark the refresh replaces, in one query.
   * Needs {@code ops.materializations} (the runner creates it first when it may be missing).
   */
  static Start fromStart(ModelSql.Model model, Statement st) throws SQLException {
    return planned(model, Map.of(), st);
  }

  private static Plan plan(ModelSql.Model model, Map<Integer, Long> watermark, Statement st) throws SQLException {
    return plan(ModelSql.pendingQuery(model, watermark), watermark, st);
  }

  /** The plan of {@code cut}, a bounded part of the batch above {@code watermark}. */
  static Plan plan(ModelSql.Model model, Map<Integer, Long> watermark, InputRange cut, Statement st)
      throws SQLException {
    return plan(ModelSql.pendingQuery(model, cut), watermark, st);
  }

  /** The plan from {@code watermark} of the rows a {@link ModelSql#pendingQuery} returns. */
  private static Plan plan(String pendingQuery, Map<Integer, Long> watermark, Statement st) throws SQLException {
    List<Plan.Pending> pending = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(pendingQuery)) {
      while (rs.next()) {
        pending.add(pending(rs, 1));
      }
    }
    return Plan.of(watermark, pending);
  }

  /** A {@link Plan.Pending} from (partition, max offset, rows, min LSN) at columns {@code first..first+3}. */
  private static Plan.Pending pending(ResultSet rs, int first) throws SQLException {
    long lsn = rs.getLong(first + 3);
    OptionalLong minLsn = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(lsn);
    return new Plan.Pending(rs.getInt(first), rs.getLong(first + 1), rs.getLong(first + 2), minLsn);
  }

  static boolean allExist(List<String> relations, Statement st) throws SQLException {
    Set<String> existing = new HashSet<>();
    try (ResultSet rs = st.executeQuery(ModelSql.existingRelationsQuery(relations))) {
      while (rs.next()) {
        existing.add(Sql.CATALOG + "." + rs.getString(1) + "." + rs.getString(2));
      }
    }
    return existing.containsAll(relations);
  }

  /** The model's watermark: toInclusive per partition of its latest succeeded or reset row; empty if none. */
  static Map<Integer, Long> watermark(String asset, Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery(OpsSql.watermarkQuery(asset))) {
      return rs.next() ? InputRange.fromJson(rs.getString(1)).watermark() : Map.of();
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("does not exist")) {
        return Map.of(); // no model has ever run (a run creates the table first)
      }
      throw e;
    }
  }
}
