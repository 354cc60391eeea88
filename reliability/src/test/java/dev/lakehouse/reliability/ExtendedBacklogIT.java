package dev.lakehouse.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.Trigger;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A backlog larger than one MERGE, through the path production takes: the models are paused (the coordinator's
 * {@code pause} signal, what {@code lakehouse pause} sends) while a million change events are committed to
 * PostgreSQL in set-based transactions of 100,000 rows ({@link Backlog}) and travel through Debezium, Kafka and the
 * Flink job into {@code raw_data.users}; then the models are resumed. The worker's own activities (their timeouts and
 * heartbeats, the shaded jar as {@code ./lakehouse up} runs it) must cut the range into bounded batches of at most
 * {@code lakehouse.worker.model-batch-max-rows} (500,000 by default) and finish with no activity attempt failing or
 * timing out, and {@code parsed_users}, {@code h_users} and {@code s_users} must then hold exactly what was written:
 * every event once with its key, values, transaction and an LSN of its transaction; every state once; every key once.
 *
 * <p>The backlog's keys are its own ({@link Backlog#KEY_PREFIX}) and the comparison covers only them, computed in
 * Trino from what the writer wrote (the oracle's whole-table comparison would hold a million rows in memory). It runs
 * last in the suite, after the quiet period, so no scenario's whole-table comparison reads its rows; the workload's
 * rows must be untouched by it. {@code -Dreliability.backlog.events=N} (a multiple of 10) writes another size. Long
 * (minutes of ingestion and of Trino): {@code -Pextended} only, like every {@code Extended*IT}.
 */
@Order(10)
@ExtendWith({LakehouseStackExtension.class, PipelineExtension.class})
class ExtendedBacklogIT {
  static final long EVENTS = Long.getLong("reliability.backlog.events", 1_000_000L);
  /** From the first write until every event is in {@code raw_data.users}. */
  static final Duration INGESTED_WITHIN = Duration.ofMinutes(45);
  /** From the resume until the three tables are exact. */
  static final Duration EXACT_WITHIN = Duration.ofMinutes(60);
  private static final List<String> MODELS = List.of("parsed_data.parsed_users", "data_vault.h_users",
      "data_vault.s_users");

  /** One {@code succeeded} row of {@code ops.materializations}: a batch of a run. */
  record BatchRecord(String asset, String runId, long rowsIn, long startedMillis, long finishedMillis) {}

  @Test
  void aBacklogOfAMillionEventsRunsInBoundedBatchesAndEndsExact(Pipeline p) throws Exception {
    long maxRows = p.spec.worker().modelBatchMaxRows();
    Backlog backlog = new Backlog(EVENTS);
    assertThat(backlog.events()).as("the backlog is larger than one batch").isGreaterThan(maxRows);
    WorkflowClient client = WorkflowClient.newInstance(p.temporal);
    String loadAtStart = loadAverage();

    // the lakehouse ran before the outage: every model's table exists (on a stack of its own, no model ran yet)
    Automation.request(client, p.spec, new MaterializeRequest(null, "reliability: before the backlog", Trigger.CLI));
    await("the users models' tables").atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(3))
        .ignoreExceptions().until(() -> p.lakehouse.count("SELECT count(*) FROM iceberg.information_schema.tables"
            + " WHERE table_schema || '.' || table_name IN (" + MODELS.stream().map(m -> "'" + m + "'")
            .collect(Collectors.joining(", ")) + ")") == MODELS.size());
    Automation.setPaused(client, p.spec, true);
    await("the coordinator paused with no run in flight").atMost(Duration.ofMinutes(20))
        .pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> Workflows.coordinatorStatus(p.temporal), s -> s.paused() && s.inFlight().isEmpty());
    Map<String, Long> othersBefore = outsideTheBacklog(p);
    long rejectedBefore = p.rejected();

    long t0 = System.nanoTime();
    try (Connection pg = p.postgres()) {
      backlog.write(pg);
    }
    double written = seconds(t0);
    System.out.printf("==== backlog: %d events (%d users) in %d transactions written to PostgreSQL in %.1f s%n",
        backlog.events(), backlog.users(), backlog.written().size(), written);
    // the comparison, once now: its SQL is sound before the long wait, and it finds nothing of the backlog yet
    for (Backlog.Check c : compare(p, backlog, 3)) {
      assertThat(c.expected().values().stream().mapToLong(Backlog.Aggregate::rows).sum()).as(c.table() + " expected")
          .isEqualTo(c.table().endsWith("h_users") ? backlog.users() : backlog.events());
      assertThat(c.actual()).as(c.table() + " while paused").isEmpty();
    }

    long[] raw = new long[1];
    await("the backlog's events in raw_data.users").atMost(INGESTED_WITHIN).pollInterval(Duration.ofSeconds(15))
        .ignoreExceptions().until(() -> {
          raw[0] = backlog.rawRows(p.lakehouse);
          System.out.printf("==== backlog: %d of %d events in raw_data.users after %.0f s%n", raw[0], backlog.events(),
              seconds(t0));
          return raw[0] >= backlog.events();
        });
    double ingested = seconds(t0);
    assertThat(backlog.parsedRows(p.lakehouse)).as("backlog events parsed while paused").isZero();

    MaterializerStatus before = Workflows.coordinatorStatus(p.temporal);
    Path workerLog = p.worker.log();
    long logFrom = Files.size(workerLog);
    String loadAtResume = loadAverage();
    long resumedMillis = System.currentTimeMillis();
    long r0 = System.nanoTime();
    // every statement's peak memory while the backlog runs: how close a batch's MERGE comes to Trino's limit
    TrinoQueries queries = new TrinoQueries(p.endpoints.trino().url(), p.endpoints.trino().user());
    ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
    watch.scheduleWithFixedDelay(() -> queries.poll(""), 0, 5, TimeUnit.SECONDS);
    Automation.setPaused(client, p.spec, false);

    List<Backlog.Check> checks;
    try {
      checks = awaitExact(p, backlog, r0, before);
    } finally {
      watch.shutdownNow();
      queries.byPeak().stream().limit(12).forEach(q -> System.out.printf("==== trino: peak %.1f MiB, %.1f s, %s%s: %s%n",
          q.peakBytes() / 1048576.0, q.elapsedSeconds(), q.state(), q.error().isEmpty() ? "" : " " + q.error(),
          q.firstLine()));
    }
    double exactAfter = seconds(r0);
    String loadAtEnd = loadAverage();
    checks.forEach(c -> System.out.println("==== backlog " + c.describe()));
    p.report.add(new Report.Row("backlog", "models paused while " + backlog.events() + " changes landed, then resumed",
        backlog.events(), p.workload.log().size() + backlog.events(), backlog.written().size(),
        checks.stream().mapToLong(Backlog.Check::lost).sum(), checks.stream().mapToLong(Backlog.Check::duplicated).sum(),
        checks.stream().mapToLong(Backlog.Check::extra).sum(), p.rejected(), raw[0] - backlog.events(), 0, exactAfter,
        "recovered = from the resume; batches of at most " + maxRows + " rows"));

    Map<String, List<BatchRecord>> batches = batchesSince(p, resumedMillis);
    List<String> failedAttempts = new ArrayList<>();
    for (String runId : batches.values().stream().flatMap(List::stream).map(BatchRecord::runId).distinct().toList()) {
      failedAttempts.addAll(failedAttempts(client, runId, null));
    }
    String bounded = readFrom(workerLog, logFrom).stream()
        .filter(l -> l.contains("rows above the watermark, more than") || l.contains("bounded batches"))
        .filter(l -> MODELS.stream().anyMatch(l::contains)).collect(Collectors.joining("\n  "));
    System.out.println("==== backlog: the worker's log of the runs:\n  " + bounded);
    System.out.printf("==== bench: backlog of %d events (%d users, %d source transactions of up to %d rows),"
        + " model-batch-max-rows %d: written to PostgreSQL in %.1f s, all in raw_data.users %.1f s after the first"
        + " write; resume -> parsed_users, h_users, s_users exact in %.1f s; %s; load average %s (start), %s (resume),"
        + " %s (exact); largest Trino peak %s%n", backlog.events(), backlog.users(), backlog.written().size(),
        Backlog.CHUNK, maxRows, written, ingested, exactAfter, MODELS.stream()
            .map(a -> describe(a, batches.getOrDefault(a, List.of()))).collect(Collectors.joining("; ")), loadAtStart,
        loadAtResume, loadAtEnd, queries.byPeak().stream().findFirst().map(q -> String.format("%.1f MiB (%s)",
            q.peakBytes() / 1048576.0, q.firstLine())).orElse("not seen"));

    assertThat(checks).as("the backlog in parsed_users, s_users and h_users").allSatisfy(c ->
        assertThat(c.exact()).as(c.describe()).isTrue());
    for (String asset : MODELS) {
      List<BatchRecord> b = batches.getOrDefault(asset, List.of());
      assertThat(b).as("succeeded batches of %s after the resume", asset).hasSizeGreaterThanOrEqualTo(2)
          .allSatisfy(r -> assertThat(r.rowsIn()).as("rows of one batch of %s", asset).isBetween(1L, maxRows));
    }
    assertThat(batches.get(MODELS.get(0)).stream().mapToLong(BatchRecord::rowsIn).sum())
        .as("events read by parsed_users after the resume").isGreaterThanOrEqualTo(backlog.events());
    assertThat(failedAttempts).as("activity attempts that failed or timed out in the runs of the backlog").isEmpty();
    MaterializerStatus after = Workflows.coordinatorStatus(p.temporal);
    assertThat(after.runsFailed()).as("coordinator runs failed").isEqualTo(before.runsFailed());
    assertThat(after.failures()).as("models failed after their retries").isEmpty();
    assertThat(p.rejected()).as("rejected rows (the backlog is valid input)").isEqualTo(rejectedBefore);
    assertThat(outsideTheBacklog(p)).as("rows of other keys").isEqualTo(othersBefore);
  }

  /**
   * Polls cheap counts, then, once they are reached and the run that read the backlog is over (no run in flight, or
   * a run completed since the resume: the comparison's queries should not compete with the run's MERGEs and checks
   * for Trino's memory), compares the three tables, until they are exact or the time is up.
   */
  private static List<Backlog.Check> awaitExact(Pipeline p, Backlog backlog, long from, MaterializerStatus before)
      throws Exception {
    long deadline = from + EXACT_WITHIN.toNanos();
    while (true) {
      boolean late = System.nanoTime() > deadline;
      try {
        long parsed = countOrZero(p, () -> backlog.parsedRows(p.lakehouse));
        long satellite = countOrZero(p, () -> backlog.satelliteRowsInSpan(p.lakehouse));
        // an attempt that failed fails the test now (its message is the finding), not after every retry
        List<String> retried = Workflows.retriedActivities(p.temporal);
        assertThat(retried).as("activities of the backlog's runs retried after a failure").isEmpty();
        MaterializerStatus status = Workflows.coordinatorStatus(p.temporal);
        assertThat(status.runsFailed()).as("coordinator runs failed").isEqualTo(before.runsFailed());
        boolean idle = status.inFlight().isEmpty() || status.runsCompleted() > before.runsCompleted();
        System.out.printf("==== backlog: %.0f s after the resume: %d events in parsed_users, %d rows in s_users, %s%n",
            seconds(from), parsed, satellite, idle ? "the backlog's run over" : "the backlog's run in flight");
        if (parsed >= backlog.events() && satellite >= backlog.events() && idle || late) {
          List<Backlog.Check> checks = compare(p, backlog, 1);
          if (late || checks.stream().allMatch(Backlog.Check::exact)) {
            return checks;
          }
          checks.forEach(c -> System.out.println("==== backlog, not yet: " + c.describe()));
        }
      } catch (SQLException | RuntimeException e) {
        if (late) {
          throw e;
        }
        System.out.println("==== backlog: not compared this time: " + e.getMessage());
      }
      Thread.sleep(15_000);
    }
  }

  /**
   * The three tables compared with the backlog, up to {@code attempts} times when Trino fails a query (it kills the
   * largest query when its memory runs out, which may be the comparison's).
   */
  private static List<Backlog.Check> compare(Pipeline p, Backlog backlog, int attempts) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return List.of(backlog.parsed(p.lakehouse), backlog.satellite(p.lakehouse), backlog.hub(p.lakehouse));
      } catch (SQLException e) {
        if (attempt >= attempts) {
          throw e;
        }
        System.out.println("==== backlog: comparison failed, once more in 10 s: " + e.getMessage());
        Thread.sleep(10_000);
      }
    }
  }

  /** Rows of the parsed and vault tables of users whose key is not the backlog's (-1: no table yet). */
  private static Map<String, Long> outsideTheBacklog(Pipeline p) throws Exception {
    String not = " NOT LIKE '" + Backlog.KEY_PREFIX + "%'";
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("parsed_users", countOrZero(p, () -> p.lakehouse.count("SELECT count(*) FROM"
        + " iceberg.parsed_data.parsed_users WHERE id" + not)));
    out.put("h_users", countOrZero(p, () -> p.lakehouse.count("SELECT count(*) FROM iceberg.data_vault.h_users"
        + " WHERE id" + not)));
    out.put("s_users", countOrZero(p, () -> p.lakehouse.count("SELECT count(*) FROM iceberg.data_vault.s_users s"
        + " JOIN iceberg.data_vault.h_users h ON h.h_users_hk = s.h_users_hk WHERE h.id" + not)));
    return out;
  }

  interface Count {
    long get() throws SQLException;
  }

  /** The count, or 0 when its table does not exist yet (no model ran before the backlog). */
  private static long countOrZero(Pipeline p, Count count) throws SQLException {
    try {
      return count.get();
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("does not exist")) {
        return 0;
      }
      throw e;
    }
  }

  /** The {@code succeeded} rows of the three models finished since {@code millis}, per asset, oldest first. */
  private static Map<String, List<BatchRecord>> batchesSince(Pipeline p, long millis) throws SQLException {
    Map<String, List<BatchRecord>> out = new LinkedHashMap<>();
    for (List<String> r : p.lakehouse.query("SELECT asset, run_id, CAST(rows_in AS varchar),"
        + " CAST(CAST(to_unixtime(started_at) * 1000 AS bigint) AS varchar),"
        + " CAST(CAST(to_unixtime(finished_at) * 1000 AS bigint) AS varchar) FROM iceberg.ops.materializations"
        + " WHERE status = 'succeeded' AND finished_at >= from_unixtime(" + millis / 1000 + ") AND asset IN ("
        + MODELS.stream().map(m -> "'" + m + "'").collect(Collectors.joining(", ")) + ") ORDER BY asset, finished_at")) {
      out.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(new BatchRecord(r.get(0), r.get(1),
          Long.parseLong(r.get(2)), Long.parseLong(r.get(3)), Long.parseLong(r.get(4))));
    }
    return out;
  }

  /**
   * "asset n batches (rows in s, ...)": a batch's time is from the previous batch of its run finishing (the first:
   * from the run's start, which includes its DDL and plan) to its own end.
   */
  private static String describe(String asset, List<BatchRecord> batches) {
    List<String> parts = new ArrayList<>();
    Map<String, Long> previous = new LinkedHashMap<>();
    for (BatchRecord b : batches) {
      long from = previous.getOrDefault(b.runId(), b.startedMillis());
      parts.add(String.format("%d rows in %.1f s", b.rowsIn(), (b.finishedMillis() - from) / 1000.0));
      previous.put(b.runId(), b.finishedMillis());
    }
    return asset.substring(asset.indexOf('.') + 1) + " " + batches.size() + " batches (" + String.join(", ", parts)
        + ")";
  }

  /**
   * Activity attempts of a run that failed or timed out, its child workflows' (checks) included: a retried attempt
   * leaves no event of its own in the history, but the attempt that ran last starts with its number and the failure
   * before it.
   */
  private static List<String> failedAttempts(WorkflowClient client, String workflowId, String runId) {
    List<String> out = new ArrayList<>();
    var history = runId == null ? client.fetchHistory(workflowId) : client.fetchHistory(workflowId, runId);
    for (HistoryEvent e : history.getEvents()) {
      EventType type = e.getEventType();
      if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && e.getActivityTaskStartedEventAttributes().getAttempt() > 1) {
        out.add(workflowId + ": attempt " + e.getActivityTaskStartedEventAttributes().getAttempt() + " after "
            + e.getActivityTaskStartedEventAttributes().getLastFailure().getMessage());
      } else if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED) {
        out.add(workflowId + ": failed: " + e.getActivityTaskFailedEventAttributes().getFailure().getMessage());
      } else if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT) {
        out.add(workflowId + ": timed out: " + e.getActivityTaskTimedOutEventAttributes().getFailure().getMessage());
      } else if (type == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
        var child = e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution();
        out.addAll(failedAttempts(client, child.getWorkflowId(), child.getRunId()));
      }
    }
    return out;
  }

  /** The lines of {@code file} from byte {@code offset} on (the whole file if it is shorter: rolled over). */
  private static List<String> readFrom(Path file, long offset) throws Exception {
    try (var channel = Files.newByteChannel(file)) {
      channel.position(offset <= channel.size() ? offset : 0);
      return new java.io.BufferedReader(java.nio.channels.Channels.newReader(channel,
          java.nio.charset.StandardCharsets.UTF_8)).lines().toList();
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }

  private static double seconds(long fromNanos) {
    return (System.nanoTime() - fromNanos) / 1e9;
  }
}
