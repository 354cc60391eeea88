package dev.lakehouse.activities.kafka;

import dev.lakehouse.spec.PipelineSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The ingest job's consumer group offsets, raised to where the raw tables are. The Flink Kafka source commits its
 * offsets after a checkpoint completed, asynchronously, and the commit of a stop-with-savepoint may not have landed
 * when the job ends (measured: a few records read twice across a redeploy). The group has no members (Flink assigns
 * partitions itself), so the offsets can be set between two jobs.
 */
public final class ConsumerOffsets {
  private static final long TIMEOUT_SECONDS = 20;

  private ConsumerOffsets() {}

  /**
   * For each spec table in {@code next} (table, partition, next offset to ingest): the group's committed offset is
   * raised to it when lower, never lowered. Returns the partitions raised, as {@code topic-partition: old -> new}.
   */
  public static List<String> raise(PipelineSpec spec, String group, Map<String, Map<Integer, Long>> next)
      throws ExecutionException, TimeoutException, InterruptedException {
    try (Admin admin = KafkaAdmin.open(spec, "lakehouse-redeploy")) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> raised = new HashMap<>();
      next.forEach((table, partitions) -> partitions.forEach((partition, offset) -> {
        TopicPartition tp = new TopicPartition(spec.source().topic(table), partition);
        OffsetAndMetadata now = committed.get(tp);
        if (now == null || now.offset() < offset) {
          raised.put(tp, new OffsetAndMetadata(offset));
        }
      }));
      if (!raised.isEmpty()) {
        admin.alterConsumerGroupOffsets(group, raised).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      return raised.entrySet().stream().map(e -> e.getKey() + ": " + (committed.get(e.getKey()) == null ? "none"
          : committed.get(e.getKey()).offset()) + " -> " + e.getValue().offset()).sorted().toList();
    }
  }
}
