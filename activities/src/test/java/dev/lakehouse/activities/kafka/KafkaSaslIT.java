package dev.lakehouse.activities.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.KafkaAuth;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import dev.lakehouse.stack.FreePorts;
import dev.lakehouse.stack.Procs;
import dev.lakehouse.stack.Services;
import dev.lakehouse.stack.Stack;
import dev.lakehouse.stack.StackContext;
import dev.lakehouse.stack.StackFiles;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
  private static Stack stack;
  private static PipelineSpec spec;

  @BeforeAll
  static void start() throws Exception {
    Path state = Paths.get(System.getProperty("lakehouse.stack.state", "target/stack-it") + "-kafka-sasl")
        .toAbsolutePath();
    SpecSource source = SpecLoader.locate(System.getenv());
    PipelineSpec base = SpecLoader.load(source, env(PASSWORD), Map.of());
    StackContext ctx = StackContext.of(base.withEndpoints(FreePorts.assign(base.endpoints())), source, state,
        StackFiles.locateServices(), line -> System.out.println("[kafka-sasl] " + line));
    stack = new Stack(ctx, Services.select(List.of("kafka")));
    stack.down();
    stack.purge();
    stack.up();
    spec = ctx.spec();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.down();
    }
  }

  private static Map<String, String> env(String password) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("LAKEHOUSE_KAFKA_USERNAME", USER);
    env.put("LAKEHOUSE_KAFKA_PASSWORD", password);
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
      assertThat(m).contains("Authentication failed").doesNotContain("\n").doesNotContain(PASSWORD);
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
    assertThat(Procs.cmdline(stack.pid("kafka"))).contains("kafka.Kafka").doesNotContain(PASSWORD);
    try (Stream<Path> logs = Files.list(stack.context().home().resolve("logs"))) {
      for (Path log : logs.toList()) {
        assertThat(Files.readString(log)).as(log.toString()).doesNotContain(PASSWORD);
      }
    }
  }
}
