package dev.lakehouse.activities;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.spec.PipelineSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The count check of the ITs: Kafka records of a topic versus rows of its raw table (partition 0); and where a
 * resubmitted ingest job took its state from.
 */
final class RawChecks {
  private RawChecks() {}

  static Connection trino(PipelineSpec spec) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", spec.endpoints().trino().user());
    return DriverManager.getConnection(spec.endpoints().trino().jdbcUrl(), p);
  }

  /** {@code kafka_offset} of every row of {@code raw_data.<table>} in partition 0 (duplicates kept). */
  static List<Long> rawOffsets(PipelineSpec spec, String table) throws Exception {
    try (Connection c = trino(spec); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT kafka_offset FROM iceberg.raw_data." + table
            + " WHERE kafka_partition = 0")) {
      List<Long> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
      return out;
    }
  }

  /**
   * The checkpoint or savepoint the job {@code jobId} restored its state from, as Flink reports it
   * ({@code latest.restored.external_path} of {@code /jobs/<id>/checkpoints}); empty when it started without state.
   */
  static String restoredFrom(PipelineSpec spec, String jobId) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        spec.endpoints().flink().url() + "/jobs/" + jobId + "/checkpoints")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body()).path("latest").path("restored").path("external_path").asText("");
  }

  /** Offsets of partition 0 whose value is not null, read from the topic itself. */
  static Set<Long> nonNullOffsets(PipelineSpec spec, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.endpoints().kafka().bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Set<Long> offsets = new HashSet<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
          if (r.value() != null) {
            offsets.add(r.offset());
          }
        }
      }
    }
    return offsets;
  }
}
