package dev.lakehouse.activities.trino;

import dev.lakehouse.activities.BeforePolling;
import dev.lakehouse.activities.Heartbeats;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.MaterializationRecord;
import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ModelActivities} on Trino: one model per call through {@link ModelRunner}. Heartbeats while a
 * statement runs (MERGEs can be long); when Temporal says the activity was cancelled or timed out, the running
 * Trino query is cancelled. Failures name the asset and are retryable only when worth it ({@link TrinoErrors}).
 */
public final class ModelActivitiesImpl implements ModelActivities, BeforePolling {
  private static final Logger log = LoggerFactory.getLogger(ModelActivitiesImpl.class);

  /** Well inside the model activities' heartbeat timeout (ActivityOptionsCatalog). */
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);

  private final ModelRunner runner;

  /** SQL from {@code spec}, Trino at {@code spec.endpoints().trino()}. */
  @Inject
  public ModelActivitiesImpl(PipelineSpec spec) {
    this.runner = new ModelRunner(new ModelSql(spec), new TrinoConnections(spec.trino()),
        Clock.systemUTC());
  }

  /** Prepares {@code ops.materializations} for user model runs before any activity of this worker runs. */
  @Override
  public void beforePolling() {
    runner.prepareOpsTableBeforePolling();
  }

  @Override
  public MaterializeResult materialize(String assetKey, MaterializeContext context) {
    ActivityExecutionContext activity = Activity.getExecutionContext();
    String runId = context.runId() != null && !context.runId().isBlank() ? context.runId()
        : activity.getInfo().getWorkflowId() + "/" + activity.getInfo().getRunId();
    AtomicReference<String> step = new AtomicReference<>("start");
    // a run may have two statements at once (the rejects MERGE beside the model's): cancel each one seen
    Set<Statement> running = ConcurrentHashMap.newKeySet();
    Heartbeats.Periodic beat = Heartbeats.periodically("heartbeat " + assetKey, HEARTBEAT_EVERY, step::get,
        cancelled -> {
          log.warn("{}: activity cancelled or timed out ({}); cancelling the running query", assetKey,
              cancelled.toString());
          running.forEach(TrinoConnections::cancelQuietly);
        });
    try {
      MaterializeResult result = runner.materialize(assetKey, runId, context.fullRefresh(), context.recordApart(),
          (s, jdbc) -> {
        step.set(s.role() + ": " + s.firstLine());
        running.add(jdbc);
      });
      log.info("{}: {} rows in, {} out, {} rejected (run {}, full refresh {})", assetKey, result.rowsIn(),
          result.rowsOut(), result.rowsRejected(), runId, context.fullRefresh());
      return result;
    } catch (SQLException | RuntimeException e) {
      throw TrinoErrors.of(assetKey, "materialize (" + step.get() + ")", e);
    } finally {
      beat.close();
    }
  }

  @Override
  public void record(MaterializationRecord record) {
    try {
      runner.record(record, ModelRunner.Listener.NONE);
      log.info("{}: recorded {} (run {})", record.assetKey(), record.inputRanges(), record.runId());
    } catch (SQLException | RuntimeException e) {
      throw TrinoErrors.of(record.assetKey(), "record the run in ops.materializations", e);
    }
  }
}
