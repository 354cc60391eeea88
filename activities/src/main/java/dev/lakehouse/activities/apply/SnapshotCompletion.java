package dev.lakehouse.activities.apply;

import dev.lakehouse.activities.Failures;
import dev.lakehouse.activities.Heartbeats;
import dev.lakehouse.activities.kafka.SnapshotAttempts;
import dev.lakehouse.activities.kafka.SnapshotScans;
import dev.lakehouse.activities.kafka.SnapshotSignals;
import dev.lakehouse.activities.source.SourceDatabase;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of apply's incremental snapshots: waits until Debezium reports each signalled table read to its end
 * ({@link SnapshotScans}), and signals a table again when Debezium skipped it ({@link SnapshotAttempts}), up to
 * {@value #MAX_ATTEMPTS} attempts. While a table's snapshot runs, it emits a logical decoding message each poll
 * ({@link SourceDatabase#emitSnapshotNudge}), so the snapshot also ends in a source without writes. Everything it
 * decides on is read from the two topics, so a retried activity picks up where the last attempt stopped.
 */
final class SnapshotCompletion {
  static final int MAX_ATTEMPTS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotCompletion.class);

  private final PipelineSpec spec;
  private final String asset;
  private final Duration timeout;
  private final Duration pollInterval;

  SnapshotCompletion(PipelineSpec spec, String asset, Duration timeout, Duration pollInterval) {
    this.spec = spec;
    this.asset = asset;
    this.timeout = timeout;
    this.pollInterval = pollInterval;
  }

  /**
   * One line per table once all are read; fails (retryably) when {@code timeout} passes first. A table's attempts are
   * those of the run of the latest signal naming it (this apply's, which signalled it last); a table no signal names
   * yet is signalled under {@code runPrefix}.
   */
  List<String> await(String runPrefix, List<String> tables)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> waiting = new LinkedHashSet<>(tables);
    List<String> lines = new ArrayList<>();
    while (true) {
      List<SnapshotSignals.Signal> signals = SnapshotSignals.signals(spec);
      List<SnapshotScans.Scan> scans = SnapshotScans.read(spec);
      boolean running = false;
      for (Iterator<String> it = waiting.iterator(); it.hasNext(); ) {
        String table = it.next();
        SnapshotAttempts attempts = SnapshotAttempts.latest(table, signals, scans, runPrefix);
        switch (attempts.state()) {
          case READ -> {
            it.remove();
            // not Debezium's row count: it adds up the rows of every attempt
            lines.add("snapshot of " + table + " read to its end (Debezium: " + attempts.readScan().orElseThrow()
                .status() + (attempts.attempts() > 1 ? ", attempt " + attempts.attempts() : "") + ")");
          }
          case SKIPPED -> retry(table, attempts);
          case RUNNING -> running = true;
        }
      }
      if (waiting.isEmpty()) {
        return lines;
      }
      if (System.nanoTime() > deadline) {
        throw Failures.notReady(asset, "the incremental snapshot of " + waiting + " has not ended after "
            + timeout.toSeconds() + " s (Debezium reports each table's end on " + SnapshotScans.topic(spec)
            + "; a retry of this step goes on waiting)");
      }
      if (running) {
        nudge();
      }
      Heartbeats.beat("snapshot of " + waiting);
      Thread.sleep(pollInterval.toMillis());
    }
  }

  /** A chunk read waits for a transaction that began after it; in a quiet source none would come. */
  private void nudge() {
    try {
      SourceDatabase.emitSnapshotNudge(spec);
    } catch (SQLException e) {
      throw Failures.of(asset, "emit a logical decoding message on " + spec.endpoints().postgres().jdbcUrl()
          + " (it lets a waiting snapshot chunk go)", e);
    }
  }

  private void retry(String table, SnapshotAttempts attempts)
      throws ExecutionException, TimeoutException, InterruptedException {
    String status = attempts.lastStatus().orElse("none");
    if ("NO_PRIMARY_KEY".equals(status)) {
      // no attempt would read it: Debezium reads a snapshot in chunks by primary key
      throw ApplicationFailure.newNonRetryableFailure(asset + ": Debezium cannot snapshot " + table + ": the source"
          + " table has no primary key (it reads the rows in chunks by key); add one in the source (the columns of"
          + " the spec's primary-key), then run lakehouse apply again", FailureTypes.SNAPSHOT_SKIPPED);
    }
    if (attempts.attempts() >= MAX_ATTEMPTS) {
      throw ApplicationFailure.newNonRetryableFailure(asset + ": Debezium skipped the incremental snapshot of "
          + table + " at each of " + attempts.attempts() + " attempts (last status " + status + "); see why in"
          + " Kafka Connect's log, then run lakehouse apply again (the table stays owed a snapshot)",
          FailureTypes.SNAPSHOT_SKIPPED);
    }
    String id = attempts.nextId();
    if (attempts.attempts() == 0) {
      LOG.info("{}: no snapshot signal of {} yet: sending {}", asset, table, id);
    } else {
      LOG.warn("{}: Debezium skipped the incremental snapshot of {} (status {}, attempt {}): signalling it again as {}",
          asset, table, status, attempts.attempts(), id);
    }
    SnapshotSignals.sendOne(spec, id, table);
  }
}
