package dev.lakehouse.activities.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.spec.PipelineSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 *
 * <p>The topic also records which snapshots are owed: before a connector update adds tables to the include list,
 * {@link #markPending} writes one record per added table under the key {@value #PENDING_KEY} (the connector skips
 * records of another key). A table is owed a snapshot while its latest mark has no {@code execute-snapshot} signal
 * of it after it ({@link #pendingTables}): exactly the tables a failure between the update and the signal left
 * captured without their old rows. The topic is read in offset order, and retention drops old records first, so a
 * signal never disappears while a mark before it stays.
 */
public final class SnapshotSignals {
  /** The key of a pending-snapshot mark; Debezium reads only records keyed by the topic prefix. */
  public static final String PENDING_KEY = "lakehouse-snapshot-owed";
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

  /** Records that {@code tables}, about to be added to the connector, are owed a snapshot. */
  public static void markPending(PipelineSpec spec, List<String> tables)
      throws ExecutionException, TimeoutException, InterruptedException {
    if (tables.isEmpty()) {
      return;
    }
    ensureTopic(spec);
    try (KafkaProducer<String, String> producer = producer(spec)) {
      for (String table : tables) {
        ObjectNode mark = JSON.createObjectNode();
        mark.put("snapshot-owed", spec.source().schema() + "." + table);
        producer.send(new ProducerRecord<>(topic(spec), 0, PENDING_KEY, mark.toString()))
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  /** The tables owed a snapshot (see the class comment); none when the topic does not exist yet. */
  public static List<String> pendingTables(PipelineSpec spec)
      throws ExecutionException, TimeoutException, InterruptedException {
    try (Admin admin = KafkaAdmin.open(spec, "lakehouse-apply")) {
      if (!admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).contains(topic(spec))) {
        return List.of();
      }
    }
    return pending(spec.source().topicPrefix(), spec.source().schema(), records(spec));
  }

  /**
   * The tables owed a snapshot after {@code records} (key, value) in topic order: marked, and not named by an
   * {@code execute-snapshot} signal of the connector since.
   */
  static List<String> pending(String topicPrefix, String schema, List<Map.Entry<String, String>> records) {
    Set<String> owed = new java.util.LinkedHashSet<>();
    for (Map.Entry<String, String> r : records) {
      JsonNode value = parse(r.getValue());
      if (value == null) {
        continue;
      }
      if (PENDING_KEY.equals(r.getKey()) && value.hasNonNull("snapshot-owed")) {
        owed.add(table(schema, value.get("snapshot-owed").asText()));
      } else if (topicPrefix.equals(r.getKey()) && "execute-snapshot".equals(value.path("type").asText())) {
        value.path("data").path("data-collections").forEach(c -> owed.remove(table(schema, c.asText())));
      }
    }
    return List.copyOf(owed);
  }

  private static String table(String schema, String collection) {
    return collection.startsWith(schema + ".") ? collection.substring(schema.length() + 1) : collection;
  }

  private static KafkaProducer<String, String> producer(PipelineSpec spec) {
    Properties props = KafkaAdmin.clientProperties(spec);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
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
    try (KafkaProducer<String, String> producer = producer(spec)) {
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

  /** The ids of every signal on the topic. */
  static Set<String> sentIds(PipelineSpec spec) {
    Set<String> ids = new HashSet<>();
    for (Map.Entry<String, String> r : records(spec)) {
      idOf(r.getValue()).ifPresent(ids::add);
    }
    return ids;
  }

  /** Every record of the topic, (key, value) in offset order (a few per apply: read whole). */
  private static List<Map.Entry<String, String>> records(PipelineSpec spec) {
    Properties props = KafkaAdmin.clientProperties(spec);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<Map.Entry<String, String>> records = new ArrayList<>();
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
          records.add(new java.util.AbstractMap.SimpleImmutableEntry<>(r.key(), r.value()));
        }
      }
    }
    return records;
  }

  private static Optional<String> idOf(String value) {
    JsonNode json = parse(value);
    JsonNode id = json == null ? null : json.get("id");
    return id == null ? Optional.empty() : Optional.of(id.asText());
  }

  private static JsonNode parse(String value) {
    try {
      return value == null ? null : JSON.readTree(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null; // not ours: Debezium skips it too
    }
  }
}
