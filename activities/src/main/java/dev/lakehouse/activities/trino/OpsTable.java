package dev.lakehouse.activities.trino;

import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.OpsSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares {@code iceberg.ops.materializations} for user model runs: the table where missing ({@link OpsSql#ddl})
 * and the columns of what a run wrote ({@link OpsSql#addedColumns}, a no-op without a commit once they are there).
 *
 * <p>Why at the worker's start, and why the retries. The first {@code ALTER TABLE ... ADD COLUMN} on a table an
 * older version created is an Iceberg commit; a run's insert into the same table committing meanwhile (a generated
 * model's record, from another activity) makes one of the two commits fail, and with it a run, which the
 * coordinator then retries. {@link #prepareBeforePolling} runs the DDL once before the worker polls, when no
 * activity of this worker can insert: on a lakehouse with one worker the race cannot happen. Two cases are left,
 * and an {@code ALTER} that failed with anything but a user error is run again ({@link #ATTEMPTS} times in all;
 * {@code IF NOT EXISTS} makes that safe): Trino did not answer at the start (the first user model run prepares the
 * table, while other activities may run), and another worker inserting during this one's start. Retrying the
 * inserts instead would not do: a failed insert whose commit outcome is unknown may have written its row, and its
 * retry would write it twice. Preparations run one at a time, so two user models starting together on a new worker
 * do not race each other's {@code ALTER} either.
 */
final class OpsTable {
  private static final Logger log = LoggerFactory.getLogger(OpsTable.class);

  /** Attempts of each {@code ALTER} (a commit conflict with an insert is over once that insert committed). */
  static final int ATTEMPTS = 4;
  private static final long BACKOFF_MILLIS = 200;

  /** Waits between attempts; a test passes one that records instead. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;

    Sleeper REAL = Thread::sleep;
  }

  private final TrinoConnections connections;
  private final Sleeper sleeper;
  private final AtomicBoolean ready = new AtomicBoolean();

  OpsTable(TrinoConnections connections, Sleeper sleeper) {
    this.connections = connections;
    this.sleeper = sleeper;
  }

  /** Whether this worker prepared the table (later runs skip the DDL). */
  boolean ready() {
    return ready.get();
  }

  /** The table must be prepared again (dropped or recreated behind this worker's back, or a full refresh). */
  void forget() {
    ready.set(false);
  }

  /**
   * At the worker's start, before it polls: prepares the table; when Trino does not answer, logs it and leaves the
   * work to the first user model run. Returns whether the table is prepared.
   */
  boolean prepareBeforePolling() {
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      prepare(new StatementExec(st, ModelRunner.Listener.NONE));
      log.info("{} prepared for user model runs (before polling)", OpsSql.TABLE);
      return true;
    } catch (SQLException | RuntimeException e) {
      log.warn("{} not prepared at the worker's start ({}); the first user model run prepares it", OpsSql.TABLE,
          String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      return false;
    }
  }

  /** Creates the table where missing and adds the columns where missing, each {@code ALTER} retried as above. */
  synchronized void prepare(StatementExec exec) throws SQLException {
    exec.run(OpsSql.ddl());
    for (ModelStatement alter : OpsSql.addedColumns()) {
      retrying(exec, alter, sleeper);
    }
    ready.set(true);
  }

  /** Runs {@code s}, again after a failure that is not a user error, up to {@link #ATTEMPTS} times in all. */
  static long retrying(StatementExec exec, ModelStatement s, Sleeper sleeper) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return exec.run(s);
      } catch (SQLException e) {
        if (attempt >= ATTEMPTS || !TrinoErrors.isRetryableQueryFailure(e)) {
          throw e;
        }
        log.info("{} failed (attempt {} of {}), running it again: {}", s.firstLine(), attempt, ATTEMPTS,
            String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        try {
          sleeper.sleep(BACKOFF_MILLIS * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
