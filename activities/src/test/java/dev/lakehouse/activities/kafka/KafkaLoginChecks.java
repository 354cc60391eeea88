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
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Everything that talks to Kafka against a real broker whose only listener for clients needs the login of
 * {@code lakehouse.security.kafka}: a stack of its own (PostgreSQL, Kafka, Connect, Flink and what Flink needs, S3
 * and the Iceberg REST catalog; no Trino, no Temporal) started with that block set, as {@code ./lakehouse up} would.
 * The worker's clients (admin, producer, consumers, all from {@link KafkaAdmin#clientProperties}); the Connect
 * worker, which must log in to start at all (its health is its group joined); Debezium's changes through the
 * worker's producer; the Flink ingest job's Kafka source; Debezium's own signal consumer. The password is in no
 * argv, no log, no Connect answer, and the files that hold it are the owner's only. Each subclass is one listener
 * ({@link ExtendedKafkaSaslIT}: SASL_PLAINTEXT with PLAIN; {@link KafkaSaslSslIT}: SASL_SSL with SCRAM-SHA-512).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the worker's clients create the CDC topics, the secrets last
abstract class KafkaLoginChecks {
  static final String USER = "lakehouse-worker";
  private static final Set<PosixFilePermission> GROUP_OR_OTHER = Set.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
  OwnStack own;
  PipelineSpec spec;

  /** The stack's name (its state dir). */
  abstract String name();

  /** The password of {@link #USER}: distinctive, so that any place it shows is found. */
  abstract String password();

  /** The environment that sets {@code lakehouse.security.kafka} with {@code password}. */
  abstract Map<String, String> login(String password);

  @BeforeAll
  void start() throws Exception {
    own = OwnStack.start(name(), List.of("postgres", "connect", "flink"), env(password()));
    spec = own.spec();
  }

  @AfterAll
  void stop() {
    if (own != null) {
      own.close();
    }
  }

  /**
   * The environment of the stack's spec with {@code password}: a spec loaded from it differs from the stack's in the
   * password alone (so the ingest job's statement set, its name, is the same).
   */
  Map<String, String> env(String password) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LAKEHOUSE_FLINK_CHECKPOINT_INTERVAL", "3s");
    env.putAll(login(password));
    return env;
  }

  /** The same spec on the same broker with other credentials. */
  PipelineSpec withKafka(Map<String, String> env) {
    return SpecLoader.load(SpecLoader.locate(System.getenv()), env, Map.of()).withEndpoints(spec.endpoints());
  }

  @Test
  @Order(1)
  void theWorkersAdminProducerAndConsumersLogIn() throws Exception {
    assertThat(spec.security().kafka().protocol()).isEqualTo(KafkaAuth.Protocol.valueOf(login(password())
        .get("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL")));
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
    KafkaActivitiesImpl wrong = new KafkaActivitiesImpl(withKafka(env("not-" + password())));
    assertThatThrownBy(wrong::consumerLag).isInstanceOf(ApplicationFailure.class).satisfies(e -> {
      String m = ((ApplicationFailure) e).getOriginalMessage();
      System.out.println("wrong Kafka password -> " + m);
      assertThat(m).contains("refused the login of " + USER, "Authentication failed", "LAKEHOUSE_KAFKA_PASSWORD")
          .doesNotContain("\n").doesNotContain(password());
      assertThat(((ApplicationFailure) e).isNonRetryable()).isTrue();
    });
  }

  @Test
  @Order(3)
  void aPlaintextClientGetsNothing() {
    Map<String, String> plain = new HashMap<>(System.getenv());
    plain.put("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
    Properties props = KafkaAdmin.clientProperties(withKafka(plain));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"); // no answer ever comes: wait less
    try (Admin admin = Admin.create(props)) {
      assertThatThrownBy(() -> admin.listTopics().names().get()).hasMessageContaining("Timed out");
    }
  }

  @Test
  @Order(4)
  void changesAndSignalsFlowThroughConnectAndFlinkThatLogIn() throws Exception {
    assertThat(spec.security().kafka().protocol()).isEqualTo(KafkaAuth.Protocol.valueOf(login(password())
        .get("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL")));
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
        .doesNotContain(password());
    // Flink masks options named *jaas.config*, and the plan names tables, not their options
    assertThat(flinkAnswers(job.jobId())).contains(job.jobId()).doesNotContain(password());
  }

  @Test
  @Order(5)
  void theKafkaPasswordIsInNoArgvNoLogAndOnlyInOwnerOnlyFiles() throws Exception {
    assertHidden(password(), "conf/kafka/server.properties");
  }

  /**
   * {@code secret} is in no argv of the stack's processes, no log, and of {@code conf/} in {@code holders} only
   * (paths under the stack's home), which are the owner's only.
   */
  void assertHidden(String secret, String... holders) throws Exception {
    Stack stack = own.stack();
    List<Long> pids = new ArrayList<>();
    stack.status().forEach(s -> s.pids().stream().filter(p -> p > 0).forEach(p -> {
      pids.add(p);
      ProcessHandle.of(p).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
    }));
    assertThat(pids).hasSizeGreaterThanOrEqualTo(stack.services().size());
    for (long pid : pids) {
      assertThat(Procs.cmdline(pid)).as("argv of %d", pid).doesNotContain(secret);
    }
    Path home = stack.context().home();
    try (Stream<Path> logs = Files.list(home.resolve("logs"))) {
      for (Path log : logs.toList()) {
        assertThat(Files.readString(log)).as("log %s", log).doesNotContain(secret);
      }
    }
    assertThat(Files.readString(home.resolve("conf/connect/connect-distributed.properties")))
        .contains("sasl.jaas.config=" + KafkaAuth.JAAS_CONFIG_REFERENCE).doesNotContain(secret);
    List<Path> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(home.resolve("conf"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret)) {
          holding.add(f);
          assertThat(Files.getPosixFilePermissions(f)).as("mode of %s", f).doesNotContainAnyElementsOf(GROUP_OR_OTHER);
        }
      }
    }
    assertThat(holding).as("files holding the Kafka password").containsExactlyInAnyOrderElementsOf(
        Stream.of(holders).map(home::resolve).toList());
  }

  void sql(String... statements) throws Exception {
    try (Connection c = SourceDatabase.open(spec, "kafka-sasl-it"); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  /** What Flink's REST API tells anyone about the running job (its plan, config, vertices). */
  String flinkAnswers(String jobId) throws Exception {
    StringBuilder all = new StringBuilder();
    for (String path : List.of("/jobs/" + jobId, "/jobs/" + jobId + "/config", "/jobs/" + jobId + "/plan",
        "/jobmanager/config")) {
      all.append(get(spec.endpoints().flink().url() + path)).append('\n');
    }
    return all.toString();
  }

  static String get(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
    return r.body();
  }
}
