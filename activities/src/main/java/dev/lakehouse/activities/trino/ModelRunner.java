package dev.lakehouse.activities.trino;

import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.models.Plan;
import dev.lakehouse.models.UserModelSql;
import dev.lakehouse.spec.UserModelSpec;
import dev.lakehouse.workflows.activities.MaterializationRecord;
import dev.lakehouse.workflows.activities.MaterializeResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one model on Trino (docs/models.md): reads its watermark from {@code ops.materializations}, takes the Kafka
 * offsets of its input above the watermark up to the highest present now, runs the model's MERGEs over exactly
 * that range, and only then records the range as the new watermark. A crash between the MERGEs and the record
 * re-runs the same range (or a larger one) and the MERGEs write nothing twice. A full refresh replaces the model's
 * tables by their rows rebuilt from every input row, one statement per table, and records that range (first a
 * {@code reset} row when the rebuild reads less than the old watermark covers). What a run reads (the plan
 * from the watermark) is {@link ModelPlanner}'s; the loads and their records are this class's.
 */
public final class ModelRunner {
  private static final Logger log = LoggerFactory.getLogger(ModelRunner.class);

  /**
   * Told before each statement runs (heartbeats, cancellation, logs). Two statements of a run may run at once, on
   * two threads: a listener keeps every statement it is told of to cancel them all.
   */
  public interface Listener {
    void beforeStatement(ModelStatement statement, Statement jdbc);

    Listener NONE = (s, j) -> {};
  }

  private final ModelSql sql;
  private final TrinoConnections connections;
  private final Clock clock;
  /** Models whose relations this runner has seen complete (a run succeeded): their runs skip the DDL check. */
  private final Set<String> ready = ConcurrentHashMap.newKeySet();
  /** Plans each run, from the watermark the model's last run here left when it knows it. */
  private final ModelPlanner planner = new ModelPlanner();
  private final UserModelRunner userModels;
  /** The tables this worker's runs added files to since they were last compacted, and their compactions. */
  private final TableCompaction compaction;
  /**
   * Statements that run beside a run's main one ({@link #beside}) and compactions after it ({@link #compact});
   * daemon threads, idle ones end after a minute.
   */
  private final ExecutorService background = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
      new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "model-statement");
        t.setDaemon(true);
        return t;
      });

  public ModelRunner(ModelSql sql, TrinoConnections connections, Clock clock) {
    this.sql = sql;
    this.connections = connections;
    this.clock = clock;
    this.userModels = new UserModelRunner(new UserModelSql(sql.spec()), connections, clock);
    this.compaction = new TableCompaction(sql.spec().worker().modelCompactEvery(),
        sql.spec().schedules().maintenance().rawParsed().optimizeFileSizeThreshold());
  }

  public MaterializeResult materialize(String asset, String runId, boolean fullRefresh) throws SQLException {
    return materialize(asset, runId, fullRefresh, false, Listener.NONE);
  }

  /**
   * One run of {@code asset}. With {@code recordApart} a generated model's last {@code ops.materializations} row is
   * not written but returned ({@link MaterializeResult#record}) for {@link #record}; a user model writes its own.
   */
  public MaterializeResult materialize(String asset, String runId, boolean fullRefresh, boolean recordApart,
      Listener listener) throws SQLException {
    Optional<UserModelSpec> user = sql.spec().userModel(asset);
    if (user.isPresent()) {
      return userModels.materialize(user.get(), runId, fullRefresh, listener);
    }
    boolean skipsCheck = ready.contains(asset);
    try {
      return run(asset, runId, fullRefresh, recordApart, listener);
    } catch (SQLException e) {
      if (skipsCheck && String.valueOf(e.getMessage()).contains("does not exist")) {
        // a table was dropped since this model last ran here (by hand, or a benchmark): check, create, run again
        log.info("{}: a relation is gone since the last run ({}); creating what is missing and running again", asset,
            e.getMessage().lines().findFirst().orElse(""));
        return run(asset, runId, fullRefresh, recordApart, listener);
      }
      throw e;
    }
  }

  private MaterializeResult run(String asset, String runId, boolean fullRefresh, boolean recordApart,
      Listener listener) throws SQLException {
    ModelSql.Model model = sql.model(asset);
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      StatementExec exec = new StatementExec(st, listener);
      long maxRows = sql.spec().worker().modelBatchMaxRows();
      // the rebuild of a full refresh replaces the model's tables; what it does not create (schemas, the view, the
      // hub table the view joins, the ops table) a model that ran here has
      boolean known = ready.contains(asset);
      if (fullRefresh) {
        ready.remove(asset);
        planner.forget(asset);
      }
      // CREATE OR REPLACE VIEW on every run would add a catalog version each time: DDL only when something is
      // missing; and once a run of this model succeeded here, not even the check (one catalog listing per run)
      if (!known && !ModelPlanner.allExist(model.relations(), st)) {
        exec.run(model.ddl());
      }
      long t1 = System.nanoTime();
      Plan plan;
      if (fullRefresh) {
        // every input row and, in the same query, the watermark the refresh replaces
        ModelPlanner.Start start = ModelPlanner.fromStart(model, st);
        plan = start.plan();
        if (!start.reaches(plan.bounded(maxRows).orElse(plan.batch().range()))) {
          // the first rebuild reads less than the watermark covers (a bounded batch; a recreated topic's offsets,
          // docs/silent-loss.md): forget the watermark first, so that a refresh that dies half-way leaves the next
          // run reading everything. Otherwise the old watermark stays valid until the rebuild's record moves it:
          // the rebuilt tables hold every row at or below it, and the MERGEs write nothing twice.
          exec.run(OpsSql.insert(Role.RESET, new OpsSql.Row(asset, runId, OpsSql.Status.RESET, true,
              InputRange.empty(), 0, 0, 0, started, clock.instant())));
        }
      } else {
        plan = plan(model, st);
      }
      // this model's last run may still be compacting the tables this one writes (TableCompaction)
      long waited = compaction.awaitCompactions(model.targets());
      long t2 = System.nanoTime();
      // a full refresh's first batch rebuilds the tables; any later bounded batch MERGEs into them
      boolean rebuild = fullRefresh;
      Loaded total = Loaded.NONE;
      Optional<InputRange> cut;
      // a backlog larger than one MERGE should read runs as consecutive bounded batches, each recorded as a run
      while ((cut = plan.bounded(maxRows)).isPresent()) {
        Plan part = ModelPlanner.plan(model, plan.batch().range().start(), cut.get(), st);
        if (part.rowsIn() == 0) {
          break; // the cut holds no row (offsets with gaps): read the whole batch at once
        }
        log.info("{}: {} rows above the watermark, more than {}: reading {} first", asset, plan.rowsIn(), maxRows,
            part.rowsIn());
        Loaded batch = load(asset, runId, fullRefresh, rebuild, model, part, started, exec);
        rebuild = false;
        exec.record(batch.record);
        total = total.then(batch);
        planner.ranTo(asset, part.batch().range().watermark());
        plan = plan(model, st);
      }
      long t3 = System.nanoTime();
      Loaded last = load(asset, runId, fullRefresh, rebuild, model, plan, started, exec);
      if (!recordApart) {
        exec.record(last.record);
      }
      total = total.then(last);
      long t4 = System.nanoTime();
      if (!fullRefresh && total.rowsIn() > 0) {
        compaction.afterRun(model, exec.written, this::compact);
      }
      long t5 = System.nanoTime();
      ready.add(asset);
      planner.ranTo(asset, plan.batch().range().watermark()); // what the record wrote, or the unchanged watermark
      log.info("{}: {} rows in, {} ms (ddl/check {} ms, plan {} ms of which {} ms waiting for a compaction, bounded"
          + " batches {} ms, load and record {} ms, starting compactions {} ms; {} DDL/DML statements)", asset,
          total.rowsIn(), ms(t5 - t0), ms(t1 - t0), ms(t2 - t1), waited, ms(t3 - t2), ms(t4 - t3), ms(t5 - t4),
          exec.count);
      MaterializeResult result = total.result(asset);
      return recordApart && last.record != null ? withRecord(result, last.record) : result;
    } catch (SQLException | RuntimeException e) {
      ready.remove(asset); // a table dropped behind our back: the next attempt checks and creates again
      planner.forget(asset); // and reads the watermark on its own (the record may not have been written)
      throw e;
    }
  }

  /** What one or several consecutive batches of a run read and wrote. */
  private record Loaded(long rowsIn, long rowsOut, long rejected, InputRange range, OptionalLong minLsn,
      OpsSql.Row record) {
    static final Loaded NONE = new Loaded(0, 0, 0, null, OptionalLong.empty(), null);

    Loaded then(Loaded next) {
      if (next.rowsIn == 0) {
        return this;
      }
      OptionalLong lsn = minLsn.isEmpty() ? next.minLsn : next.minLsn.isEmpty() ? minLsn
          : OptionalLong.of(Math.min(minLsn.getAsLong(), next.minLsn.getAsLong()));
      return new Loaded(rowsIn + next.rowsIn, rowsOut + next.rowsOut, rejected + next.rejected,
          range == null ? next.range : range.through(next.range), lsn, next.record);
    }

    MaterializeResult result(String asset) {
      boolean read = rowsIn > 0;
      return new MaterializeResult(asset, rowsIn, rowsOut, rejected, read ? range.toJson() : null,
          read && minLsn.isPresent() ? minLsn.getAsLong() : null);
    }
  }

  /**
   * One batch: the model's MERGEs over it, or with {@code rebuild} its tables replaced by the batch's rows
   * ({@link ModelSql.Model#rebuild}, also when it has none), then its record in {@code ops.materializations} (the
   * new watermark). Nothing read and not a full refresh: no record (the watermark would not move; an Iceberg commit
   * saved).
   */
  private Loaded load(String asset, String runId, boolean fullRefresh, boolean rebuild, ModelSql.Model model,
      Plan plan, Instant started, StatementExec exec) throws SQLException {
    long rowsOut = 0;
    long rejected = 0;
    if (plan.rowsIn() > 0 || rebuild) {
      List<ModelStatement> statements = rebuild ? model.rebuild(plan.batch()) : model.load(plan.batch());
      // the rejects statement reads the same input rows as the model's and writes a table nothing else in the run
      // reads: on a connection of its own beside the model's statement, one round trip less on the way downstream
      Optional<ModelStatement> side = statements.size() > 1
          ? statements.stream().filter(st -> st.role() == Role.REJECTS).findFirst() : Optional.empty();
      Future<Long> sideRows = side.isPresent() ? beside(side.get(), exec) : null;
      try {
        for (ModelStatement s : statements) {
          if (side.isPresent() && s == side.get()) {
            continue;
          }
          long n = exec.run(s);
          if (s.role() == Role.MODEL) {
            rowsOut += n;
          } else if (s.role() == Role.REJECTS) {
            rejected += n;
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (sideRows != null) {
          try {
            await(sideRows, side.get());
          } catch (SQLException sideFailure) {
            e.addSuppressed(sideFailure);
          }
        }
        throw e;
      }
      if (sideRows != null) {
        rejected += await(sideRows, side.get());
        exec.count++;
      }
    }
    OpsSql.Row record = fullRefresh || plan.rowsIn() > 0 ? new OpsSql.Row(asset, runId, OpsSql.Status.SUCCEEDED,
        fullRefresh, plan.batch().range(), plan.rowsIn(), rowsOut, rejected, started, clock.instant()) : null;
    return new Loaded(plan.rowsIn(), rowsOut, rejected, plan.batch().range(), plan.batch().minLsn(), record);
  }

  private static MaterializeResult withRecord(MaterializeResult r, OpsSql.Row row) {
    return new MaterializeResult(r.assetKey(), r.rowsIn(), r.rowsOut(), r.rowsRejected(), r.inputRanges(), r.minLsn(),
        new MaterializationRecord(row.asset(), row.runId(), row.fullRefresh(), row.inputRanges().toJson(),
            row.rowsIn(), row.rowsOut(), row.rowsRejected(), row.startedAt().toEpochMilli(),
            row.finishedAt().toEpochMilli()));
  }

  /**
   * Writes the record a run with {@code recordApart} left (the model's new watermark), unless the history has it:
   * a retry after a commit of unknown outcome adds no second row.
   */
  public void record(MaterializationRecord r, Listener listener) throws SQLException {
    OpsSql.Row row = new OpsSql.Row(r.assetKey(), r.runId(), OpsSql.Status.SUCCEEDED, r.fullRefresh(),
        InputRange.fromJson(r.inputRanges()), r.rowsIn(), r.rowsOut(), r.rowsRejected(),
        Instant.ofEpochMilli(r.startedAtMillis()), Instant.ofEpochMilli(r.finishedAtMillis()));
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      new StatementExec(st, listener).run(OpsSql.insertOnce(Role.RECORD, row));
    }
    compaction.committed(List.of(OpsSql.TABLE));
  }

  /** Runs {@code statement} on a connection of its own, in the background, its writes counted as the run's. */
  private Future<Long> beside(ModelStatement statement, StatementExec exec) {
    return apart(statement, exec::beside);
  }

  /**
   * Runs a compaction on a connection of its own, in the background. It may outlive the run that started it, so it
   * tells that run's listener nothing (the activity's heartbeats and cancellation end with the activity).
   */
  private CompletableFuture<Long> compact(ModelStatement statement) {
    return apart(statement, st -> new StatementExec(st, Listener.NONE));
  }

  /** Runs {@code statement} in the background on a new connection, through the executor {@code on} gives it. */
  private CompletableFuture<Long> apart(ModelStatement statement, Function<Statement, StatementExec> on) {
    CompletableFuture<Long> rows = new CompletableFuture<>();
    background.execute(() -> {
      try (Connection c = connections.open(); Statement st = c.createStatement()) {
        rows.complete(on.apply(st).run(statement));
      } catch (Throwable e) { // handed to whoever awaits the rows, as a Future of submit() would
        rows.completeExceptionally(e);
      }
    });
    return rows;
  }

  /** Waits for the compactions this runner started (tests; a run waits for those of the tables it writes). */
  void awaitCompactions() {
    compaction.awaitAll();
  }

  /**
   * The rows {@code statement} wrote in the background; its failure is the run's. Called after a foreground
   * failure too, so that no statement of a run outlives it.
   */
  static long await(Future<Long> rows, ModelStatement statement) throws SQLException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return rows.get();
        } catch (InterruptedException e) {
          interrupted = true; // the statement is cancelled through the listener's statement; wait for it to end
        } catch (ExecutionException e) {
          if (e.getCause() instanceof SQLException sql) {
            throw sql;
          }
          throw new SQLException("[" + statement.role() + "] " + statement.firstLine() + ": " + e.getCause(),
              e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  /** The next run of a model ({@link ModelPlanner#plan}); tests plan without running. */
  Plan plan(ModelSql.Model model, Statement st) throws SQLException {
    return planner.plan(model, st);
  }

  /**
   * At the worker's start, before it polls: prepares {@code ops.materializations} for user model runs when the
   * spec has user models ({@link OpsTable}, which says why); false when it has none or Trino did not answer.
   */
  public boolean prepareOpsTableBeforePolling() {
    return !sql.spec().userModels().isEmpty() && userModels.ops().prepareBeforePolling();
  }
}
