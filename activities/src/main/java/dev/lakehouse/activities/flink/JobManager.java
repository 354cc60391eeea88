package dev.lakehouse.activities.flink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.activities.JsonHttp;
import dev.lakehouse.models.IngestSql;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The Flink JobManager REST API: find jobs by name, their state and checkpoints, cancel. */
final class JobManager {
  /** States in which the job exists and will (again) process data: never submit a second copy. */
  static final Set<String> ALIVE = Set.of("INITIALIZING", "CREATED", "RUNNING", "RESTARTING", "RECONCILING",
      "SUSPENDED");
  /** On the way to a terminal state: wait for it before resubmitting. */
  static final Set<String> ENDING = Set.of("FAILING", "CANCELLING");

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
