package dev.lakehouse.activities.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lakehouse.models.testing.Golden;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {
  private final PipelineSpec spec = SpecLoader.load();

  @Test
  void configFromTheDefaultSpecMatchesGolden() throws Exception {
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(ConnectorConfig.build(spec));
    Golden.assertMatches("connector-config.json", json + "\n");
  }

  @Test
  void withKafkaSaslTheSignalConsumerLogsInThroughConnectsEnvironment() throws Exception {
    PipelineSpec sasl = SpecLoader.load(Map.of("lakehouse.security.kafka.protocol", "SASL_PLAINTEXT",
        "lakehouse.security.kafka.username", "cdc-writer", "lakehouse.security.kafka.password", "kafka-secret-9"));
    Map<String, String> c = ConnectorConfig.build(sasl);
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(c);
    Golden.assertMatches("connector-config-sasl.json", json + "\n");
    assertThat(json).doesNotContain("kafka-secret-9").doesNotContain("cdc-writer"); // both live in the reference
    assertThat(ConnectorConfig.build(spec).keySet()).noneMatch(k -> k.startsWith("signal.consumer."));
  }

  @Test
  void withSaslSslTheSignalConsumerAlsoTrustsTheBrokersCaThroughConnectsEnvironment() throws Exception {
    PipelineSpec tls = SpecLoader.load(Map.of("lakehouse.security.kafka.protocol", "SASL_SSL",
        "lakehouse.security.kafka.mechanism", "SCRAM-SHA-512", "lakehouse.security.kafka.username", "cdc-writer",
        "lakehouse.security.kafka.password", "kafka-secret-9", "lakehouse.security.kafka.truststore-path",
        "/etc/kafka/ca.p12", "lakehouse.security.kafka.truststore-password", "store-secret-3"));
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(ConnectorConfig.build(tls));
    Golden.assertMatches("connector-config-sasl-ssl.json", json + "\n");
    assertThat(json).doesNotContain("kafka-secret-9", "store-secret-3", "cdc-writer")
        .contains("\"signal.consumer.ssl.truststore.location\" : \"/etc/kafka/ca.p12\"");
  }

  @Test
  void tableIncludeListComesFromTheSpecTables() {
    assertThat(ConnectorConfig.tableIncludeList(spec)).isEqualTo("public.accounts,public.users");
  }

  @Test
  void theIngestionSetupKeepsACapturedTableTheSpecLacks() {
    assertThat(ConnectorConfig.tableIncludeListKeeping(spec, List.of("accounts", "transactions", "users", "audit.log")))
        .isEqualTo("public.accounts,public.users,public.transactions,audit.log");
    assertThat(ConnectorConfig.tableIncludeListKeeping(spec, List.of("users")))
        .as("a new spec table is added, nothing kept").isEqualTo("public.accounts,public.users");
  }

  @Test
  void endpointsAndSourceOverridesReachTheConfig() {
    PipelineSpec other = SpecLoader.load(Map.of(
        "lakehouse.endpoints.postgres.port", "15432",
        "lakehouse.source.slot", "other_slot",
        "lakehouse.source.topic-prefix", "shop"));
    Map<String, String> c = ConnectorConfig.build(other);
    assertThat(c).containsEntry("database.port", "15432").containsEntry("slot.name", "other_slot")
        .containsEntry("topic.prefix", "shop");
    assertThat(ConnectorConfig.topics(other)).containsExactly("shop.public.accounts", "shop.public.users");
  }

  @Test
  void productionSettingsArePresent() {
    Map<String, String> c = ConnectorConfig.build(spec);
    assertThat(c).containsEntry("publication.autocreate.mode", "disabled") // created from the spec, not by Debezium
        .containsEntry("plugin.name", "pgoutput")
        .containsEntry("decimal.handling.mode", "string")
        .containsEntry("tombstones.on.delete", "false")
        .containsEntry("value.converter.schemas.enable", "false") // the bare envelope: a fifth of the bytes
        .containsEntry("value.converter.replace.null.with.default", "false") // a NULL is not the column's default
        .containsKey("heartbeat.interval.ms")
        .containsEntry("signal.kafka.poll.timeout.ms", "2000") // a TLS and SCRAM login within a few polls
        .doesNotContainKey("database.server.id"); // the seed's MySQL-only setting
  }

  @Test
  void debeziumLogsInWithItsReplicationRoleNeverTheAdmin() {
    PipelineSpec other = SpecLoader.load(Map.of("lakehouse.security.replication.user", "cdc",
        "lakehouse.security.replication.password", "cdc-secret"));
    Map<String, String> c = ConnectorConfig.build(other);
    // the password is a reference the Connect worker resolves from its environment, never the value
    assertThat(c).containsEntry("database.user", "cdc")
        .containsEntry("database.password", "${env:LAKEHOUSE_REPLICATION_PASSWORD}").doesNotContainValue("cdc-secret");
    assertThat(c.values()).doesNotContain(other.endpoints().postgres().user(), other.endpoints().postgres().password());
  }
}
