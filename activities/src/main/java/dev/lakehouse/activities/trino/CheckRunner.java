package dev.lakehouse.activities.trino;

import dev.lakehouse.models.Batch;
import dev.lakehouse.models.CheckResultsSql;
import dev.lakehouse.models.CheckSql;
import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.WrittenRows;
import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.CheckRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks of one model on Trino (docs/models.md#checks), usually in one statement ({@link #evaluate}): every
 * generated check (those of a user model over the rows its incremental run wrote, else its whole table) and every
 * {@code sql} check, whose column count a
 * probe that reads no row learns the first time (one round trip per asset after a start); after a run that read
 * nothing, the same statement also says whether the batch checked last is still the latest. The results of a run's assets are written to
 * {@code ops.asset_checks} in one insert ({@link #record}). A statement Trino rejects as a user error (a column or
 * table that does not exist, bad SQL) makes each check run alone, so only those that cannot run fail, saying why;
 * other errors (Trino unreachable) are thrown, so the activity is retried.
 */
public final class CheckRunner {
  private static final Logger log = LoggerFactory.getLogger(CheckRunner.class);
  private static final int USER_ERROR_LIMIT = 0x1_0000;

  private final CheckSql sql;
  private final TrinoConnections connections;
  private final Clock clock;
  /** ops.asset_checks is known to exist (created once per runner, then on a "does not exist" error). */
  private final AtomicBoolean tableReady = new AtomicBoolean();
  /**
   * Per {@code sql} check ({@link #shapeKey}), how many columns its query returns, learned by a probe: then it
   * joins its asset's one statement. 0: its first column is no text key (a map, an array), or it failed inside that
   * statement though it runs alone, so it stays alone.
   */
  private final Map<String, Integer> sqlColumns = new ConcurrentHashMap<>();
  /**
   * Per asset, the batch its last check run here looked at (empty: a user model's whole table). A later run that
   * read nothing for it checks that batch again in one statement that also reads the latest batch, and looks the
   * latest up and checks it (three more round trips) only when it is not the same any more.
   */
  private final Map<String, Optional<Batch>> checkedBatch = new ConcurrentHashMap<>();

  public CheckRunner(CheckSql sql, TrinoConnections connections, Clock clock) {
    this.sql = sql;
    this.connections = connections;
    this.clock = clock;
  }

  /**
   * Evaluates the checks of one asset, then writes their results ({@link #evaluate} and {@link #record} in one
   * call, as the check activity of runs from before the run wrote its results at its end).
   */
  public AssetCheckReport check(String asset, CheckRequest request, Consumer<Statement> running) throws SQLException {
    AssetCheckReport report = evaluate(asset, request, running);
    record(new CheckRecord(request.runId(), request.wholeTable(), List.of(report)), false);
    return report;
  }

  /**
   * The checks of one asset over what {@code request} says, stamped with when they ran; nothing written.
   * {@code running} is told the JDBC statement the checks run on (to cancel it).
   */
  public AssetCheckReport evaluate(String asset, CheckRequest request, Consumer<Statement> running)
      throws SQLException {
    List<CheckSpec> checks = sql.checks(asset);
    if (checks.isEmpty()) {
      // a user SQL model whose schema.yml declares no tests: nothing to read
      return new AssetCheckReport(asset, List.of());
    }
    long t0 = System.nanoTime();
    Instant checkedAt = clock.instant().truncatedTo(ChronoUnit.MICROS); // checked_at is timestamp(6)
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      running.accept(st);
      Run run = new Run(asset, checks, st);
      Optional<Batch> batch;
      Map<Integer, AssetCheckResult> results = null;
      boolean user = sql.isUserModel(asset);
      boolean given = request.wholeTable() || (user ? request.written() != null : request.inputRanges() != null);
      if (given) {
        batch = request.wholeTable() ? Optional.empty()
            : user ? Optional.of(Batch.written(new WrittenRows(request.written().snapshotId(),
                request.written().dataFiles())))
            : Optional.of(batch(asset, request, run));
      } else {
        // a run that read nothing, or a user model: what its last check run looked at, verified in the same statement
        batch = checkedBatch.get(asset);
        results = batch == null ? null : run.checks(batch, true);
      }
      if (results == null && !given) {
        checkedBatch.remove(asset); // not the latest any more (or never known): look it up
        Optional<Optional<Batch>> latest = latest(asset, run);
        if (latest.isEmpty()) {
          log.info("{}: no materialization yet, nothing to check", asset);
          return new AssetCheckReport(asset, List.of());
        }
        batch = latest.get();
      }
      if (results == null) {
        results = run.checks(batch, false);
      }
      if (results == null) {
        // the rows a user model's run wrote are its files' rows only while its snapshot is the table's current one
        log.info("{}: the table changed after the run wrote it; checking the whole table", asset);
        batch = Optional.empty();
        results = run.checks(batch, false);
      }
      if (!request.wholeTable()) {
        checkedBatch.put(asset, batch);
      }
      List<AssetCheckResult> ordered = new ArrayList<>();
      for (int i = 0; i < checks.size(); i++) {
        ordered.add(results.get(i));
      }
      AssetCheckReport report = new AssetCheckReport(asset, ordered, checkedAt.toString());
      log.info("{}: {} ({} ms, statements: {}, {})", asset, report.summary(), (System.nanoTime() - t0) / 1_000_000,
          run.statements, batch.isEmpty() ? "whole table" : batch.get().written()
              .map(w -> "rows written by snapshot " + w.snapshotId()).orElse("batch " + batch.get().range().toJson()));
      return report;
    }
  }

  /**
   * What the checks of an asset that read nothing now (or of a user model, which always reads its whole table)
   * look at: its latest successful materialization's batch (a user model's whole table); empty when it never
   * materialized.
   */
  private Optional<Optional<Batch>> latest(String asset, Run run) throws SQLException {
    Optional<String> ranges = latestRanges(asset, run);
    if (ranges.isEmpty()) {
      return Optional.empty();
    }
    if (sql.isUserModel(asset)) {
      return Optional.of(Optional.empty()); // a user model has no load batch, and one that never ran has no table
    }
    return Optional.of(Optional.of(batch(asset, InputRange.fromJson(ranges.get()), null, run)));
  }

  /** The batch the request names, with its smallest LSN (looked up when the request does not say it). */
  private Batch batch(String asset, CheckRequest request, Run run) throws SQLException {
    return batch(asset, InputRange.fromJson(request.inputRanges()), request.minLsn(), run);
  }

  private Batch batch(String asset, InputRange range, Long knownMinLsn, Run run) throws SQLException {
    OptionalLong minLsn = knownMinLsn == null ? OptionalLong.empty() : OptionalLong.of(knownMinLsn);
    if (minLsn.isEmpty() && !range.isEmpty()) {
      run.statements++;
      try (ResultSet rs = run.st.executeQuery(sql.minLsnQuery(asset, range))) {
        if (rs.next()) {
          long lsn = rs.getLong(1);
          minLsn = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(lsn);
        }
      }
    }
    return new Batch(range, minLsn);
  }

  /** The input ranges of the asset's latest successful materialization; empty when it never materialized. */
  private static Optional<String> latestRanges(String asset, Run run) throws SQLException {
    run.statements++;
    try (ResultSet rs = run.st.executeQuery(CheckSql.latestBatchQuery(asset))) {
      return rs.next() ? Optional.of(Objects.requireNonNullElse(rs.getString(1), "")) : Optional.empty();
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("does not exist")) {
        return Optional.empty(); // no model has ever run
      }
      throw e;
    }
  }

  /** Trino's line and column count in the wrapped statement: the error names the query the reader wrote. */
  private static String inQuery(CheckSpec c) {
    return c.kind() == CheckKind.SQL ? " (in the check's query " + c.sql().replaceAll("\\s+", " ") + ")" : "";
  }

  /** Types Trino casts to varchar: a {@code sql} check whose first column is one joins its asset's statement. */
  private static final Pattern TEXT_CASTABLE = Pattern.compile("(varchar|char|boolean|tinyint|smallint|integer"
      + "|bigint|real|double|decimal|date|time|timestamp|json|uuid|ipaddress|interval|unknown)\\b");

  /** Where a {@code sql} check's column count is kept: per asset, name and query. */
  private static String shapeKey(CheckSpec c) {
    return c.asset() + "\n" + c.name() + "\n" + c.sql();
  }

  /** One check run of an asset on one JDBC statement, counting the statements it sends. */
  private final class Run {
    final String asset;
    final List<CheckSpec> checks;
    final Statement st;
    /** {@code sql} checks whose query Trino rejected when probed in this run, with why. */
    final Map<Integer, String> rejected = new HashMap<>();
    int statements;

    Run(String asset, List<CheckSpec> checks, Statement st) {
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
        Integer n = sqlColumns.get(shapeKey(c));
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
                errors.put(i, userError(single) + inQuery(checks.get(i)));
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
      List<Integer> unknown = new ArrayList<>();
      for (int i = 0; i < checks.size(); i++) {
        if (checks.get(i).kind() == CheckKind.SQL && !rejected.containsKey(i)
            && !sqlColumns.containsKey(shapeKey(checks.get(i)))) {
          unknown.add(i);
        }
      }
      if (unknown.isEmpty()) {
        return;
      }
      if (unknown.size() > 1) {
        try {
          List<List<String>> shapes = describe(unknown.stream().map(checks::get).toList());
          if (shapes.size() == unknown.size()) { // else a query's own column bears the marker's label
            for (int k = 0; k < unknown.size(); k++) {
              learn(checks.get(unknown.get(k)), shapes.get(k));
            }
            return;
          }
        } catch (SQLException e) {
          userError(e); // one of them does not run: find which, each alone
        }
      }
      for (int i : unknown) {
        try {
          learn(checks.get(i), describe(List.of(checks.get(i))).get(0));
        } catch (SQLException e) {
          rejected.put(i, userError(e) + inQuery(checks.get(i)));
        }
      }
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

    private void learn(CheckSpec c, List<String> types) {
      boolean text = !types.isEmpty() && TEXT_CASTABLE.matcher(types.get(0)).lookingAt();
      sqlColumns.putIfAbsent(shapeKey(c), text ? types.size() : 0);
      if (!text) {
        log.info("{}: check '{}' runs in a statement of its own (its first column is {})", asset, c.name(),
            types.isEmpty() ? "missing" : types.get(0));
      }
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
        if (n.equals(sqlColumns.get(shapeKey(c)))) {
          log.info("{}: check '{}' runs in a statement of its own from now on ({})", asset, c.name(), why);
          sqlColumns.put(shapeKey(c), 0);
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
  }

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
      Optional<WrittenRows> written = batch.flatMap(Batch::written);
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

  /**
   * Writes the results of {@code record}'s reports in one statement, each report's rows with its
   * {@code checkedAt} (now for a report without one). {@code retry}: a previous attempt may have committed, so
   * rows already there (same run, asset, check and time) are left out.
   */
  public void record(CheckRecord record, boolean retry) throws SQLException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    List<CheckResultsSql.Row> rows = new ArrayList<>();
    for (AssetCheckReport report : record.reports()) {
      Instant at = report.checkedAt() == null ? now : Instant.parse(report.checkedAt());
      for (AssetCheckResult r : report.results()) {
        rows.add(new CheckResultsSql.Row(report.assetKey(), r.check(), r.kind().label(), r.severity().label(),
            r.passed(), r.failingRows(), r.sample(), r.message(), record.runId(), record.wholeTable(), at));
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    long t0 = System.nanoTime();
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      if (!tableReady.get()) {
        for (ModelStatement s : CheckResultsSql.ddl()) {
          try {
            st.execute(s.sql());
          } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("already exists")) {
              throw e; // IF NOT EXISTS racing a parallel check run is fine, anything else is not
            }
          }
        }
        tableReady.set(true);
      }
      try {
        st.execute((retry ? CheckResultsSql.insertMissing(rows) : CheckResultsSql.insert(rows)).sql());
      } catch (SQLException e) {
        tableReady.set(false); // dropped behind our back: the next attempt creates it again
        throw e;
      }
    }
    log.info("{}: {} check results of {} assets recorded{} ({} ms)", record.runId(), rows.size(),
        record.reports().stream().filter(r -> !r.results().isEmpty()).count(),
        retry ? " (a retry: rows already there left out)" : "", (System.nanoTime() - t0) / 1_000_000);
  }
}
