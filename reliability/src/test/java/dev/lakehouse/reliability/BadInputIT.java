package dev.lakehouse.reliability;

import static dev.lakehouse.reliability.FaultsIT.assertExact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SecuritySpec;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.starter.Inspect;
import dev.lakehouse.starter.TemporalSession;
import dev.lakehouse.workflows.HealthReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input produced straight into the CDC topics while the workload runs: each message lands in
 * {@code parsed_data.rejected_<table>} with its reason and the raw payload, and the pipeline keeps going (the
 * workload's changes still reach the vault exactly). The model-level rejects (rows inserted into the raw tables)
 * are covered by the activities' IncrementalIT; this is the path through Kafka and the Flink job.
 */
@Order(3)
@ExtendWith({LakehouseStackExtension.class, PipelineExtension.class})
class BadInputIT {
  /** Flink's ingest job turns a message it cannot read as an envelope, or an op it does not know, into op NULL. */
  static final String NOT_AN_EVENT = "not a Debezium change event (no op)";

  @Test
  void badMessagesAreRejectedWithTheirReasonAndThePipelineKeepsRunning(Pipeline p) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String[]> cases = new LinkedHashMap<>(); // marker -> {topic table, message, expected reason}
    cases.put("malformed-" + run, new String[] {"users",
        "{\"op\":\"c\",\"after\":{\"id\":\"malformed-" + run + "\", \"email\": ",
        NOT_AN_EVENT});
    cases.put("nokey-" + run, new String[] {"users", envelope("users", "c",
        "{\"email\":\"nokey-" + run + "@bank.test\",\"name\":\"no key\",\"created_at\":20000}"), "missing key: id"});
    cases.put("unknownop-" + run, new String[] {"accounts", envelope("accounts", "x", account("1.00", "unknownop-" + run)),
        NOT_AN_EVENT});
    cases.put("nocast-" + run, new String[] {"accounts", envelope("accounts", "c", account("12,5", "nocast-" + run)),
        "bad value for balance (decimal(15,2))"});
    cases.put("oversize-" + run, new String[] {"accounts", envelope("accounts", "c",
        account("123456789012345678901234567890.00", "oversize-" + run)), "bad value for balance (decimal(15,2))"});
    // the envelope as the connector wrote it with schemas on (before they were turned off) is still read
    cases.put("withschema-" + run, new String[] {"accounts", "{\"schema\":null,\"payload\":"
        + envelope("accounts", "c", account("x", "withschema-" + run)) + "}", "bad value for balance (decimal(15,2))"});

    long rejectedBefore = p.rejected();
    Map<String, RecordMetadata> landed = new LinkedHashMap<>();
    assertExact(p.scenario("bad input", cases.size() + " bad messages produced into the CDC topics", s -> {
      p.awaitTransactions(s, Pipeline.segment().transactions() / 3);
      long at = System.nanoTime();
      landed.putAll(produce(p, cases));
      return new Pipeline.Injected(at, 0, "malformed JSON, missing key, unknown op, uncastable and oversize balance, an envelope with schema");
    }));

    List<List<String>> rejected = await("the bad messages in the rejected tables").atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(3)).ignoreExceptions()
        .until(() -> rejectedRows(p, run), rows -> rows.size() >= cases.size());
    Map<String, String> reasonByMarker = new LinkedHashMap<>();
    for (List<String> r : rejected) {
      String marker = cases.keySet().stream().filter(m -> r.get(1).contains(m)).findFirst().orElseThrow();
      assertThat(reasonByMarker.put(marker, r.get(0))).as("one reject per bad message: " + marker).isNull();
    }
    Map<String, String> expected = new LinkedHashMap<>();
    cases.forEach((m, c) -> expected.put(m, c[2]));
    assertThat(reasonByMarker).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(p.rejected() - rejectedBefore).isEqualTo(cases.size());

    // the message without a key is bad input, not a column dropped from the source: the health check that read it
    // reports no dropped column (docs/silent-loss.md#schema-change-policies)
    RecordMetadata nokey = landed.get("nokey-" + run);
    HealthReport read = await("a health check that read the message without a key").atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(5)).ignoreExceptions()
        .until(() -> health(p), r -> r != null && r.topics() != null && r.topics().stream()
            .anyMatch(w -> w.topic().equals(nokey.topic()) && w.partition() == nokey.partition()
                && w.readTo() > nokey.offset()));
    assertThat(read.problems()).as("health problems of the check that read the bad messages")
        .noneMatch(line -> line.contains("is missing from its change events"));
  }

  /** The last health report (from the ingestion-health schedule), or null. */
  static HealthReport health(Pipeline p) {
    try (TemporalSession s = TemporalSession.connect(p.endpoints.temporal().target(), "default",
        Duration.ofSeconds(10), SecuritySpec.TemporalAuth.NONE)) {
      return Inspect.healthReport(s).value();
    }
  }


  private static String account(String balance, String marker) {
    return "{\"id\":\"" + UUID.randomUUID() + "\",\"user_id\":\"" + UUID.randomUUID()
        + "\",\"currency\":\"EUR\",\"balance\":\"" + balance + "\",\"created_at\":20000,\"marker\":\"" + marker + "\"}";
  }

  /** A Debezium envelope as the connector writes it (no schema), with a source block: only the named defect is wrong. */
  private static String envelope(String table, String op, String after) {
    long now = System.currentTimeMillis();
    return "{\"before\":null,\"after\":" + after + ",\"source\":{\"connector\":"
        + "\"postgresql\",\"db\":\"bank\",\"schema\":\"public\",\"table\":\"" + table + "\",\"lsn\":1,\"txId\":1,"
        + "\"ts_ms\":" + now + "},\"op\":\"" + op + "\",\"ts_ms\":" + now + "}";
  }

  /** Produces each case's message; returns where each marker's message landed. */
  private static Map<String, RecordMetadata> produce(Pipeline p, Map<String, String[]> cases) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, p.endpoints.kafka().bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    Map<String, RecordMetadata> landed = new LinkedHashMap<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      for (var c : cases.entrySet()) {
        landed.put(c.getKey(), producer.send(new ProducerRecord<>(p.spec.topic(p.spec.table(c.getValue()[0])
            .orElseThrow()), c.getValue()[1])).get());
      }
    }
    return landed;
  }

  private static List<List<String>> rejectedRows(Pipeline p, String run) throws Exception {
    String where = " WHERE strpos(payload, '" + run + "') > 0";
    return p.lakehouse.query("SELECT reason, payload FROM iceberg." + PipelineSpec.PARSED_SCHEMA + ".rejected_users"
        + where + " UNION ALL SELECT reason, payload FROM iceberg." + PipelineSpec.PARSED_SCHEMA + ".rejected_accounts"
        + where);
  }
}
