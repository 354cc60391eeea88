package dev.lakehouse.activities.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * of it after it, or every attempt of the latest signal's apply run was skipped by Debezium ({@link #pendingTables},
 * {@link SnapshotAttempts}): exactly the tables a failure between the update and the signal, or a failed snapshot,
 * left captured without their old rows. The topic is read in offset order, and retention drops old records first, so a
 * signal never disappears while a mark before it stays.
 */
public final class SnapshotSignals {
  /** The key of a pending-snapshot mark; Debezium reads only records keyed by the topic prefix. */
  public static final String PENDING_KEY = "lakehouse-snapshot-owed";
  private static final long TIMEOUT_SECONDS = TopicRecords.TIMEOUT_SECONDS;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotSignals() {}

  /** {@code bank-signal}: Debezium's default name for the topic prefix {@code bank}, written out. */
  public static String topic(PipelineSpec spec) {
    return spec.source().topicPrefix() + "-signal";
  }

  /** The signal channel's topic and Debezium's notification topic ({@link SnapshotScans}), created when missing. */
  public static void ensureTopic(PipelineSpec spec) throws ExecutionException, TimeoutException,
      InterruptedException {
    TopicRecords.ensure(spec, List.of(topic(spec), SnapshotScans.topic(spec)));
  }

  /** An {@code execute-snapshot} signal of the connector: its id and the tables it names (spec schema stripped). */
  public record Signal(String id, List<String> tables) {
    public Signal {
      tables = List.copyOf(tables);
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
    if (!TopicRecords.exists(spec, topic(spec))) {
      return List.of();
    }
    return pending(spec.source().topicPrefix(), spec.source().schema(), TopicRecords.readAll(spec, topic(spec)),
        SnapshotScans.read(spec));
  }

  /**
   * The tables owed a snapshot after {@code records} (key, value) in topic order: marked, and not named by an
   * {@code execute-snapshot} signal of the connector since, or named, but every attempt of the latest signal's run
   * was skipped by Debezium ({@link SnapshotAttempts}, from {@code scans}).
   */
  static List<String> pending(String topicPrefix, String schema, List<Map.Entry<String, String>> records,
      List<SnapshotScans.Scan> scans) {
    Set<String> owed = new LinkedHashSet<>();
    Map<String, List<Signal>> sinceMark = new LinkedHashMap<>();
    for (Map.Entry<String, String> r : records) {
      JsonNode value = parse(r.getValue());
      if (value == null) {
        continue;
      }
      if (PENDING_KEY.equals(r.getKey()) && value.hasNonNull("snapshot-owed")) {
        String table = table(schema, value.get("snapshot-owed").asText());
        owed.add(table);
        sinceMark.put(table, new ArrayList<>());
      } else {
        signal(topicPrefix, schema, r).ifPresent(signal -> signal.tables().forEach(t -> {
          owed.remove(t);
          if (sinceMark.containsKey(t)) {
            sinceMark.get(t).add(signal);
          }
        }));
      }
    }
    sinceMark.forEach((table, signals) -> {
      if (!signals.isEmpty()
          && SnapshotAttempts.latest(table, signals, scans, "").state() == SnapshotAttempts.State.SKIPPED) {
        owed.add(table);
      }
    });
    return List.copyOf(owed);
  }

  /** The connector's {@code execute-snapshot} signals on the topic, in order. */
  public static List<Signal> signals(PipelineSpec spec) {
    List<Signal> signals = new ArrayList<>();
    for (Map.Entry<String, String> r : TopicRecords.readAll(spec, topic(spec))) {
      signal(spec.source().topicPrefix(), spec.source().schema(), r).ifPresent(signals::add);
    }
    return signals;
  }

  private static Optional<Signal> signal(String topicPrefix, String schema, Map.Entry<String, String> record) {
    JsonNode value = parse(record.getValue());
    if (value == null || !topicPrefix.equals(record.getKey())
        || !"execute-snapshot".equals(value.path("type").asText())) {
      return Optional.empty();
    }
    List<String> tables = new ArrayList<>();
    value.path("data").path("data-collections").forEach(c -> tables.add(table(schema, c.asText())));
    return Optional.of(new Signal(value.path("id").asText(""), tables));
  }

  /** A Debezium data collection ({@code schema.table}) as a spec table: without the spec's schema. */
  static String table(String schema, String collection) {
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
    Set<String> sent = new HashSet<>();
    for (Map.Entry<String, String> r : TopicRecords.readAll(spec, topic(spec))) {
      idOf(r.getValue()).ifPresent(sent::add);
    }
    List<String> signalled = new ArrayList<>();
    for (String table : tables) {
      if (!sent.contains(idPrefix + table)) {
        sendOne(spec, idPrefix + table, table);
        signalled.add(table);
      }
    }
    return signalled;
  }

  /** Sends the {@code execute-snapshot} signal {@code id} of {@code table}. */
  public static void sendOne(PipelineSpec spec, String id, String table)
      throws ExecutionException, TimeoutException, InterruptedException {
    try (KafkaProducer<String, String> producer = producer(spec)) {
      producer.send(new ProducerRecord<>(topic(spec), 0, spec.source().topicPrefix(),
          executeSnapshot(spec, id, table))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private static Optional<String> idOf(String value) {
    JsonNode json = parse(value);
    JsonNode id = json == null ? null : json.get("id");
    return id == null ? Optional.empty() : Optional.of(id.asText());
  }

  /** A record's JSON value; null for none or for what is not JSON (not ours: Debezium skips it too). */
  static JsonNode parse(String value) {
    try {
      return value == null ? null : JSON.readTree(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }
}
