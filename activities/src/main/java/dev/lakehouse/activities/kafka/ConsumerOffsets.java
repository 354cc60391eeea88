package dev.lakehouse.activities.kafka;

import dev.lakehouse.spec.PipelineSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
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
      Map<TopicPartition, Long> positions = new HashMap<>();
      next.forEach((table, partitions) -> partitions.forEach((partition, offset) ->
          positions.put(new TopicPartition(spec.source().topic(table), partition), offset)));
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<String> topics = positions.keySet().stream().map(TopicPartition::topic).distinct()
          .filter(existing::contains).toList();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values()
          .forEach(d -> d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()),
              OffsetSpec.latest())));
      Map<TopicPartition, Long> ends = new HashMap<>();
      if (!latest.isEmpty()) {
        admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .forEach((tp, info) -> ends.put(tp, info.offset()));
      }
      Map<TopicPartition, Long> was = new HashMap<>();
      committed.forEach((tp, o) -> {
        if (o != null) {
          was.put(tp, o.offset());
        }
      });
      Map<TopicPartition, Long> raised = raises(was, positions, ends);
      if (!raised.isEmpty()) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        raised.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
        admin.alterConsumerGroupOffsets(group, offsets).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      return raised.entrySet().stream().map(e -> e.getKey() + ": " + (was.get(e.getKey()) == null ? "none"
          : was.get(e.getKey())) + " -> " + e.getValue()).sorted().toList();
    }
  }

  /**
   * Pure: the offsets to commit, per partition, given the group's committed offsets, the raw tables' positions and
   * the partitions' end offsets. A position is taken when above the committed offset (or none), except two: a
   * partition below 0 holds rows moved aside from a recreated topic (no Kafka partition), and a position above the
   * partition's end offset (or a partition that no longer exists) belongs to an older topic of the same name, deleted
   * and recreated: committing it would make the job skip the new topic's records up to it.
   */
  static Map<TopicPartition, Long> raises(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> positions,
      Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Long> out = new HashMap<>();
    positions.forEach((tp, offset) -> {
      Long now = committed.get(tp);
      Long end = ends.get(tp);
      if (tp.partition() >= 0 && end != null && offset <= end && (now == null || now < offset)) {
        out.put(tp, offset);
      }
    });
    return out;
  }
}
