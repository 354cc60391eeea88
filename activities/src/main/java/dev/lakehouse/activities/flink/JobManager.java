package dev.lakehouse.activities.flink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.activities.JsonHttp;
import dev.lakehouse.models.IngestSql;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Flink JobManager REST API: find jobs by name, their state and checkpoints, cancel. */
final class JobManager {
  /** States in which the job exists and will (again) process data: never submit a second copy. */
  static final Set<String> ALIVE = Set.of("INITIALIZING", "CREATED", "RUNNING", "RESTARTING", "RECONCILING",
      "SUSPENDED");
  /** On the way to a terminal state: wait for it before resubmitting. */
  static final Set<String> ENDING = Set.of("FAILING", "CANCELLING");
  /** Flink's default lifetime of the REST API's cached checkpoint statistics ({@code web.refresh-interval}). */
  static final long DEFAULT_STATS_CACHE_MILLIS = 3000;
  /** Waited beyond that lifetime: the cache times entries on its own clock, and a read takes time. */
  static final long STATS_CACHE_MARGIN_MILLIS = 1000;
  private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*([a-z]*)\\s*");

  /** {@code endTime}: when it reached a terminal state, epoch millis; -1 while it has not. */
  record Job(String id, String name, String state, long startTime, long endTime) {}

  /** The latest completed checkpoint: when it was acknowledged, and its path if it was retained. */
  record Checkpoint(long id, long ackTimestamp, String externalPath) {}

  private final FlinkRest rest;

  JobManager(String baseUrl) {
    this.rest = new FlinkRest(baseUrl);
  }

  String baseUrl() {
    return rest.baseUrl();
  }

  /** Ingest jobs of any statement set ({@link IngestSql#isIngestJob}), newest first. */
  List<Job> ingestJobs() throws IOException, InterruptedException {
    return jobsMatching(IngestSql::isIngestJob);
  }

  /** Jobs with this name, newest first. */
  List<Job> jobsNamed(String name) throws IOException, InterruptedException {
    return jobsMatching(name::equals);
  }

  private List<Job> jobsMatching(Predicate<String> name) throws IOException, InterruptedException {
    JsonHttp.Response r = rest.get("/jobs/overview");
    if (!r.ok()) {
      throw new IOException("Flink answered " + r.status() + " to GET /jobs/overview: " + r.text());
    }
    List<Job> jobs = new ArrayList<>();
    for (JsonNode j : r.body().path("jobs")) {
      if (name.test(j.path("name").asText())) {
        jobs.add(new Job(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText(),
            j.path("start-time").asLong(), j.path("end-time").asLong(-1)));
      }
    }
    jobs.sort(Comparator.comparingLong(Job::startTime).reversed());
    return jobs;
  }

  Optional<String> state(String jobId) throws IOException, InterruptedException {
    JsonHttp.Response r = rest.get("/jobs/" + jobId);
    if (r.status() == 404) {
      return Optional.empty();
    }
    if (!r.ok()) {
      throw new IOException("Flink answered " + r.status() + " to GET /jobs/" + jobId + ": " + r.text());
    }
    return Optional.of(r.body().path("state").asText());
  }

  Optional<Checkpoint> latestCheckpoint(String jobId) throws IOException, InterruptedException {
    JsonHttp.Response r = rest.get("/jobs/" + jobId + "/checkpoints");
    if (!r.ok()) {
      return Optional.empty(); // no checkpoint statistics (yet, or any more)
    }
    return parseLatestCheckpoint(r.body());
  }

  static Optional<Checkpoint> parseLatestCheckpoint(JsonNode body) {
    JsonNode c = body.path("latest").path("completed");
    if (!c.isObject()) {
      return Optional.empty();
    }
    String path = c.path("external_path").asText(null);
    // Flink says "<checkpoint-not-externally-addressable>" when there is no checkpoint directory
    boolean addressable = path != null && !path.isBlank() && !path.startsWith("<") && !c.path("discarded").asBoolean(false);
    return Optional.of(new Checkpoint(c.path("id").asLong(), c.path("latest_ack_timestamp").asLong(),
        addressable ? path : null));
  }

  /**
   * Waits until the checkpoint statistics Flink serves for {@code job}, which has ended, are its final ones. The REST
   * API caches a job's statistics for {@code rest.cache.checkpoint-statistics.timeout} (by default
   * {@code web.refresh-interval}, 3 s) from the read that fetched them: fetched while the job still ran (by
   * {@code jobStatus}, the health check, the UI), they may name a checkpoint that a newer one completed after and
   * subsumed (deleted) before the job ended, so restoring that path fails. Once the job ended, its statistics no
   * longer change: a read more than one cache lifetime after the end is the final answer. Returns the time waited.
   */
  Duration awaitFinalCheckpointStats(Job job, Runnable beat) throws IOException, InterruptedException {
    if (job.endTime() <= 0) {
      return Duration.ZERO; // not ended: nothing is final yet
    }
    // the end time is the overview's (not cached) on the JobManager's clock: "now" on the same clock, computed per
    // request even when the job's details come from the REST API's cache of execution graphs
    JsonHttp.Response r = rest.get("/jobs/" + job.id());
    long now = r.ok() ? r.body().path("now").asLong(System.currentTimeMillis()) : System.currentTimeMillis();
    long end = job.endTime();
    long wait = statsCacheMillis() + STATS_CACHE_MARGIN_MILLIS - (now - end);
    if (wait <= 0) {
      return Duration.ZERO;
    }
    long until = System.nanoTime() + wait * 1_000_000;
    while (System.nanoTime() < until) {
      beat.run();
      Thread.sleep(Math.min(500, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
    }
    return Duration.ofMillis(wait);
  }

  /** How long the REST API caches a job's checkpoint statistics, from the cluster's configuration. */
  private long statsCacheMillis() throws IOException, InterruptedException {
    JsonHttp.Response r = rest.get("/jobmanager/config");
    return r.ok() ? statsCacheMillis(r.body()) : DEFAULT_STATS_CACHE_MILLIS;
  }

  /** Pure: the cache lifetime from {@code GET /jobmanager/config} ({@code [{"key": .., "value": ..}]}, set keys). */
  static long statsCacheMillis(JsonNode config) {
    Map<String, String> set = new HashMap<>();
    for (JsonNode e : config) {
      set.put(e.path("key").asText(), e.path("value").asText());
    }
    for (String key : List.of("rest.cache.checkpoint-statistics.timeout", "web.refresh-interval")) {
      long millis = set.containsKey(key) ? durationMillis(set.get(key)) : -1;
      if (millis >= 0) {
        return millis;
      }
    }
    return DEFAULT_STATS_CACHE_MILLIS;
  }

  /** A Flink duration ({@code 3000}, {@code 3 s}, {@code 500ms}, {@code 1 min}) in millis; -1 when unreadable. */
  static long durationMillis(String value) {
    Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "", "ms", "milli", "millis", "millisecond", "milliseconds" -> n;
      case "s", "sec", "secs", "second", "seconds" -> n * 1000;
      case "m", "min", "mins", "minute", "minutes" -> n * 60_000;
      case "h", "hour", "hours" -> n * 3_600_000;
      case "d", "day", "days" -> n * 86_400_000;
      default -> -1;
    };
  }

  /** The root exception of a job, for messages. */
  String rootException(String jobId) {
    try {
      JsonHttp.Response r = rest.get("/jobs/" + jobId + "/exceptions");
      JsonNode history = r.body().path("exceptionHistory").path("entries");
      if (history.isArray() && !history.isEmpty()) {
        return history.get(0).path("exceptionName").asText() + ": "
            + history.get(0).path("stacktrace").asText().split("\n")[0];
      }
      return r.body().path("root-exception").asText("unknown").split("\n")[0];
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /**
   * Stops the job with a savepoint, without draining ({@code POST /jobs/{id}/stop}), and waits until the savepoint
   * completed; returns its location. The savepoint is a synchronous checkpoint: its completion is notified to the
   * operators before they stop, so the Iceberg committer commits its files and the Kafka source commits its offsets
   * to the consumer group, both as of the savepoint.
   */
  String stopWithSavepoint(String jobId, Duration timeout, Runnable beat) throws IOException, InterruptedException {
    JsonHttp.Response r = rest.send("POST", "/jobs/" + jobId + "/stop", Map.of("drain", false));
    if (!r.ok()) {
      throw new IOException("Flink answered " + r.status() + " to stop job " + jobId + " with a savepoint: "
          + FlinkRest.errorMessage(r.body(), r.text()));
    }
    String trigger = r.body().path("request-id").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonHttp.Response poll = rest.get("/jobs/" + jobId + "/savepoints/" + trigger);
      JsonNode body = poll.body();
      if (poll.ok() && "COMPLETED".equals(body.path("status").path("id").asText())) {
        JsonNode op = body.path("operation");
        if (op.hasNonNull("location")) {
          return op.path("location").asText();
        }
        throw new IOException("the savepoint of job " + jobId + " failed: "
            + op.path("failure-cause").path("stack-trace").asText("unknown").split("\n")[0]);
      }
      beat.run();
      Thread.sleep(500);
    }
    throw new IOException("the savepoint of job " + jobId + " did not complete within " + timeout.toSeconds() + " s");
  }

  void cancel(String jobId) throws IOException, InterruptedException {
    JsonHttp.Response r = rest.send("PATCH", "/jobs/" + jobId + "?mode=cancel", null);
    if (!r.ok() && r.status() != 404) {
      throw new IOException("Flink answered " + r.status() + " to cancel job " + jobId + ": " + r.text());
    }
  }
}
