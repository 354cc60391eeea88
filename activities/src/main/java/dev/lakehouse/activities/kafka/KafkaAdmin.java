package dev.lakehouse.activities.kafka;

import dev.lakehouse.spec.PipelineSpec;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * An AdminClient on the spec's Kafka with the timeouts every activity here uses (an activity call, not a session),
 * and {@link #clientProperties}, where every Kafka client of the worker (admin, consumers, producer) starts.
 */
final class KafkaAdmin {
  private KafkaAdmin() {}

  /** {@code bootstrap.servers} and the login and trust store of {@code lakehouse.security.kafka}, if any. */
  static Properties clientProperties(PipelineSpec spec) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, spec.endpoints().kafka().bootstrapServers());
    props.putAll(spec.security().kafka().clientProperties());
    return props;
  }

  /**
   * One line naming the keys to fix when Kafka refused the login of {@code lakehouse.security.kafka} (a SASL
   * failure) or the TLS handshake failed (a broker certificate the trust store does not trust); empty for any other
   * error.
   */
  static Optional<String> loginProblem(PipelineSpec spec, Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SslAuthenticationException) {
        return Optional.of("TLS with Kafka at " + spec.endpoints().kafka().bootstrapServers() + " failed ("
            + rootMessage(t) + "): point lakehouse.security.kafka.truststore-path (LAKEHOUSE_KAFKA_TRUSTSTORE) at the"
            + " CA of the broker's certificate"
            + (spec.security().kafka().truststorePath().isEmpty() ? " (none is set: the JVM's trust store does not"
                + " trust it)" : "") + ", or set protocol to what the broker's listener speaks");
      }
      if (t instanceof AuthenticationException) {
        return Optional.of("Kafka at " + spec.endpoints().kafka().bootstrapServers() + " refused the login of "
            + spec.security().kafka().username().orElse("(no user)") + " (" + t.getMessage() + "): check"
            + " lakehouse.security.kafka.username and password (LAKEHOUSE_KAFKA_USERNAME, LAKEHOUSE_KAFKA_PASSWORD)"
            + " and mechanism");
      }
    }
    return Optional.empty();
  }

  /** The innermost message, on one line (a handshake failure's cause says what the certificate lacked). */
  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage()).replaceAll("\\s+", " ");
  }

  static Admin open(PipelineSpec spec, String clientId) {
    Properties props = clientProperties(spec);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return Admin.create(props);
  }
}
