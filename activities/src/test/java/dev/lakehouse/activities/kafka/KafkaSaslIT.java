package dev.lakehouse.activities.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.KafkaAuth;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.junit.OwnStack;
import io.temporal.failure.ApplicationFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker's Kafka clients (admin, producer, consumers, all from {@link KafkaAdmin#clientProperties}) against a
 * real broker whose only listener for clients is SASL_PLAINTEXT with mechanism PLAIN: a stack of its own (kafka
 * alone) started with {@code lakehouse.security.kafka} set, as {@code ./lakehouse up kafka} would.
 */
class KafkaSaslIT {
  private static final String USER = "lakehouse-worker";
  private static final String PASSWORD = "kafka-pw-71c3e0";
  private static OwnStack own;
  private static PipelineSpec spec;

  @BeforeAll
  static void start() throws Exception {
    own = OwnStack.start("kafka-sasl", List.of("kafka"), env(PASSWORD));
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
  void aPlaintextClientGetsNothing() {
    Map<String, String> plain = new HashMap<>(System.getenv());
    plain.put("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
    try (Admin admin = KafkaAdmin.open(withKafka(plain), "it-plaintext")) {
      assertThatThrownBy(() -> admin.listTopics().names().get()).hasMessageContaining("Timed out");
    }
  }

  @Test
  void thePasswordIsInNoArgvAndNoLog() throws Exception {
    assertThat(own.argvAndLogs("kafka")).contains("kafka.Kafka").doesNotContain(PASSWORD);
  }
}
