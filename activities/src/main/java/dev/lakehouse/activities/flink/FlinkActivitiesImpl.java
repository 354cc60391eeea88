package dev.lakehouse.activities.flink;

import dev.lakehouse.activities.Failures;
import dev.lakehouse.activities.Heartbeats;
import dev.lakehouse.activities.iceberg.RawOffsets;
import dev.lakehouse.activities.kafka.CdcTopics;
import dev.lakehouse.activities.kafka.ConsumerOffsets;
import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.KafkaAuth;
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
 * The ingest job: one Flink SQL statement set (all spec tables) named {@link IngestSql#jobName} (the prefix and the
 * statement set's fingerprint), submitted through the SQL Gateway and watched through the JobManager REST API.
 *
 * <p>An alive job of another statement set (the spec changed) is stopped with a savepoint and the new one submitted
 * from the offsets that savepoint committed ({@link #stopOtherStatementSets}). Idempotent: a job with the name that
 * is alive is kept (never a second copy; should two exist after a
 * race, the oldest is kept and the others cancelled). A FAILED, CANCELED or missing job is resubmitted,
 * resuming from the last retained checkpoint of the previous job when it ran this statement set (Kafka offsets and
 * pending Iceberg commits come back from state: nothing lost or written twice), else from the consumer group's
 * offsets raised to the raw tables' positions ({@link #alignGroupOffsets}). See docs/ingestion.md.
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
      String name = IngestSql.jobName(spec);
      boolean redeployed = stopOtherStatementSets(name);
      Optional<JobManager.Job> alive = keepOneAlive(name);
      if (alive.isPresent()) {
        return status(alive.get());
      }
      awaitEnding();
      List<String> created = CdcTopics.ensure(spec);
      if (!created.isEmpty()) {
        LOG.info("{}: created the CDC topics {} before submitting (no change captured yet)", ASSET, created);
      }
      // after a redeploy the savepoint committed the offsets to the group: the new statement set starts from them
      Optional<String> restore = redeployed ? Optional.empty() : restorePath(name);
      if (restore.isEmpty() && !redeployed) {
        alignGroupOffsets(); // no state to restore: start where the raw tables are, not at the last offset commit
      }
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
              restore.get(), state, rootException(jobId));
        }
        alignGroupOffsets(); // the failed restore may have committed the checkpoint's pending files
        try {
          jobId = submit(Optional.empty());
        } catch (SqlGateway.StatementException e) {
          throw statementFailure(e);
        }
        state = awaitStarted(jobId);
      }
      if ("FAILED".equals(state) || "CANCELED".equals(state)) {
        throw Failures.notReady(ASSET, "job " + jobId + " is " + state + " right after submission: "
            + rootException(jobId) + " (Flink UI: " + jobManager.baseUrl() + "/#/job/" + jobId + ")");
      }
      // a concurrent ensureIngestJob may have submitted too: keep the oldest
      return status(keepOneAlive(name).orElseThrow(() -> Failures.notReady(ASSET, "submitted job vanished")));
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

  /**
   * The state {@link #jobStatus} reports for an ingest job stopped with a savepoint less than
   * {@link #REDEPLOY_GRACE} ago with no job alive: whoever stopped it ({@code lakehouse apply}, redeploying another
   * statement set) submits its successor within seconds. The health check resubmits FINISHED jobs; resubmitting this
   * one would run the old statement set beside the new one, on the same consumer group.
   */
  public static final String REDEPLOYING = "REDEPLOYING";
  static final Duration REDEPLOY_GRACE = Duration.ofMinutes(2);

  @Override
  public FlinkJobStatus jobStatus() {
    try {
      List<JobManager.Job> jobs = jobManager.ingestJobs();
      if (jobs.isEmpty()) {
        return new FlinkJobStatus(null, IngestSql.jobName(spec), "MISSING", null);
      }
      List<JobManager.Job> alive = jobs.stream().filter(j -> JobManager.ALIVE.contains(j.state())).toList();
      long now = System.currentTimeMillis();
      if (alive.isEmpty() && redeploying(jobs.get(0), now)) {
        JobManager.Job stopped = jobs.get(0);
        LOG.info("{}: job {} ({}) was stopped with a savepoint {} s ago: its successor is expected, not resubmitting"
            + " it for {} s", ASSET, stopped.id(), stopped.name(), (now - stopped.endTime()) / 1000,
            REDEPLOY_GRACE.toSeconds());
        return new FlinkJobStatus(stopped.id(), stopped.name(), REDEPLOYING, null);
      }
      // the oldest alive job is the one ensureIngestJob keeps; else the newest (ended) one
      return status(alive.isEmpty() ? jobs.get(0) : alive.get(alive.size() - 1));
    } catch (IOException e) {
      throw Failures.of(ASSET, "read job status at " + jobManager.baseUrl(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(ASSET, "read job status", e);
    }
  }

  /** Whether {@code newest}, the newest ingest job, none being alive, was stopped with a savepoint just now. */
  static boolean redeploying(JobManager.Job newest, long nowMillis) {
    return "FINISHED".equals(newest.state()) && newest.endTime() > 0
        && nowMillis - newest.endTime() < REDEPLOY_GRACE.toMillis();
  }

  /**
   * The fingerprint of the alive ingest job's statement set (see {@link IngestSql#fingerprintOf}); empty when no
   * ingest job is alive.
   */
  public Optional<String> runningFingerprint() {
    try {
      return jobManager.ingestJobs().stream().filter(j -> JobManager.ALIVE.contains(j.state()))
          .reduce((newer, older) -> older).map(j -> IngestSql.fingerprintOf(j.name()));
    } catch (IOException e) {
      throw Failures.of(ASSET, "read jobs at " + jobManager.baseUrl(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(ASSET, "read jobs", e);
    }
  }

  /**
   * Alive ingest jobs of another statement set (the spec changed): each is stopped with a savepoint, which commits
   * its Iceberg files and its Kafka offsets as of one point. The new job is then submitted without restoring any
   * state: Flink SQL derives operator IDs from their position in the plan, so another statement set could map one
   * table's source state onto another table's source. It starts from the group's offsets instead, which the
   * savepoint made exactly the ones whose rows are committed; a new table has none and is read from the earliest.
   * Returns whether a job was stopped.
   */
  private boolean stopOtherStatementSets(String name) throws IOException, InterruptedException {
    boolean stopped = false;
    for (JobManager.Job job : jobManager.ingestJobs()) {
      if (JobManager.ALIVE.contains(job.state()) && !job.name().equals(name)) {
        LOG.info("{}: job {} ({}) runs another statement set than {}: stopping it with a savepoint", ASSET, job.id(),
            job.name(), name);
        String savepoint = jobManager.stopWithSavepoint(job.id(), startTimeout,
            () -> Heartbeats.beat("stopping job " + job.id() + " with a savepoint"));
        LOG.info("{}: job {} stopped with savepoint {}", ASSET, job.id(), savepoint);
        stopped = true;
      }
    }
    if (stopped) {
      alignGroupOffsets();
    }
    return stopped;
  }

  /**
   * The group's offsets raised to one past the last row each raw table committed, before a job is submitted without
   * state. The Iceberg committer commits a checkpoint's files when notified of its completion, and the Kafka source
   * then commits its offsets asynchronously: a job stopped with a savepoint, cancelled or failed just after a
   * checkpoint can leave the group one checkpoint behind the raw tables (measured: a change written twice after
   * a cancel). Positions of a recreated topic or of rows moved aside are not taken ({@link ConsumerOffsets#raise}).
   */
  private void alignGroupOffsets() throws IOException, InterruptedException {
    try {
      List<String> raised = ConsumerOffsets.raise(spec, IngestSql.GROUP_ID, RawOffsets.next(spec));
      if (!raised.isEmpty()) {
        LOG.info("{}: consumer group {} raised to the raw tables' positions: {}", ASSET, IngestSql.GROUP_ID, raised);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw Failures.of(ASSET, "set the offsets of consumer group " + IngestSql.GROUP_ID,
          e instanceof ExecutionException ? e.getCause() : e);
    }
  }

  /** The oldest alive job with this name; any younger alive copies are cancelled. */
  private Optional<JobManager.Job> keepOneAlive(String name) throws IOException, InterruptedException {
    List<JobManager.Job> alive = jobManager.jobsNamed(name).stream()
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
      List<JobManager.Job> ending = jobManager.ingestJobs().stream()
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

  /**
   * The retained checkpoint of the newest ended ingest job, if Flink kept one and the job ran this statement set
   * (the state of another one is never restored, see {@link #stopOtherStatementSets}; an older job of this one is
   * not either: the newest started from the group's offsets and may have committed rows after that checkpoint).
   * Read once the job's checkpoint statistics are final ({@link JobManager#awaitFinalCheckpointStats}).
   */
  private Optional<String> restorePath(String name) throws IOException, InterruptedException {
    List<JobManager.Job> jobs = jobManager.ingestJobs();
    if (jobs.isEmpty()) {
      return Optional.empty();
    }
    JobManager.Job newest = jobs.get(0);
    if (!newest.name().equals(name)) {
      LOG.info("{}: the last ingest job {} ran another statement set ({}, now {}): its state is not restored", ASSET,
          newest.id(), newest.name(), name);
      return Optional.empty();
    }
    Duration waited = jobManager.awaitFinalCheckpointStats(newest,
        () -> Heartbeats.beat("waiting for the final checkpoint statistics of job " + newest.id()));
    Optional<JobManager.Checkpoint> latest = jobManager.latestCheckpoint(newest.id());
    Optional<String> path = latest.map(JobManager.Checkpoint::externalPath);
    LOG.info("{}: last ingest job {} is {} (statistics read after waiting {} ms): {}", ASSET, newest.id(),
        newest.state(), waited.toMillis(), path.map(p -> "retained checkpoint " + p).orElse(latest.isPresent()
            ? "its checkpoint " + latest.get().id() + " was not retained" : "no completed checkpoint"));
    return path;
  }

  private String submit(Optional<String> restore)
      throws IOException, InterruptedException, SqlGateway.StatementException {
    List<String> statements = IngestSql.statements(spec, restore);
    String session = gateway.openSession(IngestSql.jobName(spec));
    try {
      String jobId = null;
      for (String statement : statements) {
        Heartbeats.beat("submitting " + IngestSql.jobName(spec));
        try {
          jobId = gateway.execute(session, statement).jobId();
        } catch (SqlGateway.StatementException e) {
          throw redacted(e, spec.security().kafka());
        }
      }
      if (jobId == null) {
        throw Failures.notReady(ASSET, "the SQL Gateway returned no job id for the statement set");
      }
      LOG.info("{}: submitted job {} ({} tables{})", ASSET, jobId, spec.tables().size(),
          restore.map(p -> ", restored from " + p).orElse(", without state: from the consumer group's offsets"));
      return jobId;
    } finally {
      gateway.closeSession(session); // the job keeps running: it belongs to the cluster
    }
  }

  /** A rejected statement without the Kafka password: Flink's message may quote the statement's options. */
  static SqlGateway.StatementException redacted(SqlGateway.StatementException e, KafkaAuth kafka) {
    return new SqlGateway.StatementException(kafka.redact(e.statement), kafka.redact(e.getMessage()));
  }

  /** Flink's root exception of a job, without the Kafka password (the job's source options hold it). */
  private String rootException(String jobId) {
    return spec.security().kafka().redact(jobManager.rootException(jobId));
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
