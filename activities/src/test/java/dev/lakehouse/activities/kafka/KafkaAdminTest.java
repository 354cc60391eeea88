package dev.lakehouse.activities.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;

/** The worker's Kafka client properties and the one line for a refused login or TLS handshake (KafkaSaslSslIT). */
class KafkaAdminTest {
  private static PipelineSpec spec(Map<String, String> kafka) {
    return SpecLoader.load(kafka);
  }

  @Test
  void everyClientGetsTheLoginAndTheTrustStore() {
    PipelineSpec tls = spec(Map.of("lakehouse.security.kafka.protocol", "SASL_SSL",
        "lakehouse.security.kafka.mechanism", "SCRAM-SHA-512", "lakehouse.security.kafka.username", "w",
        "lakehouse.security.kafka.password", "p", "lakehouse.security.kafka.truststore-path", "/x/ca.pem"));
    assertThat(KafkaAdmin.clientProperties(tls)).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("ssl.truststore.location", "/x/ca.pem")
        .containsEntry("ssl.truststore.type", "PEM").containsKey("bootstrap.servers");
    assertThat(KafkaAdmin.clientProperties(SpecLoader.load())).containsOnlyKeys("bootstrap.servers");
  }

  @Test
  void aFailedHandshakeNamesTheTrustStoreKeyAndAFailedLoginTheCredentials() {
    PipelineSpec jvmTrust = spec(Map.of("lakehouse.security.kafka.protocol", "SSL"));
    SslAuthenticationException ssl = new SslAuthenticationException("SSL handshake failed",
        new SSLHandshakeException("PKIX path building failed:\n unable to find valid certification path"));
    assertThat(KafkaAdmin.loginProblem(jvmTrust, new ExecutionException(ssl))).hasValueSatisfying(m -> assertThat(m)
        .startsWith("TLS with Kafka at ").contains("PKIX path building failed: unable to find",
            "lakehouse.security.kafka.truststore-path (LAKEHOUSE_KAFKA_TRUSTSTORE)", "none is set")
        .doesNotContain("\n"));
    assertThat(KafkaAdmin.loginProblem(jvmTrust, new ExecutionException(new SaslAuthenticationException("bad"))))
        .hasValueSatisfying(m -> assertThat(m).contains("refused the login", "LAKEHOUSE_KAFKA_PASSWORD"));
    assertThat(KafkaAdmin.loginProblem(jvmTrust, new ExecutionException(new IllegalStateException("x")))).isEmpty();
  }
}
