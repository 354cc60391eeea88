package dev.lakehouse.activities.trino;

import dev.lakehouse.models.Batch;
import dev.lakehouse.models.CheckResultsSql;
import dev.lakehouse.models.CheckSql;
import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.CheckRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks of one model on Trino (docs/models.md#checks): the generated checks in one statement (those of
 * a user model over its whole table), each {@code sql} check alone ({@link #evaluate}); the results of a run's
 * assets are written to {@code ops.asset_checks} in one insert ({@link #record}). A statement Trino rejects as a user error (a column or table that does not exist, bad
 * SQL) makes its checks failed results saying why; other errors (Trino unreachable) are thrown, so the activity is
 * retried.
 */
public final class CheckRunner {
  private static final Logger log = LoggerFactory.getLogger(CheckRunner.class);
  private static final int USER_ERROR_LIMIT = 0x1_0000;

  private final CheckSql sql;
  private final TrinoConnections connections;
  private final Clock clock;
  /** ops.asset_checks is known to exist (created once per runner, then on a "does not exist" error). */
  private final AtomicBoolean tableReady = new AtomicBoolean();

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
      Optional<Batch> batch;
      if (sql.wholeTableOnly(asset)) {
        // a user model has no load batch; one that never ran (its upstream did not exist yet) has no table
        if (latestRanges(asset, st).isEmpty()) {
          log.info("{}: no materialization yet, nothing to check", asset);
          return new AssetCheckReport(asset, List.of());
        }
        batch = Optional.empty();
      } else if (request.wholeTable()) {
        batch = Optional.empty();
      } else {
        Optional<Batch> known = batch(asset, request, st);
        if (known.isEmpty()) {
          log.info("{}: no materialization yet, nothing to check", asset);
          return new AssetCheckReport(asset, List.of());
        }
        batch = known;
      }
      List<AssetCheckResult> results = new ArrayList<>();
      Map<Integer, AssetCheckResult> byIndex = generated(asset, checks, batch, st);
      for (int i = 0; i < checks.size(); i++) {
        CheckSpec check = checks.get(i);
        results.add(check.kind() == CheckKind.SQL ? userQuery(check, st) : byIndex.get(i));
      }
      AssetCheckReport report = new AssetCheckReport(asset, results, checkedAt.toString());
      log.info("{}: {} ({} ms, {})", asset, report.summary(), (System.nanoTime() - t0) / 1_000_000,
          batch.isEmpty() ? "whole table" : "batch " + batch.get().range().toJson());
      return report;
    }
  }

  /** The batch the request names, or the asset's latest successful one; empty when it never materialized. */
  private Optional<Batch> batch(String asset, CheckRequest request, Statement st) throws SQLException {
    InputRange range;
    OptionalLong minLsn = OptionalLong.empty();
    if (request.inputRanges() != null) {
      range = InputRange.fromJson(request.inputRanges());
      if (request.minLsn() != null) {
        minLsn = OptionalLong.of(request.minLsn());
      }
    } else {
      Optional<String> latest = latestRanges(asset, st);
      if (latest.isEmpty()) {
        return Optional.empty();
      }
      range = InputRange.fromJson(latest.get());
      if (range.isEmpty()) {
        return Optional.of(new Batch(range, OptionalLong.empty()));
      }
    }
    if (minLsn.isEmpty() && !range.isEmpty()) {
      try (ResultSet rs = st.executeQuery(sql.minLsnQuery(asset, range))) {
        if (rs.next()) {
          long lsn = rs.getLong(1);
          minLsn = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(lsn);
        }
      }
    }
    return Optional.of(new Batch(range, minLsn));
  }

  /** The input ranges of the asset's latest successful materialization; empty when it never materialized. */
  private static Optional<String> latestRanges(String asset, Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery(CheckSql.latestBatchQuery(asset))) {
      return rs.next() ? Optional.of(Objects.requireNonNullElse(rs.getString(1), "")) : Optional.empty();
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("does not exist")) {
        return Optional.empty(); // no model has ever run
      }
      throw e;
    }
  }

  /** The generated checks' results by index, from their one statement. */
  private Map<Integer, AssetCheckResult> generated(String asset, List<CheckSpec> checks, Optional<Batch> batch,
      Statement st) throws SQLException {
    Map<Integer, AssetCheckResult> out = new HashMap<>();
    Optional<String> query = sql.query(asset, batch);
    if (query.isEmpty()) {
      return out;
    }
    Map<Integer, Long> failing = new HashMap<>();
    Map<Integer, List<String>> samples = new HashMap<>();
    Map<Integer, String> errors = new HashMap<>();
    try {
      read(query.get(), st, failing, samples);
    } catch (SQLException e) {
      userError(e);
      // one check Trino rejects (a hub table not created yet) must not take the others down: one at a time
      for (int i = 0; i < checks.size(); i++) {
        int only = i;
        Optional<String> one = sql.query(asset, batch, k -> k == only);
        if (one.isPresent()) {
          try {
            read(one.get(), st, failing, samples);
          } catch (SQLException single) {
            errors.put(i, userError(single));
          }
        }
      }
    }
    for (int i = 0; i < checks.size(); i++) {
      CheckSpec c = checks.get(i);
      if (c.kind() != CheckKind.SQL) {
        long n = failing.getOrDefault(i, 0L);
        String error = errors.get(i);
        out.put(i, new AssetCheckResult(asset, c.name(), c.kind(), c.severity(), error == null && n == 0,
            error == null ? n : 0, samples.getOrDefault(i, List.of()), error));
      }
    }
    return out;
  }

  private static void read(String query, Statement st, Map<Integer, Long> failing, Map<Integer, List<String>> samples)
      throws SQLException {
    try (ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        int i = rs.getInt(1);
        failing.put(i, rs.getLong(2));
        samples.computeIfAbsent(i, k -> new ArrayList<>()).add(rs.getString(3));
      }
    }
  }

  private AssetCheckResult userQuery(CheckSpec c, Statement st) throws SQLException {
    List<String> sample = new ArrayList<>();
    long n = 0;
    try (ResultSet rs = st.executeQuery(sql.sqlQuery(c))) {
      int last = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        sample.add(last > 1 ? rs.getString(1) : "row");
        n = rs.getLong(last);
      }
    } catch (SQLException e) {
      // Trino's line and column count in the wrapped statement: show the reader the query they wrote
      return new AssetCheckResult(c.asset(), c.name(), c.kind(), c.severity(), false, 0, List.of(),
          userError(e) + " (in the check's query " + c.sql().replaceAll("\\s+", " ") + ")");
    }
    return new AssetCheckResult(c.asset(), c.name(), c.kind(), c.severity(), n == 0, n, sample, null);
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
