package dev.lakehouse.activities.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.activities.JsonHttp;
import dev.lakehouse.activities.connect.ConnectActivitiesImpl;
import dev.lakehouse.activities.flink.FlinkActivitiesImpl;
import dev.lakehouse.activities.iceberg.IcebergCatalogs;
import dev.lakehouse.activities.iceberg.RawOffsets;
import dev.lakehouse.activities.iceberg.RawTables;
import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.stack.Stack;
import dev.lakehouse.stack.StackContext;
import dev.lakehouse.stack.junit.OwnStack;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaLoginChecks} against the local stack's Kafka with SASL_SSL and SCRAM-SHA-512: the broker's certificate
 * signed by the stack's throwaway CA, which it writes to {@code lakehouse.security.kafka.truststore-path}, where every
 * client (the worker's, Connect and its connector's, Debezium's signal consumer, the Flink source) reads it; the
 * user a SCRAM credential added when Kafka's data dir was formatted. Also: a client that trusts the JVM's default
 * CAs only is refused with the line that names the trust store key.
 */
class KafkaSaslSslIT extends KafkaLoginChecks {
  private static final Path CA = OwnStack.stateDir("kafka-sasl-ssl").resolve("kafka-ca.pem");

  @Override
  String name() {
    return "kafka-sasl-ssl";
  }

  @Override
  String password() {
    return "scram-pw-5e09b2";
  }

  @Override
  Map<String, String> login(String password) {
    return Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "LAKEHOUSE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "LAKEHOUSE_KAFKA_USERNAME", USER, "LAKEHOUSE_KAFKA_PASSWORD", password,
        "LAKEHOUSE_KAFKA_TRUSTSTORE", CA.toString());
  }

  @Test
  @Order(3)
  void aClientWithoutTheTrustStoreIsRefusedWithTheLineThatNamesIt() throws Exception {
    assertThat(Files.readString(CA)).startsWith("-----BEGIN CERTIFICATE-----");
    Map<String, String> env = new HashMap<>(env(password()));
    env.remove("LAKEHOUSE_KAFKA_TRUSTSTORE");
    PipelineSpec jvmTrust = withKafka(env);
    assertThat(jvmTrust.security().kafka().truststorePath()).isEmpty();
    KafkaActivitiesImpl kafka = new KafkaActivitiesImpl(jvmTrust);
    assertThatThrownBy(kafka::consumerLag).isInstanceOf(ApplicationFailure.class).satisfies(e -> {
      String m = ((ApplicationFailure) e).getOriginalMessage();
      System.out.println("no Kafka trust store -> " + m);
      assertThat(m).contains("TLS with Kafka at", "lakehouse.security.kafka.truststore-path",
          "LAKEHOUSE_KAFKA_TRUSTSTORE").doesNotContain("\n").doesNotContain(password());
      assertThat(((ApplicationFailure) e).isNonRetryable()).isTrue();
    });
  }

  @Test
  @Order(6)
  void theTlsFilesAreTheOwnersOnlyAndTheCaKeyIsGone() throws Exception {
    Path tls = own.stack().context().home().resolve("conf/kafka/tls");
    try (Stream<Path> files = Files.list(tls)) {
      List<Path> all = files.toList();
      assertThat(all).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("broker.p12", "ca.pem",
          "store-password", "names");
      for (Path f : all) {
        assertThat(Files.getPosixFilePermissions(f)).as("mode of %s", f)
            .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      }
    }
    assertThat(Files.mismatch(tls.resolve("ca.pem"), CA)).isEqualTo(-1L);
    assertThat(Files.readString(own.stack().context().home().resolve("conf/kafka/server.properties")))
        .contains("sasl.enabled.mechanisms=SCRAM-SHA-512\n", "listeners=SASL_SSL://").doesNotContain("user_");
  }

  /**
   * The rotation of docs/security.md: the new SCRAM password set on the broker (by the old login), Connect restarted
   * with it, the ingest job cancelled and resubmitted with it. The password is not in the job's fingerprint, so the
   * job keeps its name and the resubmission restores the cancelled job's retained checkpoint; a change made at each
   * step reaches the raw table exactly once: the users table's next offset and its record count are both the number
   * of changes made.
   */
  @Test
  @Order(7)
  void aRotatedScramPasswordLosesAndDuplicatesNoChange() throws Exception {
    String next = "rotated-pw-c4d1a8";
    try (Admin admin = KafkaAdmin.open(spec, "it-rotate")) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), next))).all().get();
    }
    PipelineSpec rotated = withKafka(env(next));
    assertThat(IngestSql.jobName(rotated)).as("the job's name with the new password")
        .isEqualTo(IngestSql.jobName(spec));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(
        () -> new KafkaActivitiesImpl(spec).consumerLag()).hasMessageContaining("refused the login"));
    assertThat(new KafkaActivitiesImpl(rotated).consumerLag()).isNotNull();

    long users = recordCount("users");
    sql("INSERT INTO users (email, name) VALUES ('rotate-1@example.com', 'Before Connect')");
    StackContext ctx = own.stack().context();
    Stack withNew = new Stack(new StackContext(rotated, ctx.specSource(), ctx.home(), ctx.services(), ctx.java(),
        ctx.out()), own.stack().services());
    withNew.restart("connect"); // Connect's environment: the new JAAS line
    ConnectActivitiesImpl connect = new ConnectActivitiesImpl(rotated);
    assertThat(connect.awaitRunning().state()).isEqualTo("RUNNING");
    sql("INSERT INTO users (email, name) VALUES ('rotate-2@example.com', 'Before Flink')");

    FlinkActivitiesImpl flink = new FlinkActivitiesImpl(rotated);
    String old = flink.jobStatus().jobId();
    HttpResponse<String> cancel = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        spec.endpoints().flink().url() + "/jobs/" + old + "?mode=cancel")).method("PATCH",
        HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(cancel.statusCode()).as("cancel: %s", cancel.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(spec.endpoints().flink().url()
        + "/jobs/" + old)).contains("\"state\":\"CANCELED\""));
    FlinkJobStatus job = flink.ensureIngestJob();
    assertThat(job.state()).isEqualTo("RUNNING");
    assertThat(job.jobId()).isNotEqualTo(old);
    assertThat(JsonHttp.parse(get(spec.endpoints().flink().url() + "/jobs/" + job.jobId() + "/checkpoints"))
        .path("latest").path("restored").path("external_path").asText()).as("the state the new job started from")
        .contains("/" + old + "/chk-");
    sql("INSERT INTO users (email, name) VALUES ('rotate-3@example.com', 'After')");

    long expected = users + 3;
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
        RawOffsets.next(rotated)).containsEntry("users", Map.of(0, expected)));
    assertThat(recordCount("users")).isEqualTo(expected);
    assertHidden(next);
  }

  /** The raw table's row count, from its current snapshot's summary. */
  private long recordCount(String table) throws Exception {
    try (RESTCatalog catalog = IcebergCatalogs.open(spec.endpoints())) {
      Table t = catalog.loadTable(RawTables.identifier(spec.table(table).orElseThrow()));
      return Long.parseLong(t.currentSnapshot().summary().get("total-records"));
    }
  }
}
