package dev.lakehouse.activities.trino;

import dev.lakehouse.activities.Heartbeats;
import dev.lakehouse.models.CheckSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.AssetCheckActivities;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.CheckRequest;
import io.temporal.activity.Activity;
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

  private final CheckRunner runner;

  @Inject
  public AssetCheckActivitiesImpl(PipelineSpec spec) {
    this.runner = new CheckRunner(new CheckSql(spec), new TrinoConnections(spec.endpoints().trino()),
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
      throw TrinoErrors.of(record.runId(), "recording check results", e);
    }
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
