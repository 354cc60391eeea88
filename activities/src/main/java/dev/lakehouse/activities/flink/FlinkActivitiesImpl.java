package dev.lakehouse.activities.flink;

import dev.lakehouse.activities.Failures;
import dev.lakehouse.activities.Heartbeats;
import dev.lakehouse.activities.kafka.CdcTopics;
import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.FlinkActivities;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import dev.lakehouse.workflows.assets.AssetGraph;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest job: one Flink SQL statement set (all spec tables) named {@link IngestSql#PIPELINE_NAME},
 * submitted through the SQL Gateway and watched through the JobManager REST API.
 *
 * <p>Idempotent: a job with the name that is alive is kept (never a second copy; should two exist after a
 * race, the oldest is kept and the others cancelled). A FAILED, CANCELED or missing job is resubmitted,
 * resuming from the last retained checkpoint of the previous job when there is one (Kafka offsets and
 * pending Iceberg commits come back from state: nothing lost or written twice), else from the consumer
 * group's offsets committed at the last completed checkpoint (at-least-once; readers dedupe). See
 * docs/ingestion.md.
 */
public class FlinkActivitiesImpl implements FlinkActivities {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkActivitiesImpl.class);
  private static final String ASSET = AssetGraph.FLINK_INGEST;

  private final PipelineSpec spec;
  private final SqlGateway gateway;
  private final JobManager jobManager;
  private final Duration startTimeout;

  @Inject
  public FlinkActivitiesImpl(PipelineSpec spec) {
    this(spec, Duration.ofMinutes(2));
  }

  /** {@code startTimeout}: how long to wait for a submitted job to reach RUNNING (or an ending one to end). */
  public FlinkActivitiesImpl(PipelineSpec spec, Duration startTimeout) {
    this.spec = spec;
    this.gateway = new SqlGateway(spec.endpoints().flink().sqlGatewayUrl());
    this.jobManager = new JobManager(spec.endpoints().flink().url());
    this.startTimeout = startTimeout;
  }

  @Override
  public FlinkJobStatus ensureIngestJob() {
    try {
      Optional<JobManager.Job> alive = keepOneAlive();
      if (alive.isPresent()) {
        return status(alive.get());
      }
      awaitEnding();
      List<String> created = CdcTopics.ensure(spec);
      if (!created.isEmpty()) {
        LOG.info("{}: created the CDC topics {} before submitting (no change captured yet)", ASSET, created);
      }
      Optional<String> restore = restorePath();
      String jobId;
      String state;
      try {
        jobId = submit(restore);
        state = awaitStarted(jobId);
      } catch (SqlGateway.StatementException e) {
        if (restore.isEmpty()) {
          throw statementFailure(e);
        }
        LOG.warn("{}: submission restoring {} was rejected: {}; submitting from the committed Kafka offsets", ASSET,
            restore.get(), e.getMessage());
        jobId = null;
        state = "REJECTED";
      }
      if (restore.isPresent() && !"RUNNING".equals(state)) {
        // the retained checkpoint could not be restored (gone, or the plan changed): use the group offsets
        if (jobId != null) {
          LOG.warn("{}: job {} restoring {} is {}: {}; resubmitting from the committed Kafka offsets", ASSET, jobId,
              restore.get(), state, jobManager.rootException(jobId));
        }
        try {
          jobId = submit(Optional.empty());
        } catch (SqlGateway.StatementException e) {
          throw statementFailure(e);
        }
        state = awaitStarted(jobId);
      }
      if ("FAILED".equals(state) || "CANCELED".equals(state)) {
        throw Failures.notReady(ASSET, "job " + jobId + " is " + state + " right after submission: "
            + jobManager.rootException(jobId) + " (Flink UI: " + jobManager.baseUrl() + "/#/job/" + jobId + ")");
      }
      // a concurrent ensureIngestJob may have submitted too: keep the oldest
      return status(keepOneAlive().orElseThrow(() -> Failures.notReady(ASSET, "submitted job vanished")));
    } catch (IOException e) {
      throw Failures.of(ASSET, "ensure ingest job at " + jobManager.baseUrl(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw Failures.of(ASSET, "create the CDC topics at " + spec.endpoints().kafka().bootstrapServers(),
          e instanceof ExecutionException ? e.getCause() : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(ASSET, "ensure ingest job", e);
    }
  }

  @Override
  public FlinkJobStatus jobStatus() {
    try {
      List<JobManager.Job> jobs = jobManager.jobsNamed(IngestSql.PIPELINE_NAME);
      if (jobs.isEmpty()) {
        return new FlinkJobStatus(null, IngestSql.PIPELINE_NAME, "MISSING", null);
      }
      List<JobManager.Job> alive = jobs.stream().filter(j -> JobManager.ALIVE.contains(j.state())).toList();
      // the oldest alive job is the one ensureIngestJob keeps; else the newest (ended) one
      return status(alive.isEmpty() ? jobs.get(0) : alive.get(alive.size() - 1));
    } catch (IOException e) {
      throw Failures.of(ASSET, "read job status at " + jobManager.baseUrl(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(ASSET, "read job status", e);
    }
  }

  /** The oldest alive job with our name; any younger alive copies are cancelled. */
  private Optional<JobManager.Job> keepOneAlive() throws IOException, InterruptedException {
    List<JobManager.Job> alive = jobManager.jobsNamed(IngestSql.PIPELINE_NAME).stream()
        .filter(j -> JobManager.ALIVE.contains(j.state())).toList();
    if (alive.isEmpty()) {
      return Optional.empty();
    }
    JobManager.Job oldest = alive.get(alive.size() - 1);
    for (JobManager.Job extra : alive.subList(0, alive.size() - 1)) {
      LOG.warn("{}: cancelling duplicate job {} (keeping {})", ASSET, extra.id(), oldest.id());
      jobManager.cancel(extra.id());
    }
    return Optional.of(oldest);
  }

  /** A FAILING/CANCELLING job still holds its slot and may still write a checkpoint: let it end first. */
  private void awaitEnding() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (true) {
      List<JobManager.Job> ending = jobManager.jobsNamed(IngestSql.PIPELINE_NAME).stream()
          .filter(j -> JobManager.ENDING.contains(j.state())).toList();
      if (ending.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw Failures.notReady(ASSET, "job " + ending.get(0).id() + " is still " + ending.get(0).state());
      }
      Heartbeats.beat("waiting for job " + ending.get(0).id() + " to end");
      Thread.sleep(500);
    }
  }

  /** The retained checkpoint of the newest ended job, if Flink kept one. */
  private Optional<String> restorePath() throws IOException, InterruptedException {
    List<JobManager.Job> jobs = jobManager.jobsNamed(IngestSql.PIPELINE_NAME);
    if (jobs.isEmpty()) {
      return Optional.empty();
    }
    return jobManager.latestCheckpoint(jobs.get(0).id()).map(JobManager.Checkpoint::externalPath);
  }

  private String submit(Optional<String> restore)
      throws IOException, InterruptedException, SqlGateway.StatementException {
    List<String> statements = IngestSql.statements(spec, restore);
    String session = gateway.openSession(IngestSql.PIPELINE_NAME);
    try {
      String jobId = null;
      for (String statement : statements) {
        Heartbeats.beat("submitting " + IngestSql.PIPELINE_NAME);
        jobId = gateway.execute(session, statement).jobId();
      }
      if (jobId == null) {
        throw Failures.notReady(ASSET, "the SQL Gateway returned no job id for the statement set");
      }
      LOG.info("{}: submitted job {} ({} tables{})", ASSET, jobId, spec.tables().size(),
          restore.map(p -> ", restored from " + p).orElse(", from committed Kafka offsets"));
      return jobId;
    } finally {
      gateway.closeSession(session); // the job keeps running: it belongs to the cluster
    }
  }

  /** Polls until the job is RUNNING or ended; returns that state. */
  private String awaitStarted(String jobId) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (true) {
      String state = jobManager.state(jobId).orElse("MISSING");
      if ("RUNNING".equals(state) || "FAILED".equals(state) || "CANCELED".equals(state) || "FINISHED".equals(state)) {
        return state;
      }
      if (System.nanoTime() > deadline) {
        throw Failures.notReady(ASSET, "job " + jobId + " not RUNNING after " + startTimeout.toSeconds() + " s: "
            + state);
      }
      Heartbeats.beat("job " + jobId + " is " + state);
      Thread.sleep(500);
    }
  }

  private FlinkJobStatus status(JobManager.Job job) throws IOException, InterruptedException {
    Long age = jobManager.latestCheckpoint(job.id())
        .filter(c -> c.ackTimestamp() > 0)
        .map(c -> Math.max(0, System.currentTimeMillis() - c.ackTimestamp()))
        .orElse(null);
    return new FlinkJobStatus(job.id(), job.name(), job.state(), age);
  }

  /**
   * A rejected statement: unreachable services are retried; anything else (SQL, a missing table or
   * catalog option) is a configuration problem that retrying will not fix.
   */
  static ApplicationFailure statementFailure(SqlGateway.StatementException e) {
    String message = e.getMessage();
    String m = message.toLowerCase(Locale.ROOT);
    String first = e.statement.lines().findFirst().orElse("");
    if (m.contains("connection refused") || m.contains("timed out") || m.contains("timeout")
        || m.contains("unknownhost") || m.contains("connectexception") || m.contains("service unavailable")) {
      return Failures.of(ASSET, "statement `" + first + "`", new IOException(message));
    }
    return ApplicationFailure.newNonRetryableFailure(ASSET + ": Flink rejected `" + first + "`: " + message
        + " (check the raw tables exist (CatalogActivities.ensureRawTables) and the endpoints in lakehouse.conf; "
        + "not retried)", dev.lakehouse.workflows.activities.FailureTypes.SQL);
  }
}
