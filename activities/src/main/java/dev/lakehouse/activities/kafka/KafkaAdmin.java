package dev.lakehouse.activities.kafka;

import dev.lakehouse.spec.PipelineSpec;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * An AdminClient on the spec's Kafka with the timeouts every activity here uses (an activity call, not a session),
 * and {@link #clientProperties}, where every Kafka client of the worker (admin, consumers, producer) starts.
 */
final class KafkaAdmin {
  private KafkaAdmin() {}

  /** {@code bootstrap.servers} and the login of {@code lakehouse.security.kafka} (SASL), if any. */
  static Properties clientProperties(PipelineSpec spec) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, spec.endpoints().kafka().bootstrapServers());
    props.putAll(spec.security().kafka().clientProperties());
    return props;
  }

  /**
   * One line naming the keys to fix when Kafka refused the login of {@code lakehouse.security.kafka} (a SASL
   * failure); empty for any other error.
   */
  static Optional<String> loginProblem(PipelineSpec spec, Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AuthenticationException) {
        return Optional.of("Kafka at " + spec.endpoints().kafka().bootstrapServers() + " refused the login of "
            + spec.security().kafka().username().orElse("(no user)") + " (" + t.getMessage() + "): check"
            + " lakehouse.security.kafka.username and password (LAKEHOUSE_KAFKA_USERNAME, LAKEHOUSE_KAFKA_PASSWORD)"
            + " and mechanism");
      }
    }
    return Optional.empty();
  }

  static Admin open(PipelineSpec spec, String clientId) {
    Properties props = clientProperties(spec);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return Admin.create(props);
  }
}
