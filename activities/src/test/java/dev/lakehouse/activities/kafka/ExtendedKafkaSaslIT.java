package dev.lakehouse.activities.kafka;

import java.util.Map;

/**
 * {@link KafkaLoginChecks} against the local stack's Kafka with SASL_PLAINTEXT and mechanism PLAIN: the listener's
 * one user is in the broker's JAAS line. Behind {@code -Pextended} (the default run has {@link KafkaSaslSslIT}, the
 * same checks over SASL_SSL with SCRAM, and more); run it alone with {@code -Dit.test=ExtendedKafkaSaslIT}.
 */
class ExtendedKafkaSaslIT extends KafkaLoginChecks {
  @Override
  String name() {
    return "kafka-sasl";
  }

  @Override
  String password() {
    return "kafka-pw-71c3e0";
  }

  @Override
  Map<String, String> login(String password) {
    return Map.of("LAKEHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "LAKEHOUSE_KAFKA_USERNAME", USER,
        "LAKEHOUSE_KAFKA_PASSWORD", password);
  }
}
