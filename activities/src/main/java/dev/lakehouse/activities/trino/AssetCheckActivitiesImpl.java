package dev.lakehouse.activities.trino;

import dev.lakehouse.activities.Heartbeats;
import dev.lakehouse.models.CheckResultsSql;
import dev.lakehouse.models.CheckSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.AssetCheckActivities;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.CheckRequest;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AssetCheckActivities} on Trino through {@link CheckRunner}. Heartbeats while the checks run; when Temporal
 * says the activity was cancelled or timed out, the running query is cancelled.
 */
public final class AssetCheckActivitiesImpl implements AssetCheckActivities {
  private static final Logger log = LoggerFactory.getLogger(AssetCheckActivitiesImpl.class);
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
  /** What to do when Trino rejects the results' INSERT: it is ours, not a model's, so the model SQL is not at fault. */
  static final String REJECTED_WRITE = "Trino rejected our INSERT of the run's check results, not a model's SQL: if"
      + " SHOW CREATE TABLE " + CheckResultsSql.TABLE + " lacks one of (" + CheckResultsSql.COLUMNS + "), an older"
      + " version created it: rename or drop it and the next write creates it again; otherwise it is a bug to report"
      + " with this message; not retried";

  private final CheckRunner runner;

  @Inject
  public AssetCheckActivitiesImpl(PipelineSpec spec) {
    this.runner = new CheckRunner(new CheckSql(spec), new TrinoConnections(spec.trino()),
        Clock.systemUTC());
  }

  @Override
  public AssetCheckReport check(String assetKey, CheckRequest request) {
    return withHeartbeats(assetKey, running -> runner.check(assetKey, request, running));
  }

  @Override
  public AssetCheckReport evaluate(String assetKey, CheckRequest request) {
    return withHeartbeats(assetKey, running -> runner.evaluate(assetKey, request, running));
  }

  @Override
  public void record(CheckRecord record) {
    // a later attempt may follow a commit whose answer was lost: then only the rows not there yet are written
    boolean retry = Activity.getExecutionContext().getInfo().getAttempt() > 1;
    try {
      runner.record(record, retry);
    } catch (SQLException | RuntimeException e) {
      throw recordFailed(record, e);
    }
  }

  /** Why the write of a run's check results failed: what it was, and what to do when Trino rejected it. */
  static ApplicationFailure recordFailed(CheckRecord record, Throwable e) {
    int results = record.reports().stream().mapToInt(r -> r.results().size()).sum();
    return TrinoErrors.of(record.runId(), "writing " + results + " check results to " + CheckResultsSql.TABLE, e,
        REJECTED_WRITE);
  }

  /** What the checks of one asset run on Trino, with heartbeats; a cancellation cancels the running query. */
  private interface Checks {
    AssetCheckReport run(Consumer<Statement> running) throws SQLException;
  }

  private AssetCheckReport withHeartbeats(String assetKey, Checks checks) {
    AtomicReference<Statement> running = new AtomicReference<>();
    Heartbeats.Periodic beat = Heartbeats.periodically("heartbeat checks " + assetKey, HEARTBEAT_EVERY,
        () -> "checks of " + assetKey, cancelled -> {
          log.warn("{}: check activity cancelled or timed out ({}); cancelling the running query", assetKey,
              cancelled.toString());
          TrinoConnections.cancelQuietly(running.get());
        });
    try {
      return checks.run(running::set);
    } catch (SQLException | RuntimeException e) {
      throw TrinoErrors.of(assetKey, "checks", e);
    } finally {
      beat.close();
    }
  }
}
