package dev.lakehouse.activities.trino;

import dev.lakehouse.models.Batch;
import dev.lakehouse.models.CheckResultsSql;
import dev.lakehouse.models.CheckShapesSql;
import dev.lakehouse.models.CheckSql;
import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.WrittenRowsSql;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.CheckRequest;
import dev.lakehouse.workflows.activities.WrittenData;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks of one model on Trino (docs/models.md#checks), usually in one statement ({@link #evaluate}): every
 * generated check (those of a user model over the rows its incremental run wrote, as the run reported them or, after
 * a restart, recorded them in {@code ops.materializations}; else its whole table) and every
 * {@code sql} check, whose column count a
 * probe that reads no row learns the first time (one round trip per asset after a start); after a run that read
 * nothing, the same statement also says whether the batch checked last is still the latest. The results of a run's assets are written to
 * {@code ops.asset_checks} in one insert ({@link #record}). A statement Trino rejects as a user error (a column or
 * table that does not exist, bad SQL) makes each check run alone, so only those that cannot run fail, saying why;
 * other errors (Trino unreachable) are thrown, so the activity is retried.
 */
public final class CheckRunner {
  private static final Logger log = LoggerFactory.getLogger(CheckRunner.class);

  private final CheckSql sql;
  private final TrinoConnections connections;
  private final Clock clock;
  /** ops.asset_checks is known to exist (created once per runner, then on a "does not exist" error). */
  private final AtomicBoolean tableReady = new AtomicBoolean();
  /** How many columns each {@code sql} check's query returns, learned by probes, kept across restarts. */
  private final SqlCheckShapes shapes;
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
    this.shapes = new SqlCheckShapes(new CheckShapesSql(sql.spec()));
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
      CheckRun run = new CheckRun(sql, shapes, clock, asset, checks, st);
      Optional<Batch> batch;
      Map<Integer, AssetCheckResult> results = null;
      boolean user = sql.isUserModel(asset);
      boolean given = user ? request.written() != null && !request.wholeTable()
          : request.wholeTable() || request.inputRanges() != null;
      if (given) {
        batch = user ? Optional.of(Batch.written(request.written()))
            : request.wholeTable() ? Optional.empty() : Optional.of(batch(asset, request, run));
      } else {
        // a run that read nothing, or a user model not told what its run wrote: what its last check run looked at
        // (a user model's whole table for --full), verified in the same statement, which also says whether a user
        // model has been materialized at all
        batch = user && request.wholeTable() ? Optional.empty() : checkedBatch.get(asset);
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
   * What the checks of an asset that read nothing now (or of a user model not told what its run wrote) look at: its
   * latest successful materialization's batch (for a user model, the rows it recorded it wrote, else its whole
   * table); empty when it never materialized.
   */
  private Optional<Optional<Batch>> latest(String asset, CheckRun run) throws SQLException {
    if (sql.isUserModel(asset)) {
      return latestWritten(asset, run);
    }
    Optional<String> ranges = latestRanges(asset, run);
    if (ranges.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Optional.of(batch(asset, InputRange.fromJson(ranges.get()), null, run)));
  }

  /**
   * What a user model's latest successful run recorded in {@code ops.materializations} it wrote (the checks then
   * verify that its snapshot is still the table's current one); its whole table when the run did not know (a
   * {@code table}, a first run, a full refresh, another commit in between) or the table has no such columns yet (no
   * user model has run on it since an older version created it); empty when it never ran.
   */
  private static Optional<Optional<Batch>> latestWritten(String asset, CheckRun run) throws SQLException {
    run.statements++;
    try (ResultSet rs = run.st.executeQuery(WrittenRowsSql.recordedQuery(asset))) {
      if (!rs.next()) {
        return Optional.empty();
      }
      long snapshot = rs.getLong(1);
      boolean known = !rs.wasNull();
      Array files = rs.getArray(2);
      if (!known || files == null) {
        return Optional.of(Optional.empty());
      }
      List<String> paths = new ArrayList<>();
      for (Object f : (Object[]) files.getArray()) {
        paths.add((String) f);
      }
      return Optional.of(Optional.of(Batch.written(new WrittenData(snapshot, paths))));
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("does not exist")) {
        return Optional.empty(); // no model has ever run
      }
      if (!message.contains("cannot be resolved")) {
        throw e;
      }
    }
    log.info("{}: ops.materializations does not record what runs wrote yet; checking the whole table", asset);
    return latestRanges(asset, run).map(r -> Optional.empty());
  }

  /** The batch the request names, with its smallest LSN (looked up when the request does not say it). */
  private Batch batch(String asset, CheckRequest request, CheckRun run) throws SQLException {
    return batch(asset, InputRange.fromJson(request.inputRanges()), request.minLsn(), run);
  }

  private Batch batch(String asset, InputRange range, Long knownMinLsn, CheckRun run) throws SQLException {
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
  private static Optional<String> latestRanges(String asset, CheckRun run) throws SQLException {
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
