package dev.lakehouse.activities.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.activities.connect.ConnectActivitiesImpl;
import dev.lakehouse.activities.connect.ConnectorConfig;
import dev.lakehouse.activities.flink.FlinkActivitiesImpl;
import dev.lakehouse.activities.iceberg.IcebergCatalogs;
import dev.lakehouse.activities.iceberg.RawOffsets;
import dev.lakehouse.activities.iceberg.RawTables;
import dev.lakehouse.activities.source.SourceDatabase;
import dev.lakehouse.spec.KafkaAuth;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.Procs;
import dev.lakehouse.stack.Stack;
import dev.lakehouse.stack.junit.OwnStack;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Everything that talks to Kafka against a real broker whose only listener for clients is SASL_PLAINTEXT with
 * mechanism PLAIN: a stack of its own (PostgreSQL, Kafka, Connect, Flink and what Flink needs, S3 and the Iceberg
 * REST catalog; no Trino, no Temporal) started with {@code lakehouse.security.kafka} set, as {@code ./lakehouse up}
 * would. The worker's clients (admin, producer, consumers, all from {@link KafkaAdmin#clientProperties}); the
 * Connect worker, which must log in to start at all (its health is its group joined); Debezium's changes through
 * the worker's producer; the Flink ingest job's Kafka source; Debezium's own signal consumer. The password is in no
 * argv, no log, no Connect answer, and the files that hold it are the owner's only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the worker's clients create the CDC topics, the secrets last
class KafkaSaslIT {
  private static final String USER = "lakehouse-worker";
  private static final String PASSWORD = "kafka-pw-71c3e0";
  private static final Set<PosixFilePermission> GROUP_OR_OTHER = Set.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
  private static OwnStack own;
  private static PipelineSpec spec;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> env = env(PASSWORD);
    env.put("LAKEHOUSE_FLINK_CHECKPOINT_INTERVAL", "3s");
    own = OwnStack.start("kafka-sasl", List.of("postgres", "connect", "flink"), env);
    spec = own.spec();
  }

  @AfterAll
  static void stop() {
    if (own != null) {
      own.close();
    }
  }

  private static Map<String, String> env(String password) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "LAKEHOUSE_KAFKA_USERNAME", USER,
        "LAKEHOUSE_KAFKA_PASSWORD", password));
    return env;
  }

  /** The same spec on the same broker with other credentials. */
  private static PipelineSpec withKafka(Map<String, String> env) {
    return SpecLoader.load(SpecLoader.locate(System.getenv()), env, Map.of()).withEndpoints(spec.endpoints());
  }

  @Test
  @Order(1)
  void theWorkersAdminProducerAndConsumersLogIn() throws Exception {
    assertThat(spec.security().kafka().protocol()).isEqualTo(KafkaAuth.Protocol.SASL_PLAINTEXT);
    // admin: the CDC topics; producer and consumer: a pending-snapshot mark written, then read back
    assertThat(CdcTopics.ensure(spec)).isNotEmpty();
    String table = spec.tables().get(0).name();
    SnapshotSignals.markPending(spec, List.of(table));
    assertThat(SnapshotSignals.pendingTables(spec)).containsExactly(table);
    // the health activities: admin offsets and the topic watcher's consumer
    KafkaActivitiesImpl kafka = new KafkaActivitiesImpl(spec);
    assertThat(kafka.consumerLag()).isNotNull();
    assertThat(kafka.watchTopics(List.of())).isNotEmpty();
  }

  @Test
  @Order(2)
  void aWrongPasswordFailsTheActivityWithOneLine() {
    KafkaActivitiesImpl wrong = new KafkaActivitiesImpl(withKafka(env("not-" + PASSWORD)));
    assertThatThrownBy(wrong::consumerLag).isInstanceOf(ApplicationFailure.class).satisfies(e -> {
      String m = ((ApplicationFailure) e).getOriginalMessage();
      System.out.println("wrong Kafka password -> " + m);
      assertThat(m).contains("refused the login of " + USER, "Authentication failed", "LAKEHOUSE_KAFKA_PASSWORD")
          .doesNotContain("\n").doesNotContain(PASSWORD);
      assertThat(((ApplicationFailure) e).isNonRetryable()).isTrue();
    });
  }

  @Test
  @Order(3)
  void aPlaintextClientGetsNothing() {
    Map<String, String> plain = new HashMap<>(System.getenv());
    plain.put("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
    try (Admin admin = KafkaAdmin.open(withKafka(plain), "it-plaintext")) {
      assertThatThrownBy(() -> admin.listTopics().names().get()).hasMessageContaining("Timed out");
    }
  }

  @Test
  @Order(4)
  void changesAndSignalsFlowThroughConnectAndFlinkThatLogIn() throws Exception {
    assertThat(spec.security().kafka().protocol()).isEqualTo(KafkaAuth.Protocol.SASL_PLAINTEXT);
    try (RESTCatalog catalog = IcebergCatalogs.open(spec.endpoints())) {
      RawTables.ensureNamespaces(catalog);
      RawTables.ensureTables(catalog, spec);
    }
    ConnectActivitiesImpl connect = new ConnectActivitiesImpl(spec);
    connect.upsertConnector();
    assertThat(connect.awaitRunning().state()).isEqualTo("RUNNING");
    FlinkJobStatus job = new FlinkActivitiesImpl(spec).ensureIngestJob();
    assertThat(job.state()).isEqualTo("RUNNING");

    sql("INSERT INTO users (email, name) VALUES ('sasl-1@example.com', 'One'), ('sasl-2@example.com', 'Two')",
        "INSERT INTO accounts (user_id, currency, balance) SELECT id, 'EUR', 10 FROM users");
    Duration landing = Duration.ofSeconds(180);
    // Debezium -> Kafka (the worker's producer.*), Kafka -> the raw tables (the job's properties.*)
    await().atMost(landing).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(RawOffsets.next(spec))
        .containsEntry("users", Map.of(0, 2L)).containsEntry("accounts", Map.of(0, 2L)));

    // an incremental snapshot of accounts: the signal is read by Debezium's consumer (signal.consumer.*), and the
    // two rows arrive again as reads
    assertThat(SnapshotSignals.send(spec, "kafka-sasl-it-", List.of("accounts"))).containsExactly("accounts");
    await().atMost(landing).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(RawOffsets.next(spec))
        .containsEntry("accounts", Map.of(0, 4L)));
    assertThat(connect.status().state()).isEqualTo("RUNNING");

    // Connect shows the reference, never the JAAS line
    String config = get(spec.endpoints().connect().url() + "/connectors/" + ConnectorConfig.name(spec) + "/config");
    assertThat(config).contains(KafkaAuth.JAAS_CONFIG_REFERENCE)
        .doesNotContain(PASSWORD);
    // Flink masks options named *jaas.config*, and the plan names tables, not their options
    assertThat(flinkAnswers(job.jobId())).contains(job.jobId()).doesNotContain(PASSWORD);
  }

  @Test
  @Order(5)
  void theKafkaPasswordIsInNoArgvNoLogAndOnlyInOwnerOnlyFiles() throws Exception {
    Stack stack = own.stack();
    List<Long> pids = new ArrayList<>();
    stack.status().forEach(s -> s.pids().stream().filter(p -> p > 0).forEach(p -> {
      pids.add(p);
      ProcessHandle.of(p).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
    }));
    assertThat(pids).hasSizeGreaterThanOrEqualTo(stack.services().size());
    for (long pid : pids) {
      assertThat(Procs.cmdline(pid)).as("argv of %d", pid).doesNotContain(PASSWORD);
    }
    Path home = stack.context().home();
    try (Stream<Path> logs = Files.list(home.resolve("logs"))) {
      for (Path log : logs.toList()) {
        assertThat(Files.readString(log)).as("log %s", log).doesNotContain(PASSWORD);
      }
    }
    assertThat(Files.readString(home.resolve("conf/connect/connect-distributed.properties")))
        .contains("sasl.jaas.config=" + KafkaAuth.JAAS_CONFIG_REFERENCE).doesNotContain(PASSWORD);
    List<Path> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(home.resolve("conf"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (Files.readString(f).contains(PASSWORD)) {
          holding.add(f);
          assertThat(Files.getPosixFilePermissions(f)).as("mode of %s", f).doesNotContainAnyElementsOf(GROUP_OR_OTHER);
        }
      }
    }
    assertThat(holding).as("files holding the Kafka password").containsExactly(
        home.resolve("conf/kafka/server.properties"));
  }

  private static void sql(String... statements) throws Exception {
    try (Connection c = SourceDatabase.open(spec, "kafka-sasl-it"); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  /** What Flink's REST API tells anyone about the running job (its plan, config, vertices). */
  private static String flinkAnswers(String jobId) throws Exception {
    StringBuilder all = new StringBuilder();
    for (String path : List.of("/jobs/" + jobId, "/jobs/" + jobId + "/config", "/jobs/" + jobId + "/plan",
        "/jobmanager/config")) {
      all.append(get(spec.endpoints().flink().url() + path)).append('\n');
    }
    return all.toString();
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
    return r.body();
  }
}
