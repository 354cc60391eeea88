package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.SecuritySpec;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Kafka Connect with the Debezium PostgreSQL plugin, up to a change event in Kafka. */
@ExtendWith(LakehouseStackExtension.class)
class ConnectIT {

  @Test
  void connectorPluginsListDebeziumPostgres(Endpoints e) throws Exception {
    Its.requires("connect");
    JsonNode plugins = Its.json("GET", e.connect().url() + "/connector-plugins", null);
    assertThat(plugins.findValuesAsText("class")).contains("io.debezium.connector.postgresql.PostgresConnector");
  }

  @Test
  void debeziumCapturesAnInsertIntoKafka(Endpoints e) throws Exception {
    Its.requires("connect");
    Its.requires("postgres");
    captureAnInsert(e);
  }

  /** A connector of its own (removed after) as Debezium's role captures an insert into users; SecretsIT too. */
  static void captureAnInsert(Endpoints e) throws Exception {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String name = "it-" + id;
    String prefix = "it" + id;
    String email = "cdc-" + id + "@example.com";
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    config.put("plugin.name", "pgoutput");
    config.put("database.hostname", e.host());
    config.put("database.port", String.valueOf(e.postgres().port()));
    // as Debezium's own role, which the stack created: LOGIN REPLICATION and SELECT, not the admin
    SecuritySpec.Credentials replication = LakehouseStackExtension.stack().context().spec().security().replication();
    config.put("database.user", replication.user());
    // the reference the Connect worker resolves from its environment, as the lakehouse's connector has it
    config.put("database.password", SecuritySpec.REPLICATION_PASSWORD_REFERENCE);
    config.put("database.dbname", e.postgres().database());
    config.put("topic.prefix", prefix);
    config.put("table.include.list", "public.users");
    config.put("publication.name", "bank_pub");
    config.put("publication.autocreate.mode", "disabled");
    config.put("slot.name", "it_" + id);
    config.put("slot.drop.on.stop", "true");
    config.put("snapshot.mode", "no_data");
    Its.json("PUT", e.connect().url() + "/connectors/" + name + "/config", Its.body(config));
    try {
      awaitRunning(e, name);
      // running, so the worker resolved the reference; its REST API shows the reference, not the password
      assertThat(Its.json("GET", e.connect().url() + "/connectors/" + name + "/config", null).toString())
          .contains(SecuritySpec.REPLICATION_PASSWORD_REFERENCE).doesNotContain(replication.password());
      try (Connection c = StackEndpoints.openPostgres(e);
          Statement s = c.createStatement()) {
        s.execute("INSERT INTO users (email, name) VALUES ('" + email + "', 'Captured')");
      }
      String event = null;
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafka().bootstrapServers(),
          ConsumerConfig.GROUP_ID_CONFIG, name,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
        consumer.subscribe(List.of(prefix + ".public.users"));
        long deadline = System.currentTimeMillis() + 60_000;
        while (event == null && System.currentTimeMillis() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            if (r.value() != null && r.value().contains(email)) {
              event = r.value();
            }
          }
        }
      }
      assertThat(event).as("Debezium event for the insert").isNotNull();
      JsonNode payload = Its.JSON.readTree(event).get("payload"); // schemas.enable=true: the envelope
      assertThat(payload.get("op").asText()).isEqualTo("c");
      assertThat(payload.get("after").get("name").asText()).isEqualTo("Captured");
    } finally {
      Its.send("DELETE", e.connect().url() + "/connectors/" + name, null);
    }
  }

  private static void awaitRunning(Endpoints e, String name) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      var r = Its.send("GET", e.connect().url() + "/connectors/" + name + "/status", null);
      last = r.body();
      if (r.statusCode() == 200) {
        JsonNode status = Its.JSON.readTree(last);
        JsonNode tasks = status.get("tasks");
        if ("RUNNING".equals(status.at("/connector/state").asText()) && tasks.size() > 0
            && "RUNNING".equals(tasks.get(0).get("state").asText())) {
          return;
        }
        if (last.contains("FAILED")) {
          break;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("connector " + name + " not RUNNING: " + last);
  }
}
