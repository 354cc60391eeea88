package dev.lakehouse.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.activities.connect.ConnectActivitiesImpl;
import dev.lakehouse.activities.flink.FlinkActivitiesImpl;
import dev.lakehouse.activities.iceberg.IcebergCatalogs;
import dev.lakehouse.activities.iceberg.RawTables;
import dev.lakehouse.activities.kafka.KafkaActivitiesImpl;
import dev.lakehouse.activities.source.SourceActivitiesImpl;
import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.workflows.activities.ConnectorStatus;
import dev.lakehouse.workflows.activities.ConsumerLag;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import dev.lakehouse.workflows.activities.SlotLag;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ingestion on the real local stack: the activities called directly, PostgreSQL changes checked in
 * {@code raw_data.*} through Trino. Ordered: each step builds on the previous one, as in production.
 */
@ExtendWith(LakehouseStackExtension.class)
@Order(1) // classes share one stack: this one expects an empty source
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestionIT {
  private static final Duration LANDING = Duration.ofSeconds(150);
  private static final String BAD_MESSAGE = "this is not a debezium envelope {";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Map<String, Object> overrides;
  private PipelineSpec spec;
  private ConnectActivitiesImpl connect;
  private FlinkActivitiesImpl flink;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void setUp() {
    overrides = new HashMap<>(LakehouseStackExtension.configOverrides());
    overrides.put("lakehouse.schedules.flink-checkpoint-interval", "3s");
    spec = SpecLoader.load(overrides);
    try (RESTCatalog catalog = IcebergCatalogs.open(spec.endpoints())) {
      RawTables.ensureNamespaces(catalog);
      RawTables.ensureTables(catalog, spec);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    connect = new ConnectActivitiesImpl(spec);
    flink = new FlinkActivitiesImpl(spec);
  }

  @Test
  @Order(1)
  void aBadConnectorConfigFailsNonRetryablyWithConnectsMessage() throws Exception {
    Map<String, Object> bad = new HashMap<>(overrides);
    bad.put("lakehouse.source.connector", "bad-connector");
    bad.put("lakehouse.endpoints.postgres.database", "no_such_db");
    ConnectActivitiesImpl badConnect = new ConnectActivitiesImpl(SpecLoader.load(bad));
    assertThatThrownBy(badConnect::upsertConnector).isInstanceOfSatisfying(ApplicationFailure.class, f -> {
      System.out.println("bad connector config -> " + f.getOriginalMessage());
      assertThat(f.isNonRetryable()).isTrue();
      assertThat(f.getType()).isEqualTo(FailureTypes.CONFIGURATION);
      assertThat(f.getOriginalMessage()).contains("connector:no_such_db", "Kafka Connect rejected", "no_such_db");
    });
    assertThat(badConnect.status().state()).isEqualTo("MISSING");
  }

  @Test
  @Order(2)
  void connectorIsUpsertedIdempotentlyAndRuns() throws Exception {
    connect.upsertConnector();
    ConnectorStatus running = connect.awaitRunning();
    assertThat(running.state()).isEqualTo("RUNNING");
    assertThat(running.tasks()).isNotEmpty().allMatch(t -> t.state().equals("RUNNING"));
    connect.upsertConnector(); // a second setup: same config, still one connector
    assertThat(connect.awaitRunning().state()).isEqualTo("RUNNING");
    assertThat(getJson(spec.endpoints().connect().url() + "/connectors").toString())
        .isEqualTo("[\"bank-connector\"]");
    assertThat(connect.restartFailedTasks()).isZero();
  }

  @Test
  @Order(3)
  void ensureIngestJobTwiceGivesOneJob() throws Exception {
    FlinkJobStatus first = flink.ensureIngestJob();
    FlinkJobStatus second = flink.ensureIngestJob();
    System.out.println("ingest job " + first);
    assertThat(first.state()).isEqualTo("RUNNING");
    assertThat(second.jobId()).isEqualTo(first.jobId());
    assertThat(aliveJobs()).containsExactly(first.jobId());
  }

  @Test
  @Order(4)
  void changesLandInRawTablesWithOpLsnAndKafkaCoordinates() throws Exception {
    sql(SEED_SCENARIO);
    // a message that is not a Debezium envelope, and a tombstone: the first is kept for the parse
    // model to reject, the second is no change and is skipped
    produce("bank.public.users", BAD_MESSAGE);
    produce("bank.public.users", null);

    await().atMost(LANDING).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      assertThat(opCounts("users")).isEqualTo(Map.of("c", 3L, "u", 1L, "d", 1L, "NULL", 1L));
      assertThat(opCounts("accounts")).isEqualTo(Map.of("c", 2L, "u", 1L));
    });

    try (Connection c = RawChecks.trino(spec); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT data, op, ts_ms, source_ts_ms, source_tx_id, source_lsn, source_connector, "
          + "source_db, source_schema, source_table, kafka_partition, kafka_offset, kafka_timestamp, ingested_at "
          + "FROM iceberg.raw_data.users ORDER BY kafka_offset");
      assertThat(rs.getMetaData().getColumnType(5)).isEqualTo(Types.BIGINT);
      assertThat(rs.getMetaData().getColumnType(6)).isEqualTo(Types.BIGINT);
      assertThat(rs.getMetaData().getColumnType(12)).isEqualTo(Types.BIGINT);
      List<Long> offsets = new ArrayList<>();
      while (rs.next()) {
        String op = rs.getString("op");
        offsets.add(rs.getLong("kafka_offset"));
        assertThat(rs.getInt("kafka_partition")).isZero();
        assertThat(rs.getTimestamp("kafka_timestamp")).isNotNull();
        assertThat(rs.getTimestamp("ingested_at")).isNotNull();
        if (op == null) {
          assertThat(rs.getString("data")).isEqualTo(BAD_MESSAGE);
          continue;
        }
        assertThat(rs.getLong("source_lsn")).isPositive();
        assertThat(rs.getLong("source_tx_id")).isPositive();
        assertThat(rs.getString("source_connector")).isEqualTo("postgresql");
        assertThat(rs.getString("source_db")).isEqualTo("bank");
        assertThat(rs.getString("source_schema")).isEqualTo("public");
        assertThat(rs.getString("source_table")).isEqualTo("users");
        JsonNode data = JSON.readTree(rs.getString("data"));
        assertThat(data.path("email").asText()).isNotEmpty();
        if (op.equals("d")) {
          assertThat(data.path("email").asText()).isEqualTo("test@test.com"); // the before-image
        }
        if (op.equals("u")) {
          assertThat(data.path("name").asText()).isEqualTo("Bruce Wayne"); // the after-image
        }
      }
      assertThat(offsets).doesNotHaveDuplicates().hasSize(6);
    }
    try (Connection c = RawChecks.trino(spec); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT json_value(data, 'lax $.balance') FROM iceberg.raw_data.accounts "
          + "WHERE op = 'u'");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("3000.00"); // decimal.handling.mode=string
    }
  }

  @Test
  @Order(5)
  void aJobCancelledMidStreamResumesFromItsRetainedCheckpointExactlyOnce() throws Exception {
    FlinkJobStatus before = flink.jobStatus();
    assertThat(before.state()).isEqualTo("RUNNING");
    await().atMost(Duration.ofSeconds(60)).until(() -> flink.jobStatus().lastCheckpointAgeMillis() != null);
    FlinkJobStatus after;
    long streamed;
    // inserts keep coming through the cancel and the resubmission: the job is cancelled between two checkpoints
    // with records read and not committed, which the restored job must read again and write once
    try (SourceWriter writer = SourceWriter.start(spec, "stream", 50)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.written() >= 20);
      send("PATCH", spec.endpoints().flink().url() + "/jobs/" + before.jobId() + "?mode=cancel");
      await().atMost(Duration.ofSeconds(60)).until(() -> flink.jobStatus().state().equals("CANCELED"));
      sql("""
          INSERT INTO users (email, name) VALUES ('diana@themyscira.org', 'Diana');
          UPDATE users SET name = 'Diana Prince' WHERE email = 'diana@themyscira.org';
          UPDATE accounts SET balance = balance + 1;
          """);
      after = flink.ensureIngestJob();
      long atResubmission = writer.written();
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.written() >= atResubmission + 20);
      streamed = writer.stop();
    }
    String restored = RawChecks.restoredFrom(spec, after.jobId());
    System.out.println("resubmitted: " + before.jobId() + " -> " + after + ", restored from " + restored + "; "
        + streamed + " users inserted meanwhile");
    assertThat(after.jobId()).isNotEqualTo(before.jobId());
    assertThat(after.state()).isEqualTo("RUNNING");
    assertThat(aliveJobs()).containsExactly(after.jobId());
    assertThat(restored).as("the state the resubmitted job started from").contains("/" + before.jobId() + "/chk-");

    // every Kafka record (minus the one tombstone) is in the raw table exactly once, and every insert the writer
    // made is among them: the end offsets are read again at each poll, Debezium may still be sending the last ones
    await().atMost(LANDING).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      Map<String, Long> ends = endOffsets();
      long usersExpected = ends.get("bank.public.users") - 1;
      long accountsExpected = ends.get("bank.public.accounts");
      assertThat(countAndDistinct("users")).as("users rows and distinct offsets, Kafka ends %s", ends)
          .containsExactly(usersExpected, usersExpected);
      assertThat(countAndDistinct("accounts")).as("accounts rows and distinct offsets, Kafka ends %s", ends)
          .containsExactly(accountsExpected, accountsExpected);
      assertThat(opCounts("users")).containsEntry("u", 2L).containsEntry("c", 4L + streamed);
    });
    System.out.printf("kafka end offsets %s%n", endOffsets());
    assertThat(opCounts("accounts")).containsEntry("u", 3L);
  }

  @Test
  @Order(6)
  void healthReadsLagSlotAndCheckpointAge() {
    KafkaActivitiesImpl kafka = new KafkaActivitiesImpl(spec);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      ConsumerLag lag = kafka.consumerLag();
      assertThat(lag.group()).isEqualTo(IngestSql.GROUP_ID);
      assertThat(lag.perPartition()).containsKeys("bank.public.users-0", "bank.public.accounts-0");
      assertThat(lag.totalLag()).isZero();
    });
    SlotLag slot = new SourceActivitiesImpl(spec).slotLag();
    System.out.println("slot " + slot);
    assertThat(slot.slot()).isEqualTo("bank_slot");
    assertThat(slot.active()).isTrue();
    assertThat(slot.lagBytes()).isNotNegative();
    FlinkJobStatus job = flink.jobStatus();
    assertThat(job.state()).isEqualTo("RUNNING");
    await().atMost(Duration.ofSeconds(30)).until(() -> flink.jobStatus().lastCheckpointAgeMillis() != null);
    assertThat(flink.jobStatus().lastCheckpointAgeMillis()).isLessThan(60_000);
    assertThat(connect.status().state()).isEqualTo("RUNNING");
  }

  @Test
  @Order(7)
  void aLostCheckpointFallsBackToTheRawTablesPositionsExactlyOnce() throws Exception {
    FlinkJobStatus before = flink.jobStatus();
    assertThat(before.state()).isEqualTo("RUNNING");
    await().atMost(Duration.ofSeconds(60)).until(() -> flink.jobStatus().lastCheckpointAgeMillis() != null);
    String flinkUrl = spec.endpoints().flink().url();
    send("PATCH", flinkUrl + "/jobs/" + before.jobId() + "?mode=cancel");
    await().atMost(Duration.ofSeconds(60)).until(() -> flink.jobStatus().state().equals("CANCELED"));
    String retained = getJson(flinkUrl + "/jobs/" + before.jobId() + "/checkpoints")
        .path("latest").path("completed").path("external_path").asText();
    assertThat(retained).startsWith("file:");
    // the job's whole checkpoint directory: the stats can still name chk-N when chk-N+1 has completed and
    // subsumed it (3 s checkpoints), so the retained one is whichever chk-* is left in there
    Path jobCheckpoints = Paths.get(URI.create(retained.replaceFirst("^file:/+", "file:///"))).getParent();
    assertThat(jobCheckpoints.getFileName().toString()).isEqualTo(before.jobId());
    deleteTree(jobCheckpoints);

    sql("""
        INSERT INTO users (email, name) VALUES ('bruce2@wayne.com', 'Bruce II');
        UPDATE accounts SET balance = balance + 1;
        """);
    FlinkJobStatus after = flink.ensureIngestJob();
    System.out.println("checkpoint " + retained + " deleted; resubmitted: " + before.jobId() + " -> " + after);
    assertThat(after.state()).isEqualTo("RUNNING");
    assertThat(aliveJobs()).containsExactly(after.jobId());

    assertThat(RawChecks.restoredFrom(spec, after.jobId())).as("no state: the checkpoint is gone").isEmpty();

    // nothing lost: every Kafka record with a value has a row; nothing twice: the group's offsets were raised to the
    // raw tables' positions before the submission
    for (String table : List.of("users", "accounts")) {
      String topic = spec.topic(spec.table(table).orElseThrow());
      // Kafka read at each poll too: Debezium may still be sending the last changes
      await().atMost(LANDING).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
          new HashSet<>(RawChecks.rawOffsets(spec, table))).isEqualTo(RawChecks.nonNullOffsets(spec, topic)));
      Set<Long> inKafka = RawChecks.nonNullOffsets(spec, topic);
      List<Long> inRaw = RawChecks.rawOffsets(spec, table);
      System.out.printf("%s: %d Kafka records with a value, %d raw rows after a fallback to the group offsets%n",
          table, inKafka.size(), inRaw.size());
      assertThat(inRaw).as("raw offsets of %s", table).doesNotHaveDuplicates();
    }
  }

  // --- helpers ---

  private static void deleteTree(Path dir) throws Exception {
    assertThat(dir).isDirectory();
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static final String SEED_SCENARIO = """
      INSERT INTO users (id, email, name) VALUES ('1b214475-9054-4f45-91f4-d111422a7b16', 'bruce@wayne.com', 'Bruce W')
        ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name;
      INSERT INTO accounts (user_id, currency, balance) VALUES ('1b214475-9054-4f45-91f4-d111422a7b16', 'EUR', 1001.25);
      INSERT INTO users (id, email, name) VALUES ('dbddcfe3-a590-4358-958f-e8ed882df158', 'clark@kent.com', 'Clark Kent')
        ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name;
      INSERT INTO accounts (user_id, currency, balance) VALUES ('dbddcfe3-a590-4358-958f-e8ed882df158', 'EUR', 2500.00);
      UPDATE accounts SET balance = 3000.00 WHERE user_id = 'dbddcfe3-a590-4358-958f-e8ed882df158';
      UPDATE users SET name = 'Bruce Wayne' WHERE email = 'bruce@wayne.com';
      INSERT INTO users (email, name) VALUES ('test@test.com', 'test') ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name;
      DELETE FROM users WHERE email = 'test@test.com';
      """;

  private void sql(String script) throws Exception {
    var pg = spec.endpoints().postgres();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      for (String statement : script.split(";\\s*\n")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }

  private Map<String, Long> opCounts(String table) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    try (Connection c = RawChecks.trino(spec); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(op, 'NULL'), count(*) FROM iceberg.raw_data." + table
            + " GROUP BY 1")) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
    }
    return counts;
  }

  private List<Long> countAndDistinct(String table) throws Exception {
    try (Connection c = RawChecks.trino(spec); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT (kafka_partition, kafka_offset)) "
            + "FROM iceberg.raw_data." + table)) {
      rs.next();
      return List.of(rs.getLong(1), rs.getLong(2));
    }
  }

  private void produce(String topic, String value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.endpoints().kafka().bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.send(new ProducerRecord<>(topic, "it-key", value)).get();
    }
  }

  private Map<String, Long> endOffsets() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", spec.endpoints().kafka().bootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> req = Map.of(
          new TopicPartition("bank.public.users", 0), OffsetSpec.latest(),
          new TopicPartition("bank.public.accounts", 0), OffsetSpec.latest());
      Map<String, Long> out = new TreeMap<>();
      admin.listOffsets(req).all().get().forEach((tp, info) -> out.put(tp.topic(), info.offset()));
      return out;
    }
  }

  private List<String> aliveJobs() throws Exception {
    List<String> alive = new ArrayList<>();
    for (JsonNode j : getJson(spec.endpoints().flink().url() + "/jobs/overview").path("jobs")) {
      if (IngestSql.isIngestJob(j.path("name").asText())
          && List.of("CREATED", "INITIALIZING", "RUNNING", "RESTARTING").contains(j.path("state").asText())) {
        alive.add(j.path("jid").asText());
      }
    }
    return alive;
  }

  private JsonNode getJson(String url) throws Exception {
    return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private void send(String method, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode() / 100).as("%s %s: %s", method, url, r.body()).isEqualTo(2);
  }
}
