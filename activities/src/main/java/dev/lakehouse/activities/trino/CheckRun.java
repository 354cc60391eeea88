package dev.lakehouse.activities.trino;

import dev.lakehouse.models.Batch;
import dev.lakehouse.models.CheckSql;
import dev.lakehouse.models.InputRange;
import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.WrittenData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One check run of an asset on one JDBC statement ({@link CheckRunner}), counting the statements it sends: the
 * checks in one statement, the {@code sql} checks' column counts ({@link SqlCheckShapes}) read or probed first, and
 * each check alone when Trino rejects the statement.
 */
final class CheckRun {
  private static final Logger log = LoggerFactory.getLogger(CheckRunner.class);
  private static final int USER_ERROR_LIMIT = 0x1_0000;

  private final CheckSql sql;
  private final SqlCheckShapes shapes;
  private final Clock clock;
  final String asset;
  final List<CheckSpec> checks;
  final Statement st;
  /** {@code sql} checks whose query Trino rejected when probed in this run, with why. */
  final Map<Integer, String> rejected = new HashMap<>();
  int statements;

  CheckRun(CheckSql sql, SqlCheckShapes shapes, Clock clock, String asset, List<CheckSpec> checks, Statement st) {
    this.sql = sql;
    this.shapes = shapes;
    this.clock = clock;
    this.asset = asset;
    this.checks = checks;
    this.st = st;
  }

  /**
   * Every check's result by index over {@code batch}: one statement for all of them, the {@code sql} checks
   * included once their column count is known (a probe that reads no row learns it the first time,
   * {@link #probe}); a {@code sql} check whose first column Trino cannot cast to text runs alone. When Trino
   * rejects the statement, every check runs alone, a {@code sql} check in the same form as in the statement (so
   * its sample is the same five smallest keys), so only one that cannot run fails, saying why. {@code verify}:
   * {@code batch} is the one the last check run looked at, and the statement also reads the latest batch; null when
   * that is not the same any more (or the statement failed), and then nothing is known.
   */
  Map<Integer, AssetCheckResult> checks(Optional<Batch> batch, boolean verify) throws SQLException {
    probe();
    Map<Integer, Integer> columns = new HashMap<>();
    Set<Integer> alone = new HashSet<>();
    for (int i = 0; i < checks.size(); i++) {
      CheckSpec c = checks.get(i);
      if (c.kind() != CheckKind.SQL || rejected.containsKey(i)) {
        continue;
      }
      Integer n = shapes.get(c);
      if (n != null && n > 0) {
        columns.put(i, n);
      } else {
        alone.add(i);
      }
    }
    Optional<String> query = sql.query(asset, batch, new CheckSql.Contents(i -> true, columns, verify));
    if (verify && query.isEmpty()) {
      return null; // nothing to verify the batch with: look it up
    }
    Rows rows = new Rows();
    Map<Integer, String> errors = new HashMap<>(rejected);
    Set<Integer> relearned = new HashSet<>(); // sql checks whose count was wrong, probed again
    String failed = null; // why the one statement failed
    if (query.isPresent()) {
      try {
        read(query.get(), rows);
      } catch (SQLException e) {
        String why = userError(e);
        if (verify) {
          log.info("{}: the checks of the batch checked last could not run ({}); looking up the latest", asset, why);
          return null;
        }
        // one check Trino rejects (a hub table not created yet, a user query) must not take the others down
        rows = new Rows();
        for (int i = 0; i < checks.size(); i++) {
          if (alone.contains(i) || rejected.containsKey(i)) {
            continue;
          }
          int only = i;
          Map<Integer, Integer> shape = columns.containsKey(i) ? Map.of(i, columns.get(i)) : Map.of();
          Optional<String> one = sql.query(asset, batch, new CheckSql.Contents(k -> k == only, shape, false));
          if (one.isPresent()) {
            try {
              read(one.get(), rows);
            } catch (SQLException single) {
              String error = userError(single) + inQuery(checks.get(i));
              Optional<Integer> now = columns.containsKey(i) ? relearn(checks.get(i), columns.get(i))
                  : Optional.empty();
              if (now.isPresent()) {
                relearned.add(i);
                if (now.get() == 0) {
                  alone.add(i);
                  continue;
                }
                columns.put(i, now.get());
                try {
                  read(sql.query(asset, batch, new CheckSql.Contents(k -> k == only, Map.of(i, now.get()), false))
                      .orElseThrow(), rows);
                  continue;
                } catch (SQLException again) {
                  error = userError(again) + inQuery(checks.get(i));
                }
              }
              errors.put(i, error);
            }
          }
        }
        failed = why;
      }
      if (verify && !rows.latestMatches(batch)) {
        log.info("{}: the latest batch is {}, not the one checked last; checking it", asset, rows.latest);
        return null;
      }
      if (!rows.snapshotMatches(batch)) {
        return null;
      }
    }
    Map<Integer, AssetCheckResult> out = new HashMap<>();
    for (int i = 0; i < checks.size(); i++) {
      CheckSpec c = checks.get(i);
      if (alone.contains(i)) {
        out.put(i, userQuery(c, batch));
        continue;
      }
      long n = rows.failing.getOrDefault(i, 0L);
      String error = errors.get(i);
      out.put(i, new AssetCheckResult(asset, c.name(), c.kind(), c.severity(), error == null && n == 0,
          error == null ? n : 0, rows.samples.getOrDefault(i, List.of()), error));
    }
    if (failed != null) {
      relearned.forEach(columns::remove);
      keepAloneWhenOnlyTheirStatementFailed(columns, out, failed);
    }
    return out;
  }

  /**
   * Learns the column count of every {@code sql} check not known yet in this worker (the first check run after a
   * start), in one statement that reads no row, so that the check joins the asset's statement at once instead of
   * running alone first. A query Trino rejects is probed alone to name it; its message is that check's result
   * ({@link #rejected}). A first column Trino cannot cast to text (a map, an array) keeps the check alone.
   */
  private void probe() throws SQLException {
    List<Integer> unknown = unknown();
    if (!unknown.isEmpty() && shapes.load(st)) {
      statements++; // what earlier workers learned, read once per worker
      unknown = unknown();
    }
    if (unknown.isEmpty()) {
      return;
    }
    Map<CheckSpec, Integer> learned = new HashMap<>();
    try {
      if (unknown.size() > 1) {
        try {
          List<List<String>> described = describe(unknown.stream().map(checks::get).toList());
          if (described.size() == unknown.size()) { // else a query's own column bears the marker's label
            for (int k = 0; k < unknown.size(); k++) {
              learned.put(checks.get(unknown.get(k)), learn(checks.get(unknown.get(k)), described.get(k)));
            }
            return;
          }
        } catch (SQLException e) {
          userError(e); // one of them does not run: find which, each alone
        }
      }
      for (int i : unknown) {
        try {
          learned.put(checks.get(i), learn(checks.get(i), describe(List.of(checks.get(i))).get(0)));
        } catch (SQLException e) {
          rejected.put(i, userError(e) + inQuery(checks.get(i)));
        }
      }
    } finally {
      if (!learned.isEmpty()) {
        statements++;
        shapes.learned(learned, st, clock.instant());
      }
    }
  }

  /** The {@code sql} checks whose column count this worker does not hold (and that Trino did not reject). */
  private List<Integer> unknown() {
    List<Integer> unknown = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      if (checks.get(i).kind() == CheckKind.SQL && !rejected.containsKey(i) && shapes.get(checks.get(i)) == null) {
        unknown.add(i);
      }
    }
    return unknown;
  }

  /**
   * A {@code sql} check that failed alone with the column count {@code had}, read from {@code ops.check_shapes}
   * or learned earlier, probed again: its new count (kept and written) when it differs, empty when it does not or
   * the probe fails too (then the check's error stands). A count goes stale when what its query reads changes in
   * a way its shape does not capture (a table altered behind the spec's back).
   */
  private Optional<Integer> relearn(CheckSpec c, int had) throws SQLException {
    int n;
    try {
      n = learn(c, describe(List.of(c)).get(0));
    } catch (SQLException e) {
      userError(e);
      return Optional.empty();
    }
    if (n == had) {
      return Optional.empty();
    }
    log.info("{}: check '{}' returns {} columns, not {} as known before; learned again", asset, c.name(), n, had);
    statements++;
    shapes.learned(Map.of(c, n), st, clock.instant());
    return Optional.of(n);
  }

  /** The column types of each check's query, from one {@link CheckSql#probeQuery}. */
  private List<List<String>> describe(List<CheckSpec> probed) throws SQLException {
    statements++;
    try (ResultSet rs = st.executeQuery(sql.probeQuery(probed))) {
      ResultSetMetaData md = rs.getMetaData();
      List<List<String>> shapes = new ArrayList<>();
      if (probed.size() == 1) {
        shapes.add(new ArrayList<>());
      }
      for (int col = 1; col <= md.getColumnCount(); col++) {
        if (probed.size() > 1 && CheckSql.PROBE_MARKER.equals(md.getColumnLabel(col))) {
          shapes.add(new ArrayList<>()); // the next query's columns follow
        } else {
          shapes.get(shapes.size() - 1).add(md.getColumnTypeName(col));
        }
      }
      return shapes;
    }
  }

  /** The column count a probe found for {@code c}: 0 when its first column is no text key (it runs alone). */
  private int learn(CheckSpec c, List<String> types) {
    boolean text = !types.isEmpty() && TEXT_CASTABLE.matcher(types.get(0)).lookingAt();
    if (!text) {
      log.info("{}: check '{}' runs in a statement of its own (its first column is {})", asset, c.name(),
          types.isEmpty() ? "missing" : types.get(0));
    }
    return text ? types.size() : 0;
  }

  /**
   * After the statement failed and every check ran alone: when none of them failed and the {@code sql} checks in
   * it still return as many columns, it was putting them into one statement that failed (a first column Trino
   * cannot cast to text), so they run alone from now on.
   */
  private void keepAloneWhenOnlyTheirStatementFailed(Map<Integer, Integer> columns,
      Map<Integer, AssetCheckResult> results, String why) {
    if (results.values().stream().anyMatch(r -> r.message() != null)) {
      return; // a check that cannot run explains it
    }
    columns.forEach((i, n) -> {
      CheckSpec c = checks.get(i);
      if (n.equals(shapes.get(c))) {
        log.info("{}: check '{}' runs in a statement of its own from now on ({})", asset, c.name(), why);
        shapes.keepAlone(c);
      }
    });
  }

  private void read(String query, Rows rows) throws SQLException {
    statements++;
    try (ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        int i = rs.getInt(1);
        if (i == CheckSql.LATEST) {
          rows.latest = rs.getString(3);
          continue;
        }
        if (i == CheckSql.CURRENT_SNAPSHOT) {
          rows.currentSnapshot = rs.getString(3);
          continue;
        }
        rows.failing.put(i, rs.getLong(2));
        rows.samples.computeIfAbsent(i, k -> new ArrayList<>()).add(rs.getString(3));
      }
    }
  }

  /**
   * A {@code sql} check on its own, when its first column cannot be the statement's text key: any five of its rows
   * are its sample.
   */
  private AssetCheckResult userQuery(CheckSpec c, Optional<Batch> batch) throws SQLException {
    List<String> sample = new ArrayList<>();
    long n = 0;
    statements++;
    try (ResultSet rs = st.executeQuery(sql.sqlQuery(c, batch))) {
      int last = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        sample.add(last > 1 ? rs.getString(1) : "row");
        n = rs.getLong(last);
      }
    } catch (SQLException e) {
      return new AssetCheckResult(c.asset(), c.name(), c.kind(), c.severity(), false, 0, List.of(),
          userError(e) + inQuery(c));
    }
    return new AssetCheckResult(c.asset(), c.name(), c.kind(), c.severity(), n == 0, n, sample, null);
  }

  /** Trino's line and column count in the wrapped statement: the error names the query the reader wrote. */
  private static String inQuery(CheckSpec c) {
    return c.kind() == CheckKind.SQL ? " (in the check's query " + c.sql().replaceAll("\\s+", " ") + ")" : "";
  }

  /** Types Trino casts to varchar: a {@code sql} check whose first column is one joins its asset's statement. */
  private static final Pattern TEXT_CASTABLE = Pattern.compile("(varchar|char|boolean|tinyint|smallint|integer"
      + "|bigint|real|double|decimal|date|time|timestamp|json|uuid|ipaddress|interval|unknown)\\b");

  /** The rows of a check statement: failing rows and sample keys by check index, and the latest batch's ranges. */
  private static final class Rows {
    final Map<Integer, Long> failing = new HashMap<>();
    final Map<Integer, List<String>> samples = new HashMap<>();
    String latest;
    /** The table's current snapshot id, read with the rows a user model's run wrote. */
    String currentSnapshot;

    /**
     * Whether the latest batch is {@code batch} (for a user model: whether there is one; that the rows its run wrote
     * are still the latest write is {@link #snapshotMatches}).
     */
    boolean latestMatches(Optional<Batch> batch) {
      if (latest == null) {
        return false;
      }
      return batch.isEmpty() || batch.get().written().isPresent()
          || InputRange.fromJson(latest).equals(batch.get().range());
    }

    /** Whether the rows a user model's run wrote, if that is what was checked, were read at the run's snapshot. */
    boolean snapshotMatches(Optional<Batch> batch) {
      Optional<WrittenData> written = batch.flatMap(Batch::written);
      return written.isEmpty() || String.valueOf(written.get().snapshotId()).equals(currentSnapshot);
    }
  }

  /** The message of a query Trino rejected as a user error; anything else is thrown (the activity retries). */
  private static String userError(SQLException e) throws SQLException {
    if (TrinoErrors.isQueryFailure(e) && e.getErrorCode() < USER_ERROR_LIMIT) {
      String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      return "could not run: " + first.replaceFirst("^Query failed \\([^)]*\\): ", "");
    }
    throw e;
  }
}
