package dev.lakehouse.activities.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.PartitionWatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the records a CDC partition gained since the last health check: a snapshot record (op {@code r}) after a
 * streamed change (c, u, d) in the same partition means the connector lost its offsets (or was renamed) and read
 * every table again; a truncate (op {@code t}) empties the source table without a row event; a spec column that
 * earlier row images had and a newer one lacks was dropped from the source. Each check reads at most
 * {@link #MAX_RECORDS} records per partition and for at most {@link #BUDGET}, resuming where it stopped, so a check
 * costs about what the job ingested in a minute; of each value only the top-level {@code op} and the field names of
 * its row image are read (values are skipped).
 */
final class TopicWatcher {
  static final int MAX_RECORDS = 20_000;
  static final Duration BUDGET = Duration.ofSeconds(10);
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Where a partition stands before the read: the offsets, the spec columns of its table and its primary key, and the
   * cursor carried from the last check.
   */
  record Start(TopicPartition tp, String topicId, long earliest, long end, Long committed, long readFrom,
      Long firstStreamed, List<String> columns, List<String> key, Set<String> columnsSeen) {}

  /**
   * A record's op, the field names of its row image (after for c, r, u; before for d; null: none), those of them whose
   * value is JSON null, and whether its {@code source} block has an LSN.
   */
  record Event(String op, Set<String> image, Set<String> nulls, boolean lsn) {
    /** An event with an LSN and no null values (tests). */
    Event(String op, Set<String> image) {
      this(op, image, Set.of(), true);
    }

    /**
     * A row image the parse model accepts as far as its shape goes: op c, r, u or d, an LSN, and every key column
     * there and not null. Any other is quarantined (no op, {@code missing source LSN}, {@code missing key}), so it
     * says nothing about the source table's columns.
     */
    boolean changeOf(List<String> key) {
      return image != null && lsn && List.of("c", "r", "u", "d").contains(op) && image.containsAll(key)
          && key.stream().noneMatch(nulls::contains);
    }
  }

  private TopicWatcher() {}

  /**
   * The cursor of each partition: continued from {@code previous} when it is the same topic (same id, offsets not
   * gone back), otherwise from the earliest offset with nothing seen.
   */
  static Start start(TopicPartition tp, String topicId, long earliest, long end, Long committed, List<String> columns,
      List<String> key, PartitionWatch previous) {
    boolean same = previous != null && topicId.equals(previous.topicId()) && previous.readTo() <= end;
    long from = same ? Math.max(previous.readTo(), earliest) : earliest;
    Set<String> seen = same && previous.columnsSeen() != null ? new TreeSet<>(previous.columnsSeen()) : new TreeSet<>();
    return new Start(tp, topicId, earliest, end, committed, from, same ? previous.firstStreamed() : null,
        columns == null ? List.of() : columns, key == null ? List.of() : key, seen);
  }

  /** Reads each partition from its cursor towards its end offset and returns what was seen. */
  static List<PartitionWatch> read(PipelineSpec spec, List<Start> starts) {
    Map<TopicPartition, Scan> scans = new HashMap<>();
    starts.forEach(s -> scans.put(s.tp(), new Scan(s)));
    List<TopicPartition> todo = starts.stream().filter(s -> s.readFrom() < s.end()).map(Start::tp).toList();
    if (!todo.isEmpty()) {
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props(spec))) {
        consumer.assign(todo);
        todo.forEach(tp -> consumer.seek(tp, scans.get(tp).start.readFrom()));
        long deadline = System.nanoTime() + BUDGET.toNanos();
        List<TopicPartition> open = new ArrayList<>(todo);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            scans.get(new TopicPartition(r.topic(), r.partition())).see(r.offset(), event(r.value()));
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
    Event e = event(value);
    return e == null ? null : e.op();
  }

  /** The op and row image fields of a Debezium envelope, bare or inside a {@code payload}; null when not JSON. */
  static Event event(byte[] value) {
    if (value == null) {
      return null;
    }
    try (JsonParser p = JSON.createParser(value)) {
      return p.nextToken() == JsonToken.START_OBJECT ? eventIn(p, true) : null;
    } catch (IOException e) {
      return null; // not JSON: bad input, which the parse model rejects with its reason
    }
  }

  private static Event eventIn(JsonParser p, boolean top) throws IOException {
    String op = null;
    Set<String> after = null;
    Set<String> before = null;
    Set<String> afterNulls = new HashSet<>();
    Set<String> beforeNulls = new HashSet<>();
    boolean lsn = false;
    Event inner = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if ("op".equals(name) && t == JsonToken.VALUE_STRING) {
        op = p.getText();
      } else if (("after".equals(name) || "before".equals(name)) && t == JsonToken.START_OBJECT) {
        Set<String> fields = new HashSet<>();
        Set<String> nulls = "after".equals(name) ? afterNulls : beforeNulls;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          fields.add(p.currentName());
          if (p.nextToken() == JsonToken.VALUE_NULL) {
            nulls.add(p.currentName());
          }
          p.skipChildren();
        }
        if ("after".equals(name)) {
          after = fields;
        } else {
          before = fields;
        }
      } else if ("source".equals(name) && t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          lsn |= "lsn".equals(field) && p.nextToken() == JsonToken.VALUE_NUMBER_INT;
          if (!"lsn".equals(field)) {
            p.nextToken();
          }
          p.skipChildren();
        }
      } else if (top && "payload".equals(name) && t == JsonToken.START_OBJECT) {
        inner = eventIn(p, false);
      } else {
        p.skipChildren();
      }
    }
    if (op == null && inner != null) {
      return inner;
    }
    boolean d = "d".equals(op);
    return new Event(op, d ? before : after, d ? beforeNulls : afterNulls, lsn);
  }

  private static Properties props(PipelineSpec spec) {
    Properties props = KafkaAdmin.clientProperties(spec);
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

  /** One partition's read: the first streamed change, the snapshot records after it, truncates, dropped columns. */
  static final class Scan {
    final Start start;
    long readTo;
    long records;
    Long firstStreamed;
    Long resnapshotFrom;
    long resnapshotRecords;
    final Set<String> columnsSeen;
    Long truncatedAt;
    long truncates;
    final Set<String> dropped = new TreeSet<>();
    Long droppedSince;

    Scan(Start start) {
      this.start = start;
      this.readTo = start.readFrom();
      this.firstStreamed = start.firstStreamed();
      this.columnsSeen = new TreeSet<>(start.columnsSeen());
    }

    void see(long offset, Event event) {
      records++;
      String op = event == null ? null : event.op();
      if (op == null) {
        return;
      }
      if (event.changeOf(start.key())) {
        columns(offset, event.image());
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
        case "t" -> {
          truncatedAt = truncatedAt == null ? offset : truncatedAt;
          truncates++;
        }
        default -> { }
      }
    }

    /**
     * A spec column this partition's images had and this one lacks: dropped from the source table. Only the images
     * of changes the parse model accepts count ({@link Event#changeOf}): one without its key or LSN is bad input
     * that it quarantines (a message produced by hand, say), not a change of the source table; and a key column
     * cannot leave a table without every later event being quarantined as {@code missing key}, which the rejected
     * tables show.
     */
    private void columns(long offset, Set<String> image) {
      for (String c : start.columns()) {
        if (image.contains(c)) {
          columnsSeen.add(c);
        } else if (columnsSeen.contains(c)) {
          dropped.add(c);
          droppedSince = droppedSince == null ? offset : droppedSince;
        }
      }
    }

    PartitionWatch watch() {
      return new PartitionWatch(start.tp().topic(), start.tp().partition(), start.topicId(), start.earliest(),
          start.end(), start.committed(), readTo, firstStreamed, resnapshotFrom, resnapshotRecords,
          List.copyOf(columnsSeen), truncatedAt, truncates, List.copyOf(dropped), droppedSince);
    }
  }
}
