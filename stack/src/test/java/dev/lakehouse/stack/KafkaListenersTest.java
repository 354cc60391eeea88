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
 * (ExtendedKafkaSaslIT and KafkaSaslSslIT run them).
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
    assertThat(KafkaService.listeners(plain, null)).contains("listeners=PLAINTEXT://127.0.0.1:")
        .contains("inter.broker.listener.name=PLAINTEXT").doesNotContain("sasl");

    StackContext sasl = context(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "LAKEHOUSE_KAFKA_USERNAME", "worker", "LAKEHOUSE_KAFKA_PASSWORD", "kp-1"));
    assertThat(KafkaService.listeners(sasl, null)).contains("listeners=SASL_PLAINTEXT://127.0.0.1:")
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
  void scramOverTlsTakesTheSpecsMechanismTheBrokersKeyStoreAndNoUserList() {
    StackContext ctx = context(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "LAKEHOUSE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "LAKEHOUSE_KAFKA_USERNAME", "worker",
        "LAKEHOUSE_KAFKA_PASSWORD", "kp-2", "LAKEHOUSE_KAFKA_TRUSTSTORE", dir.resolve("ca.pem").toString()));
    String lines = KafkaService.listeners(ctx, new KafkaTls.BrokerTls(Path.of("/s/broker.p12"), "store-9",
        Path.of("/s/ca.pem")));
    assertThat(lines).contains("listeners=SASL_SSL://127.0.0.1:", "inter.broker.listener.name=SASL_SSL",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL\n",
        "sasl.enabled.mechanisms=SCRAM-SHA-512\n", "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512\n",
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
            + " required username=\"worker\" password=\"kp-2\";",
        "ssl.keystore.location=/s/broker.p12\n", "ssl.keystore.password=store-9\n", "ssl.truststore.type=PEM\n",
        "ssl.truststore.location=/s/ca.pem\n", "ssl.client.auth=none").doesNotContain("user_", "PLAINTEXT://");
    assertThatThrownBy(() -> KafkaService.listeners(ctx, null)).hasMessageContaining("key store");

    String ssl = KafkaService.listeners(context(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SSL")),
        new KafkaTls.BrokerTls(Path.of("/s/broker.p12"), "store-9", Path.of("/s/ca.pem")));
    assertThat(ssl).contains("listeners=SSL://127.0.0.1:", "ssl.keystore.location=").doesNotContain("sasl");
  }

  @Test
  void aTlsStackNeedsAPemTrustStorePathToWriteItsCaTo() {
    StackContext none = context(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SSL"));
    assertThatThrownBy(() -> KafkaTls.generate(none)).isInstanceOf(StackUsageException.class)
        .hasMessageContaining("set lakehouse.security.kafka.truststore-path (LAKEHOUSE_KAFKA_TRUSTSTORE)");
    StackContext p12 = context(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SSL", "LAKEHOUSE_KAFKA_TRUSTSTORE",
        dir.resolve("ca.p12").toString(), "LAKEHOUSE_KAFKA_TRUSTSTORE_PASSWORD", "x"));
    assertThatThrownBy(() -> KafkaTls.generate(p12)).isInstanceOf(StackUsageException.class)
        .hasMessageContaining("as PEM");
  }

  @Test
  void aDataDirFormattedWithoutTheScramUserIsRefusedWithOneLine() throws Exception {
    StackContext scram = context(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "LAKEHOUSE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "LAKEHOUSE_KAFKA_USERNAME", "worker",
        "LAKEHOUSE_KAFKA_PASSWORD", "p"));
    Path data = scram.data("kafka");
    java.nio.file.Files.createDirectories(data.resolve("logs"));
    java.nio.file.Files.writeString(data.resolve("logs/meta.properties"), "formatted before SCRAM\n");
    assertThatThrownBy(() -> new KafkaService().prepare(scram)).isInstanceOf(StackUsageException.class)
        .hasMessageContaining("formatted without the SCRAM user SCRAM-SHA-512 worker")
        .hasMessageContaining(data.resolve("scram-user").toString()).hasMessageNotContaining("\n");
    java.nio.file.Files.writeString(data.resolve("scram-user"), "SCRAM-SHA-512 worker");
    assertThat(new KafkaService().prepare(scram)).hasSize(1); // the user is there: Kafka starts as it is
  }

  @Test
  void aSaslUserNameMustBePlain() {
    StackContext odd = context(Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "LAKEHOUSE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256", "LAKEHOUSE_KAFKA_USERNAME", "a=b,c",
        "LAKEHOUSE_KAFKA_PASSWORD", "p"));
    assertThatThrownBy(() -> KafkaService.listeners(odd, null)).isInstanceOf(StackUsageException.class)
        .hasMessageContaining("plain user name");
  }
}
