package dev.lakehouse.activities.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lakehouse.workflows.activities.PartitionWatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the ops of the records a CDC partition gained since the last health check, to see Debezium snapshot
 * again: a snapshot record (op {@code r}) after a streamed change (c, u, d) in the same partition means the
 * connector lost its offsets (or was renamed) and read every table again. Each check reads at most
 * {@link #MAX_RECORDS} records per partition and for at most {@link #BUDGET}, resuming where it stopped, so a check
 * costs about what the job ingested in a minute; only the top-level {@code op} of each value is parsed.
 */
final class TopicWatcher {
  static final int MAX_RECORDS = 20_000;
  static final Duration BUDGET = Duration.ofSeconds(10);
  private static final JsonFactory JSON = new JsonFactory();

  /** Where a partition stands before the read: the offsets, and the cursor carried from the last check. */
  record Start(TopicPartition tp, String topicId, long earliest, long end, Long committed, long readFrom,
      Long firstStreamed) {}

  private TopicWatcher() {}

  /**
   * The cursor of each partition: continued from {@code previous} when it is the same topic (same id, offsets not
   * gone back), otherwise from the earliest offset with nothing seen.
   */
  static Start start(TopicPartition tp, String topicId, long earliest, long end, Long committed,
      PartitionWatch previous) {
    boolean same = previous != null && topicId.equals(previous.topicId()) && previous.readTo() <= end;
    long from = same ? Math.max(previous.readTo(), earliest) : earliest;
    return new Start(tp, topicId, earliest, end, committed, from, same ? previous.firstStreamed() : null);
  }

  /** Reads each partition from its cursor towards its end offset and returns what was seen. */
  static List<PartitionWatch> read(String bootstrapServers, List<Start> starts) {
    Map<TopicPartition, Scan> scans = new HashMap<>();
    starts.forEach(s -> scans.put(s.tp(), new Scan(s)));
    List<TopicPartition> todo = starts.stream().filter(s -> s.readFrom() < s.end()).map(Start::tp).toList();
    if (!todo.isEmpty()) {
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props(bootstrapServers))) {
        consumer.assign(todo);
        todo.forEach(tp -> consumer.seek(tp, scans.get(tp).start.readFrom()));
        long deadline = System.nanoTime() + BUDGET.toNanos();
        List<TopicPartition> open = new ArrayList<>(todo);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            scans.get(new TopicPartition(r.topic(), r.partition())).see(r.offset(), opOf(r.value()));
          }
          for (TopicPartition tp : List.copyOf(open)) {
            Scan scan = scans.get(tp);
            scan.readTo = consumer.position(tp);
            if (scan.readTo >= scan.start.end() || scan.records >= MAX_RECORDS) {
              open.remove(tp);
              consumer.pause(List.of(tp));
            }
          }
        }
      }
    }
    return starts.stream().map(s -> scans.get(s.tp()).watch()).toList();
  }

  /** The top-level {@code op} of a Debezium envelope, bare or inside a converter's {@code payload}; null otherwise. */
  static String opOf(byte[] value) {
    if (value == null) {
      return null;
    }
    try (JsonParser p = JSON.createParser(value)) {
      return p.nextToken() == JsonToken.START_OBJECT ? opIn(p, true) : null;
    } catch (IOException e) {
      return null; // not JSON: bad input, which the parse model rejects with its reason
    }
  }

  private static String opIn(JsonParser p, boolean top) throws IOException {
    String op = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if ("op".equals(name) && t == JsonToken.VALUE_STRING) {
        op = p.getText();
      } else if (top && "payload".equals(name) && t == JsonToken.START_OBJECT) {
        String inner = opIn(p, false);
        op = op == null ? inner : op;
      } else {
        p.skipChildren();
      }
    }
    return op;
  }

  private static Properties props(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "lakehouse-health-watch");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  /** One partition's read: the first streamed change, the snapshot records after it. */
  private static final class Scan {
    final Start start;
    long readTo;
    long records;
    Long firstStreamed;
    Long resnapshotFrom;
    long resnapshotRecords;

    Scan(Start start) {
      this.start = start;
      this.readTo = start.readFrom();
      this.firstStreamed = start.firstStreamed();
    }

    void see(long offset, String op) {
      records++;
      if (op == null) {
        return;
      }
      switch (op) {
        case "c", "u", "d" -> {
          if (firstStreamed == null) {
            firstStreamed = offset;
          }
        }
        case "r" -> {
          if (firstStreamed != null && offset > firstStreamed) {
            resnapshotFrom = resnapshotFrom == null ? offset : Math.min(resnapshotFrom, offset);
            resnapshotRecords++;
          }
        }
        default -> { }
      }
    }

    PartitionWatch watch() {
      return new PartitionWatch(start.tp().topic(), start.tp().partition(), start.topicId(), start.earliest(),
          start.end(), start.committed(), readTo, firstStreamed, resnapshotFrom, resnapshotRecords);
    }
  }
}
