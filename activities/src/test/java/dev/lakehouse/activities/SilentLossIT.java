package dev.lakehouse.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.activities.connect.ConnectActivitiesImpl;
import dev.lakehouse.activities.kafka.KafkaActivitiesImpl;
import dev.lakehouse.activities.source.SourceActivitiesImpl;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.workflows.activities.ModelWatermark;
import dev.lakehouse.workflows.activities.PartitionWatch;
import dev.lakehouse.workflows.activities.SlotLag;
import dev.lakehouse.workflows.health.SilentLoss;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The silent-loss detectors on the real stack: each condition is produced for real (a column dropped and a TRUNCATE
 * on a table of its own, a renamed connector snapshots again, records deleted before the group committed them, the
 * slot dropped while the connector is gone, the topic deleted and recreated) and the real activities' readings, judged as the health check judges them, give its one
 * problem line. Isolated from the other classes on the shared stack: its own connector, slot, publication, topic
 * prefix and consumer group (standing in for the ingest job's, so no Flink job is needed:
 * {@code -Dlakehouse.stack.only=connect,postgres} runs it alone), all removed at the end.
 */
@ExtendWith(LakehouseStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SilentLossIT {
  private static final String PREFIX = "silentloss";
  private static final String SLOT = "silentloss_slot";
  private static final String PUBLICATION = "silentloss_pub";
  private static final String GROUP = "silentloss-it";
  private static final String ITEMS = "silentloss_items";
  private static final Duration CDC = Duration.ofSeconds(120);

  private final HttpClient http = HttpClient.newHttpClient();
  private PipelineSpec spec;
  private Admin admin;
  private String users;
  private TopicPartition usersTp;

  @BeforeAll
  void start() throws Exception {
    spec = spec("silentloss-connector");
    users = spec.source().topic("users");
    usersTp = new TopicPartition(users, 0);
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, spec.endpoints().kafka().bootstrapServers());
    admin = Admin.create(props);
    sql("CREATE TABLE IF NOT EXISTS " + ITEMS + " (id integer PRIMARY KEY, label text, note text)");
    sql("ALTER TABLE " + ITEMS + " REPLICA IDENTITY FULL");
  }

  private static PipelineSpec spec(String connector) {
    Map<String, Object> overrides = new HashMap<>(LakehouseStackExtension.configOverrides());
    overrides.put("lakehouse.source.connector", connector);
    overrides.put("lakehouse.source.topic-prefix", PREFIX);
    overrides.put("lakehouse.source.slot", SLOT);
    overrides.put("lakehouse.source.publication", PUBLICATION);
    // a table of its own for the schema changes (the shared stack's users and accounts must keep their columns)
    overrides.put("lakehouse.tables." + ITEMS, Map.of("primary-key", List.of("id"), "columns", List.of(
        Map.of("name", "id", "type", "integer"), Map.of("name", "label", "type", "varchar"),
        Map.of("name", "note", "type", "varchar"))));
    return SpecLoader.load(overrides);
  }

  @AfterAll
  void cleanUp() throws Exception {
    for (String connector : List.of("silentloss-connector", "silentloss-renamed")) {
      send("DELETE", "/connectors/" + connector);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> !slot().active());
    sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'");
    sql("DROP PUBLICATION IF EXISTS " + PUBLICATION);
    sql("DROP TABLE IF EXISTS " + ITEMS);
    Set<String> ours = admin.listTopics().names().get(20, TimeUnit.SECONDS).stream()
        .filter(t -> t.startsWith(PREFIX + ".") || t.endsWith("." + PREFIX)).collect(java.util.stream.Collectors.toSet());
    admin.deleteTopics(ours).all().get(20, TimeUnit.SECONDS);
    admin.deleteConsumerGroups(List.of(GROUP)).all().get(20, TimeUnit.SECONDS);
    admin.close();
  }

  @Test
  void eachSilentLossIsOneProblemLineOnTheRealStack() throws Exception {
    KafkaActivitiesImpl kafka = new KafkaActivitiesImpl(spec, GROUP);
    SourceActivitiesImpl source = new SourceActivitiesImpl(spec);
    connector(spec);
    insertUser();
    long streamed = await().atMost(CDC).until(() -> end(), e -> e > 0);

    // healthy: the snapshot records come before the streamed insert, the group committed what it read
    List<PartitionWatch> watch = kafka.watchTopics(List.of());
    commit(end());
    List<PartitionWatch> next = kafka.watchTopics(watch);
    assertThat(SilentLoss.judge(next, watch, source.slotLag(), modelsReadUpTo(users(next).end() - 1))).isEmpty();
    assertThat(users(next).firstStreamed()).isNotNull();
    assertThat(users(next).readTo()).isGreaterThanOrEqualTo(streamed);

    // schema changes of a source table: a column of the spec dropped, then a TRUNCATE
    String items = spec.source().topic(ITEMS);
    TopicPartition itemsTp = new TopicPartition(items, 0);
    sql("INSERT INTO " + ITEMS + " VALUES (1, 'kept', 'noted')");
    sql("ALTER TABLE " + ITEMS + " DROP COLUMN note");
    sql("INSERT INTO " + ITEMS + " VALUES (2, 'after the drop')");
    sql("TRUNCATE " + ITEMS);
    await().atMost(CDC).ignoreExceptions().until(() -> admin.listOffsets(Map.of(itemsTp, OffsetSpec.latest())).all()
        .get(20, TimeUnit.SECONDS).get(itemsTp).offset() >= 3);
    watch = next;
    next = kafka.watchTopics(watch);
    assertThat(messages(SilentLoss.judge(next, watch, source.slotLag()))).containsExactly(
        "TRUNCATE of the table of " + items + " at offset 2 of " + items + "-0 (1): a truncate carries no rows, so the"
            + " parse model quarantines it in the rejected table and the vault keeps every truncated row current;"
            + " delete the rows in the source if they were meant to go (each delete reaches the vault), or write them"
            + " again (docs/silent-loss.md)",
        "column note of the table of " + items + " is missing from its change events since offset 1 of " + items
            + "-0 (dropped from the source?): the parse model would store NULL and the satellites record it as a"
            + " change; restore the column in the source, or take it out of the spec"
            + " (docs/silent-loss.md)");

    // the connector renamed: its offsets are gone, so Debezium snapshots every table again into the same topics
    send("DELETE", "/connectors/silentloss-connector");
    await().atMost(CDC).until(() -> !slot().active());
    connector(spec("silentloss-renamed"));
    await().atMost(CDC).until(() -> end() > streamed);
    watch = next;
    next = kafka.watchTopics(watch);
    assertThat(messages(SilentLoss.judge(next, watch, source.slotLag(), modelsReadUpTo(streamed - 1))))
        .as("a connector restarted: the offsets only grow").singleElement().asString()
        .startsWith("Debezium snapshotted " + users + " again: ")
        .contains(" of " + users + "-0 after streamed changes");
    assertThat(users(next).resnapshotFrom()).isGreaterThanOrEqualTo(streamed);
    watch = next;
    next = kafka.watchTopics(watch);
    assertThat(SilentLoss.judge(next, watch, source.slotLag())).as("reported by the check that read them").isEmpty();

    // retention outran the ingest job: records the group has not committed are deleted
    insertUser();
    long before = end();
    await().atMost(CDC).until(() -> end() > before);
    commit(streamed);
    long deleteBefore = end();
    admin.deleteRecords(Map.of(usersTp, RecordsToDelete.beforeOffset(deleteBefore))).all().get(20, TimeUnit.SECONDS);
    watch = next;
    next = kafka.watchTopics(watch);
    // the models read every record up to the deleted ones: the earliest offset passed their watermark, the end did not
    // go back, so no recreated topic
    assertThat(messages(SilentLoss.judge(next, watch, source.slotLag(), modelsReadUpTo(deleteBefore - 1))))
        .containsExactly("kafka retention outran the"
        + " ingest job on " + users + "-0: offsets " + streamed + " to " + (deleteBefore - 1) + " were deleted before"
        + " the job committed them, so those " + (deleteBefore - streamed) + " changes never reach raw_data; raise the"
        + " topic's retention.ms above the longest ingest outage and re-snapshot the table"
        + " (docs/silent-loss.md)");
    commit(deleteBefore);

    // the slot dropped while the connector is gone: its next start would create a new one and skip the gap
    send("DELETE", "/connectors/silentloss-renamed");
    await().atMost(CDC).until(() -> !slot().active());
    sql("SELECT pg_drop_replication_slot('" + SLOT + "')");
    SlotLag dropped = source.slotLag();
    assertThat(dropped.exists()).isFalse();
    watch = next;
    next = kafka.watchTopics(watch);
    assertThat(messages(SilentLoss.judge(next, watch, dropped))).singleElement().asString()
        .startsWith("replication slot " + SLOT + " does not exist although Debezium has streamed changes");

    // the topic deleted, then recreated: its offsets start again at 0, below what the last check read
    admin.deleteTopics(List.of(users)).all().get(20, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(60)).until(() -> !admin.listTopics().names().get(20, TimeUnit.SECONDS)
        .contains(users));
    watch = next;
    next = kafka.watchTopics(watch);
    assertThat(messages(SilentLoss.judge(next, watch, dropped))).contains("topic " + users + " was deleted (it"
        + " existed at the last check): Debezium recreates it with offsets from 0, which the models' offset watermarks"
        + " skip below the old offsets; pause the models (lakehouse pause) and follow"
        + " docs/silent-loss.md#a-recreated-topic");
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
      admin.createTopics(List.of(new NewTopic(users, Optional.empty(), Optional.empty()))).all()
          .get(20, TimeUnit.SECONDS);
      return true;
    });
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> admin.listOffsets(Map.of(usersTp,
        OffsetSpec.latest())).all().get(20, TimeUnit.SECONDS).get(usersTp).offset() == 0);
    watch = SilentLoss.cursor(next, watch); // what the health check hands on: the gone topic's last entry
    next = kafka.watchTopics(watch);
    List<String> recreated = messages(SilentLoss.judge(next, watch, new SlotLag(SLOT, true, 0, true, "reserved")));
    assertThat(recreated).singleElement().asString()
        .startsWith("topic " + users + " was deleted and recreated (its id changed from " + users(watch).topicId()
            + " to " + users(next).topicId() + "; offsets went back: read up to " + users(watch).readTo()
            + ", it now ends at 0): ");
    assertThat(users(next).end()).isZero();
    assertThat(users(next).committed()).as("Kafka drops a deleted topic's committed offsets: the id and the offsets"
        + " the last check read are what show it").isNull();

    // without the cursor (a check whose schedule was created again): the models' watermarks on the old topic's
    // offsets (the models read all it had) are above the new topic's end, at this check and the next ones
    long oldEnd = users(watch).end();
    List<PartitionWatch> noCursor = kafka.watchTopics(List.of());
    // (the items topic, read from its start, shows its own conditions again: only the users topic matters here)
    assertThat(messages(SilentLoss.judge(noCursor, List.of(), dropped, modelsReadUpTo(oldEnd - 1)))).contains(
        "topic " + users + " was deleted and recreated (parsed_data.parsed_users has read " + users + "-0 up to"
            + " offset " + (oldEnd - 1) + ", it now ends at 0): the models' offset watermarks skip its new records"
            + " below the old offsets; pause the models (lakehouse pause) and follow"
            + " docs/silent-loss.md#a-recreated-topic");
    assertThat(messages(SilentLoss.judge(kafka.watchTopics(noCursor), noCursor, dropped, modelsReadUpTo(oldEnd - 1))))
        .as("repeated while it lasts").anyMatch(m -> m.startsWith("topic " + users + " was deleted and recreated"));
  }

  /** The models' watermark on the users topic, as the health check reads it from ops.materializations. */
  private List<ModelWatermark> modelsReadUpTo(long offset) {
    return List.of(new ModelWatermark("parsed_data.parsed_users", users, 0, offset));
  }

  private PartitionWatch users(List<PartitionWatch> watch) {
    return watch.stream().filter(w -> w.topic().equals(users)).findFirst().orElseThrow();
  }

  private static List<String> messages(List<SilentLoss.Problem> problems) {
    System.out.println("problems: " + problems);
    return problems.stream().map(SilentLoss.Problem::message).toList();
  }

  private void connector(PipelineSpec s) {
    ConnectActivitiesImpl connect = new ConnectActivitiesImpl(s);
    connect.upsertConnector();
    assertThat(connect.awaitRunning().state()).isEqualTo("RUNNING");
  }

  private long end() throws Exception {
    if (!admin.listTopics().names().get(20, TimeUnit.SECONDS).contains(users)) {
      return 0;
    }
    return admin.listOffsets(Map.of(usersTp, OffsetSpec.latest())).all().get(20, TimeUnit.SECONDS).get(usersTp)
        .offset();
  }

  private void commit(long offset) throws Exception {
    admin.alterConsumerGroupOffsets(GROUP, Map.of(usersTp, new OffsetAndMetadata(offset))).all()
        .get(20, TimeUnit.SECONDS);
  }

  private SlotLag slot() {
    return new SourceActivitiesImpl(spec).slotLag();
  }

  private void insertUser() throws Exception {
    sql("INSERT INTO users (email, name) VALUES ('" + UUID.randomUUID() + "@silentloss.test', 'it')");
  }

  private void sql(String statement) throws Exception {
    var pg = spec.endpoints().postgres();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private void send(String method, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(spec.endpoints().connect().url() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode() == 404 || r.statusCode() / 100 == 2).as("%s %s: %s", method, path, r.body()).isTrue();
  }
}
