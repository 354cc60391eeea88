package dev.lakehouse.activities.kafka;

import dev.lakehouse.spec.PipelineSpec;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

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

  static Admin open(PipelineSpec spec, String clientId) {
    Properties props = clientProperties(spec);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return Admin.create(props);
  }
}
