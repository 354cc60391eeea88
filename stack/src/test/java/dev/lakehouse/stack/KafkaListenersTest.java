package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local Kafka's listener lines and the Connect worker's config with and without {@code lakehouse.security.kafka}
 * (KafkaSaslIT runs them).
 */
class KafkaListenersTest {
  @TempDir
  Path dir;

  private StackContext context(Map<String, String> env) {
    return StackContext.of(SpecLoader.load(SpecSource.bundled(), env, Map.of()), SpecSource.bundled(),
        dir.resolve("home"), dir.resolve("services"), line -> { });
  }

  @Test
  void plaintextByDefaultAndOneSaslListenerWithTheSpecsUserOtherwise() {
    StackContext plain = context(Map.of());
    assertThat(KafkaService.listeners(plain)).contains("listeners=PLAINTEXT://127.0.0.1:")
        .contains("inter.broker.listener.name=PLAINTEXT").doesNotContain("sasl");

    StackContext sasl = context(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "LAKEHOUSE_KAFKA_USERNAME", "worker", "LAKEHOUSE_KAFKA_PASSWORD", "kp-1"));
    assertThat(KafkaService.listeners(sasl)).contains("listeners=SASL_PLAINTEXT://127.0.0.1:")
        .contains("CONTROLLER://127.0.0.1:").contains("inter.broker.listener.name=SASL_PLAINTEXT")
        .contains("sasl.enabled.mechanisms=PLAIN").contains("listener.name.sasl_plaintext.plain.sasl.jaas.config="
            + "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"worker\" password=\"kp-1\""
            + " user_worker=\"kp-1\";");
  }

  @Test
  void connectLogsInThroughItsEnvironmentWithSaslAndAsBeforeWithout() {
    String plain = ConnectService.workerConfig(context(Map.of()));
    assertThat(plain).doesNotContain("sasl", "security.protocol", "LAKEHOUSE_KAFKA_SASL_JAAS_CONFIG")
        .contains("config.providers.env.param.allowlist.pattern=^(LAKEHOUSE_REPLICATION_PASSWORD)$");

    StackContext sasl = context(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "LAKEHOUSE_KAFKA_USERNAME", "worker", "LAKEHOUSE_KAFKA_PASSWORD", "kp-1-secret"));
    String config = ConnectService.workerConfig(sasl);
    for (String prefix : new String[] {"", "producer.", "consumer.", "admin."}) {
      assertThat(config).contains("\n" + prefix + "security.protocol=SASL_PLAINTEXT\n",
          "\n" + prefix + "sasl.mechanism=PLAIN\n",
          "\n" + prefix + "sasl.jaas.config=${env:LAKEHOUSE_KAFKA_SASL_JAAS_CONFIG}\n");
    }
    assertThat(config).doesNotContain("kp-1-secret").contains("config.providers.env.param.allowlist.pattern="
        + "^(LAKEHOUSE_REPLICATION_PASSWORD|LAKEHOUSE_KAFKA_SASL_JAAS_CONFIG)$");
    assertThat(sasl.spec().security().kafka().connectEnvironment())
        .containsEntry("LAKEHOUSE_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule"
            + " required username=\"worker\" password=\"kp-1-secret\";");
  }

  @Test
  void tlsAndScramAreRefusedWithOneLine() {
    StackContext ssl = context(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "LAKEHOUSE_KAFKA_USERNAME", "w",
        "LAKEHOUSE_KAFKA_PASSWORD", "p"));
    assertThatThrownBy(() -> KafkaService.listeners(ssl)).isInstanceOf(StackUsageException.class)
        .hasMessageContaining("SASL_PLAINTEXT with mechanism PLAIN only");
    StackContext scram = context(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "LAKEHOUSE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "LAKEHOUSE_KAFKA_USERNAME", "w",
        "LAKEHOUSE_KAFKA_PASSWORD", "p"));
    assertThatThrownBy(() -> KafkaService.listeners(scram)).isInstanceOf(StackUsageException.class)
        .hasMessageContaining("SASL_PLAINTEXT/SCRAM-SHA-512");
  }
}
