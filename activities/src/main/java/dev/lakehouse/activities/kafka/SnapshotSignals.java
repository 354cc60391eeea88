package dev.lakehouse.activities.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.spec.PipelineSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Debezium's Kafka signal channel: the topic the connector reads signals from ({@code <topic-prefix>-signal}, one
 * partition: Debezium reads partition 0 only) and the {@code execute-snapshot} signals that make it snapshot tables
 * incrementally (read-only: watermarks from {@code pg_current_snapshot()}, no signal table in the source). A signal's
 * key is the topic prefix (the connector ignores others); its id names the apply run and the table, and a signal
 * already on the topic with that id is not sent again (an activity retried after sending).
 */
public final class SnapshotSignals {
  private static final long TIMEOUT_SECONDS = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotSignals() {}

  /** {@code bank-signal}: Debezium's default name for the topic prefix {@code bank}, written out. */
  public static String topic(PipelineSpec spec) {
    return spec.source().topicPrefix() + "-signal";
  }

  /** The signal channel's topic, created with one partition when missing. */
  public static void ensureTopic(PipelineSpec spec) throws ExecutionException, TimeoutException,
      InterruptedException {
    try (Admin admin = KafkaAdmin.open(spec, "lakehouse-setup")) {
      if (admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).contains(topic(spec))) {
        return;
      }
      try {
        admin.createTopics(List.of(new NewTopic(topic(spec), Optional.of(1), Optional.empty()))).all()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }

  /** The {@code execute-snapshot} signal of an incremental snapshot of {@code table} (spec schema). */
  static String executeSnapshot(PipelineSpec spec, String id, String table) {
    ObjectNode signal = JSON.createObjectNode();
    signal.put("id", id);
    signal.put("type", "execute-snapshot");
    ObjectNode data = signal.putObject("data");
    data.putArray("data-collections").add(spec.source().schema() + "." + table);
    data.put("type", "incremental");
    return signal.toString();
  }

  /**
   * Sends one {@code execute-snapshot} signal per table, with the id {@code <idPrefix><table>}, unless the topic
   * holds it already. Returns the tables signalled now.
   */
  public static List<String> send(PipelineSpec spec, String idPrefix, List<String> tables)
      throws ExecutionException, TimeoutException, InterruptedException {
    ensureTopic(spec);
    Set<String> sent = sentIds(spec);
    List<String> signalled = new ArrayList<>();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.endpoints().kafka().bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
        new StringSerializer())) {
      for (String table : tables) {
        String id = idPrefix + table;
        if (sent.contains(id)) {
          continue;
        }
        producer.send(new ProducerRecord<>(topic(spec), 0, spec.source().topicPrefix(),
            executeSnapshot(spec, id, table))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        signalled.add(table);
      }
    }
    return signalled;
  }

  /** The ids of every signal on the topic (a few per apply: read whole). */
  static Set<String> sentIds(PipelineSpec spec) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.endpoints().kafka().bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Set<String> ids = new HashSet<>();
    TopicPartition partition = new TopicPartition(topic(spec), 0);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(TIMEOUT_SECONDS))
          .getOrDefault(partition, 0L);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      while (consumer.position(partition, Duration.ofSeconds(TIMEOUT_SECONDS)) < end
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          idOf(r.value()).ifPresent(ids::add);
        }
      }
    }
    return ids;
  }

  private static Optional<String> idOf(String value) {
    try {
      JsonNode id = value == null ? null : JSON.readTree(value).get("id");
      return id == null ? Optional.empty() : Optional.of(id.asText());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Optional.empty(); // not ours: Debezium skips it too
    }
  }
}
