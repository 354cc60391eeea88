package dev.lakehouse.activities.kafka;

import dev.lakehouse.spec.PipelineSpec;
import java.time.Duration;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The small one-partition topics the worker and Debezium talk through (signals, notifications): created when
 * missing, and read whole, in offset order (a few records per apply).
 */
final class TopicRecords {
  static final long TIMEOUT_SECONDS = 20;

  private TopicRecords() {}

  /** Creates each of {@code topics} that is missing, with one partition. */
  static void ensure(PipelineSpec spec, List<String> topics)
      throws ExecutionException, TimeoutException, InterruptedException {
    try (Admin admin = KafkaAdmin.open(spec, "lakehouse-setup")) {
      List<String> missing = new ArrayList<>(topics);
      missing.removeAll(admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing.stream().map(t -> new NewTopic(t, Optional.of(1), Optional.empty())).toList())
            .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }

  static boolean exists(PipelineSpec spec, String topic)
      throws ExecutionException, TimeoutException, InterruptedException {
    try (Admin admin = KafkaAdmin.open(spec, "lakehouse-apply")) {
      return admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).contains(topic);
    }
  }

  /** Every record of partition 0 of {@code topic}, (key, value) in offset order. */
  static List<Map.Entry<String, String>> readAll(PipelineSpec spec, String topic) {
    Properties props = KafkaAdmin.clientProperties(spec);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<Map.Entry<String, String>> records = new ArrayList<>();
    TopicPartition partition = new TopicPartition(topic, 0);
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
          records.add(new SimpleImmutableEntry<>(r.key(), r.value()));
        }
      }
    }
    return records;
  }
}
