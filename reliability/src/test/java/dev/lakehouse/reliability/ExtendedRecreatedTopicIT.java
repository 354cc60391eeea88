package dev.lakehouse.reliability;

import static dev.lakehouse.reliability.FaultsIT.assertExact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.models.RecreatedTopicSql;
import dev.lakehouse.models.Sql;
import dev.lakehouse.reliability.oracle.Comparison;
import dev.lakehouse.reliability.workload.BankWorkload;
import dev.lakehouse.reliability.workload.Change;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.workflows.HealthReport;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.PendingRun;
import dev.lakehouse.workflows.assets.AssetGraph;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CDC topic of {@code users} deleted with the Kafka AdminClient while the workload writes and the Flink ingest job
 * reads it, and created again under the same name; then what docs/silent-loss.md#a-recreated-topic says, as a user
 * does it: the health check's line (in {@code lakehouse status}), {@code lakehouse pause}, the new topic's start read
 * with {@code lakehouse trino}, the old topic's rows moved aside, {@code lakehouse backfill --select
 * 'parsed_data.parsed_users+' --full-refresh}, {@code lakehouse resume}. Afterwards every parsed and vault table
 * equals the oracle over every change but those the recovery cannot bring back (the old topic's records the job had
 * not put in the raw table when the topic went), and those are exactly the changes committed between the old topic's
 * last ingested change and the new topic's first: counted in the report, and written off the change log so that the
 * scenarios after this one compare with what the lakehouse can still hold. What the Flink job did through the delete
 * (its restarts, its job id, where it read the new topic from) is printed and asserted as the doc states it.
 */
@Order(7)
@ExtendWith({LakehouseStackExtension.class, PipelineExtension.class})
class ExtendedRecreatedTopicIT {
  /**
   * Users changes the old topic holds at least before the delete (the default suite has more): the new topic must stay
   * below the models' watermarks until a health check (every minute) has seen it.
   */
  private static final int OLD_TOPIC_USERS_CHANGES = 1000;
  /**
   * Transactions per second while the topic is gone and during the recovery: slow enough for the above (about 35
   * users changes a minute), as a health check run takes minutes on a loaded machine.
   */
  private static final double RATE = 0.5;
  /** How long a health check may take to report: its readings, then the models' lag (a Trino query). */
  private static final Duration HEALTH_WAIT = Duration.ofMinutes(12);
  private static final String PARSED_USERS = "parsed_data.parsed_users";
  private static final Pattern START_ROW = Pattern.compile("^\"?(-?\\d+)\"?,\"?(\\d+)\"?,\"?([^\"]+)\"?$");

  /** One row of step 2's query: a partition, its rows at offset 0, when the last of them was ingested (as printed). */
  record TopicStart(int partition, long rowsAtOffset0, String newTopicFrom) {}

  @Test
  void aRecreatedUsersTopicIsReportedAndTheDocumentedRecoveryBringsBackEveryChangeTheJobIngested(Pipeline p)
      throws Exception {
    String topic = p.spec.topic(p.spec.table("users").orElseThrow());
    String raw = Sql.table(PipelineSpec.RAW_SCHEMA, "users");
    while (usersChanges(p).size() < OLD_TOPIC_USERS_CHANGES) {
      p.runWorkload(Pipeline.segment()).get(15, TimeUnit.MINUTES);
    }
    assertExact(p.awaitOracle(Duration.ofMinutes(Pipeline.SOAK ? 15 : 6)));
    long rejectedBefore = p.rejected();
    long redeliveredBefore = p.rawRedeliveries();
    int changesBefore = p.workload.log().size();
    long transactionsBefore = p.workload.log().transactions();

    System.out.printf("%n==== scenario: recreated topic (%s deleted and recreated under the workload)%n", topic);
    CompletableFuture<BankWorkload.Summary> run = p.runWorkload(Pipeline.segment().withTransactions(1_000_000)
        .withRate(RATE));
    boolean[] paused = {false};
    try {
      recreateAndRecover(p, topic, raw, run, rejectedBefore, redeliveredBefore, changesBefore, transactionsBefore,
          paused);
    } catch (Throwable t) {
      System.out.println("==== recreated topic failed: " + t.getMessage());
      diagnose(p, raw);
      if (paused[0]) {
        LakehouseScript.run(p, "resume"); // the scenarios after this one need the coordinator
      }
      throw t;
    } finally {
      p.workload.stop();
    }
  }

  private static void recreateAndRecover(Pipeline p, String topic, String raw,
      CompletableFuture<BankWorkload.Summary> run, long rejectedBefore, long redeliveredBefore, int changesBefore,
      long transactionsBefore, boolean[] paused) throws Exception {
    List<String> notes = new ArrayList<>();
    p.awaitTransactions(new Pipeline.Scenario(0, changesBefore, transactionsBefore, 0), 10);
    JsonNode jobBefore = FlinkJob.running(p);
    long restartsBefore = FlinkJob.restarts(p, jobBefore.path("jid").asText());
    long at = System.nanoTime();
    long deletedAt;
    String oldId;
    long oldEnd;
    try (Admin admin = admin(p)) {
      oldId = topicId(admin, topic);
      oldEnd = endOffset(admin, topic);
      deletedAt = System.currentTimeMillis();
      admin.deleteTopics(List.of(topic)).all().get(1, TimeUnit.MINUTES);
      // as after an accident: whoever asks for the topic next gets it created again (the broker auto-creates it
      // for Debezium's producer or a consumer); an operator creates it when nobody has after a minute
      String recreatedBy = "auto-created by the broker";
      try {
        await("the topic created again").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
            .ignoreExceptions().until(() -> !topicId(admin, topic).equals(oldId));
      } catch (org.awaitility.core.ConditionTimeoutException nobody) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(1, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
        recreatedBy = "created with the AdminClient after a minute";
      }
      note(notes, String.format("deleted at end offset %d, %s %.1f s after the delete", oldEnd, recreatedBy,
          (System.nanoTime() - at) / 1e9));
    }

    // what the health check says, in lakehouse status
    List<HealthReport> reports = new ArrayList<>();
    // a report's time is taken after its readings: one dated after the delete may have read the old topic
    HealthReport seen = await("a health check reporting the recreated topic").atMost(HEALTH_WAIT)
        .pollInterval(Duration.ofSeconds(5)).ignoreExceptions()
        .until(() -> seen(reports, BadInputIT.health(p)),
            r -> r != null && r.checkedAtMillis() > deletedAt && recreatedLine(r, topic).isPresent());
    double detected = (System.nanoTime() - at) / 1e9;
    String line = recreatedLine(seen, topic).orElseThrow();
    System.out.println("==== the health check: " + line);
    assertThat(line).startsWith("topic " + topic + " was deleted and recreated (")
        .containsPattern(Pattern.quote(topic + "-0 up to offset ") + "\\d+, it now ends at \\d+")
        .endsWith("pause the models (lakehouse pause) and follow docs/silent-loss.md#a-recreated-topic");
    LakehouseScript.Result status = LakehouseScript.run(p, "status");
    assertThat(status.out()).contains("problem: topic " + topic + " was deleted and recreated (");

    // the recovery, docs/silent-loss.md#a-recreated-topic, step by step
    long recoveryFrom = System.nanoTime();
    cli(p, "pause");
    paused[0] = true;
    TopicStart start = await("step 2: the new topic's first row in the raw table").atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(5)).until(() -> newTopicStart(p, raw),
            s -> s != null && s.rowsAtOffset0() >= 2);
    note(notes, "step 2 found " + start.rowsAtOffset0() + " rows at offset 0 of partition " + start.partition());
    assertThat(start.partition()).isZero();
    assertThat(start.rowsAtOffset0()).as("the old and the new topic's offset 0 (step 2: two rows)").isEqualTo(2);
    String move = RecreatedTopicSql.moveOldTopicAside(raw, 0, printedInstant(start.newTopicFrom()));
    int attempts = 0;
    LakehouseScript.Result moved;
    do {
      moved = LakehouseScript.run(p, "trino", "--execute", move); // step 3: "if Trino reports a conflict, run it again"
      attempts++;
    } while (moved.code() != 0 && attempts < 5);
    assertThat(moved.code()).as("step 3 (%d attempts): %s", attempts, moved.out()).isZero();
    Matcher updated = Pattern.compile("UPDATE: (\\d+) rows?").matcher(moved.out());
    note(notes, "step 3 moved " + (updated.find() ? updated.group(1) : "?") + " rows in " + attempts + " attempt(s)");
    long refreshFrom = System.currentTimeMillis();
    cli(p, "backfill", "--select", PARSED_USERS + "+", "--full-refresh");
    cli(p, "resume");
    paused[0] = false;
    long refreshed = await("step 4: the full refresh of " + PARSED_USERS + "+").atMost(Duration.ofMinutes(15))
        .pollInterval(Duration.ofSeconds(5)).ignoreExceptions()
        .until(() -> fullRefreshDone(p, refreshFrom), done -> done > 0); // the moment it was seen done
    double recovery = (System.nanoTime() - recoveryFrom) / 1e9;
    // the workload goes on a little after the refresh: the models read the new topic incrementally again
    long afterRefresh = p.workload.log().transactions();
    while (p.workload.log().transactions() < afterRefresh + 15) {
      Thread.sleep(200);
    }
    p.workload.stop();
    BankWorkload.Summary summary = run.get(5, TimeUnit.MINUTES);

    // what the recovery cannot bring back: the changes of the old topic the job had not put in the raw table
    List<Change> users = usersChanges(p);
    Change last = users.get(users.size() - 1);
    await("the last users change in the raw table").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3))
        .ignoreExceptions().until(() -> notInRaw(p, List.of(last)).isEmpty());
    List<Change> missing = notInRaw(p, users);
    List<String> oldLast = p.lakehouse.query("SELECT CAST(source_tx_id AS varchar), CAST(kafka_offset AS varchar) FROM "
        + raw + " WHERE kafka_partition = -1 AND op IS NOT NULL ORDER BY kafka_offset DESC LIMIT 1").get(0);
    List<String> newFirst = p.lakehouse.query("SELECT CAST(source_tx_id AS varchar), CAST(kafka_offset AS varchar) FROM "
        + raw + " WHERE kafka_partition = 0 AND op IS NOT NULL ORDER BY kafka_offset LIMIT 1").get(0);
    List<Change> between = between(users, Long.parseLong(oldLast.get(0)), Long.parseLong(newFirst.get(0)));
    note(notes, String.format("old topic ingested up to offset %s of %d (end read just before the delete); new topic"
        + " ingested from offset %s; %d changes between them never in raw", oldLast.get(1), oldEnd, newFirst.get(1),
        missing.size()));
    JsonNode jobAfter = FlinkJob.running(p);
    long restartsAfter = FlinkJob.restarts(p, jobAfter.path("jid").asText());
    boolean sameJob = jobAfter.path("jid").asText().equals(jobBefore.path("jid").asText());
    boolean resubmitted = reports.stream().anyMatch(HealthReport::flinkResubmitted);
    note(notes, String.format("flink job %s (restarts %d -> %d%s)%s: %s", sameJob ? "kept running" : "replaced by "
        + jobAfter.path("jid").asText(), restartsBefore, restartsAfter,
        sameJob ? "" : ", new job", resubmitted ? ", resubmitted by the health check" : "",
        FlinkJob.exceptionsSince(p, jobAfter.path("jid").asText(), deletedAt)));

    assertThat(missing).as("changes missing from the raw table are the ones between the old topic's last ingested"
        + " change and the new topic's first").containsExactlyInAnyOrderElementsOf(between);
    assertThat(newFirst.get(1)).as("the ingest job read the new topic from its offset 0").isEqualTo("0");
    int writtenOff = p.workload.log().writeOff(missing);
    Comparison c = p.awaitOracle(Duration.ofMinutes(Pipeline.SOAK ? 15 : 6));
    double exactAfter = (System.nanoTime() - at) / 1e9;
    long rejected = p.rejected();
    p.report.add(new Report.Row("recreated topic", "users topic deleted (Kafka admin) and recreated under the"
        + " workload; recovered with pause, the raw rows moved aside, a full refresh, resume",
        p.workload.log().size() + writtenOff - changesBefore, p.workload.log().size(), summary.transactions(),
        writtenOff + (c == null ? 0 : c.lost()), c == null ? -1 : c.duplicated(), c == null ? -1 : c.extra(),
        rejected, p.rawRedeliveries() - redeliveredBefore, detected, exactAfter, String.format(
            "reported after %.1f s; recovery (pause to full refresh) %.1f s; %s", detected, recovery,
            String.join("; ", notes))));
    System.out.printf("==== recreated topic: %s%n%s", String.join("; ", notes), c == null ? "(no comparison)\n"
        : c.describe(15));
    assertExact(c);
    assertThat(rejected).as("rejected rows (only the bad input's, if it ran)").isEqualTo(rejectedBefore);

    // "The health check is healthy again at its first run after the full refresh": a report's time is taken after
    // its readings and runs do not overlap, so the second report dated after the refresh is of a run started after it
    List<HealthReport> since = new ArrayList<>();
    HealthReport after = await("a health check started after the full refresh").atMost(HEALTH_WAIT)
        .pollInterval(Duration.ofSeconds(5)).ignoreExceptions()
        .until(() -> {
          HealthReport r = seen(since, BadInputIT.health(p));
          return r != null && r.checkedAtMillis() > refreshed && since.stream()
              .filter(x -> x.checkedAtMillis() > refreshed).count() >= 2 ? r : null;
        }, r -> r != null);
    assertThat(after.problems()).as("problems of the first health check after the full refresh")
        .noneMatch(l -> l.contains("topic " + topic + " was deleted"));

    // what docs/silent-loss.md states of the ingest job through the delete: it keeps running, without a restart
    assertThat(sameJob).as("the ingest job is the one from before the delete").isTrue();
    assertThat(resubmitted).as("the health check resubmitted the ingest job").isFalse();
    assertThat(restartsAfter).as("restarts of the ingest job through the delete").isEqualTo(restartsBefore);
  }

  /** Keeps a line for the report and prints it now (a failure later still shows what was seen). */
  private static void note(List<String> notes, String line) {
    System.out.println("==== recreated topic: " + line);
    notes.add(line);
  }

  /** What the raw table and the Flink job show when the scenario failed: where each topic's rows are. */
  private static void diagnose(Pipeline p, String raw) {
    try {
      System.out.println("==== raw_data.users per partition and ingestion minute: " + p.lakehouse.query("SELECT"
          + " CAST(kafka_partition AS varchar), CAST(date_trunc('minute', ingested_at) AS varchar), CAST(min(kafka_offset)"
          + " AS varchar), CAST(max(kafka_offset) AS varchar), CAST(count(*) AS varchar) FROM " + raw + " GROUP BY 1, 2"
          + " ORDER BY 2, 1"));
      JsonNode job = FlinkJob.running(p);
      System.out.println("==== flink job " + job + ", restarts " + FlinkJob.restarts(p, job.path("jid").asText()) + ", "
          + FlinkJob.exceptionsSince(p, job.path("jid").asText(), 0));
    } catch (Throwable t) {
      System.out.println("==== no diagnosis: " + t);
    }
  }

  private static HealthReport seen(List<HealthReport> reports, HealthReport r) {
    if (r != null && reports.stream().noneMatch(x -> x.checkedAtMillis() == r.checkedAtMillis())) {
      reports.add(r);
      System.out.println("==== health check at " + Instant.ofEpochMilli(r.checkedAtMillis()) + ": " + r.problems()
          + (r.flinkJob() == null ? "" : " flink " + r.flinkJob().state() + " " + r.flinkJob().jobId())
          + (r.flinkResubmitted() ? " (resubmitted)" : ""));
    }
    return r;
  }

  private static Optional<String> recreatedLine(HealthReport r, String topic) {
    return r.problems().stream().filter(l -> l.startsWith("topic " + topic + " was deleted and recreated")).findFirst();
  }

  /** A {@code ./lakehouse} command that must succeed. */
  private static void cli(Pipeline p, String... args) throws Exception {
    LakehouseScript.Result r = LakehouseScript.run(p, args);
    assertThat(r.code()).as("./lakehouse %s: %s", String.join(" ", args), r.out()).isZero();
  }

  /** Step 2 with {@code lakehouse trino --execute}: the row of partition 0, or null when there is none yet. */
  private static TopicStart newTopicStart(Pipeline p, String raw) throws Exception {
    LakehouseScript.Result r = LakehouseScript.run(p, "trino", "--execute", RecreatedTopicSql.newTopicStartQuery(raw));
    for (LakehouseScript.Line l : r.lines()) {
      Matcher m = START_ROW.matcher(l.text().trim());
      if (m.matches()) {
        return new TopicStart(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), m.group(3));
      }
    }
    return null;
  }

  /** A timestamp with time zone as the Trino CLI prints it ({@code 2026-12-07 04:01:02.123456 UTC}). */
  static Instant printedInstant(String printed) {
    String t = printed.trim();
    if (!t.endsWith(" UTC")) {
      throw new IllegalArgumentException("not a UTC timestamp as Trino prints it: " + printed);
    }
    return Instant.parse(t.substring(0, t.length() - 4).replace(' ', 'T') + "Z");
  }

  /**
   * Now, once the coordinator has no full refresh queued or in flight and the users models recorded one since
   * {@code fromMillis} (a health check started later sees every rebuilt watermark); else 0.
   */
  private static long fullRefreshDone(Pipeline p, long fromMillis) throws Exception {
    MaterializerStatus st = Workflows.coordinatorStatus(p.temporal);
    if (st.queue().stream().anyMatch(PendingRun::fullRefresh) || st.inFlight().stream().anyMatch(PendingRun::fullRefresh)) {
      return 0;
    }
    List<String> models = AssetGraph.fromSpec(p.spec).select(PARSED_USERS + "+");
    long refreshed = p.lakehouse.count("SELECT count(DISTINCT asset) FROM iceberg.ops.materializations WHERE"
        + " full_refresh AND status = 'succeeded' AND asset IN ('" + String.join("', '", models) + "') AND started_at"
        + " >= from_unixtime(" + fromMillis / 1000.0 + ")");
    return refreshed < models.size() ? 0 : System.currentTimeMillis();
  }

  private static List<Change> usersChanges(Pipeline p) {
    return p.workload.log().changes().stream().filter(ch -> ch.table().equals("users")).toList();
  }

  /**
   * The changes of {@code users} (in commit order) that {@code raw_data.users} does not hold: by key, transaction and
   * op, a re-delivered change (same LSN) once.
   */
  private static List<Change> notInRaw(Pipeline p, List<Change> users) throws Exception {
    Map<List<String>, Long> inRaw = new HashMap<>();
    for (List<String> r : p.lakehouse.query("SELECT json_extract_scalar(data, '$.id'), CAST(source_tx_id AS varchar),"
        + " op, CAST(count(DISTINCT source_lsn) AS varchar) FROM iceberg.raw_data.users WHERE op IN ('c', 'u', 'd')"
        + " GROUP BY 1, 2, 3")) {
      inRaw.put(List.of(r.get(0), r.get(1), r.get(2)), Long.parseLong(r.get(3)));
    }
    Map<List<String>, Long> seen = new HashMap<>();
    List<Change> missing = new ArrayList<>();
    for (Change ch : users) {
      List<String> key = List.of(ch.id(), String.valueOf(ch.txId()), ch.op());
      if (seen.merge(key, 1L, Long::sum) > inRaw.getOrDefault(key, 0L)) {
        missing.add(ch);
      }
    }
    return missing;
  }

  /** The users changes after the last one of transaction {@code lastOld} and before the first of {@code firstNew}. */
  private static List<Change> between(List<Change> users, long lastOld, long firstNew) {
    int from = -1;
    int to = -1;
    for (int i = 0; i < users.size(); i++) {
      if (users.get(i).txId() == lastOld) {
        from = i;
      }
      if (to < 0 && users.get(i).txId() == firstNew) {
        to = i;
      }
    }
    assertThat(from).as("the old topic's last ingested transaction %d in the log", lastOld).isNotNegative();
    assertThat(to).as("the new topic's first transaction %d in the log, after the old one's", firstNew)
        .isGreaterThan(from);
    return users.subList(from + 1, to);
  }

  private static Admin admin(Pipeline p) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, p.endpoints.kafka().bootstrapServers());
    return Admin.create(props);
  }

  private static String topicId(Admin admin, String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).topicId()
        .toString();
  }

  private static long endOffset(Admin admin, String topic) throws Exception {
    TopicPartition tp = new TopicPartition(topic, 0);
    return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(10, TimeUnit.SECONDS).offset();
  }
}
