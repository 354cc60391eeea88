package dev.lakehouse.activities.kafka;

import dev.lakehouse.activities.Failures;
import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.ConsumerLag;
import dev.lakehouse.workflows.activities.KafkaActivities;
import dev.lakehouse.workflows.assets.AssetGraph;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of the ingest job's group through the AdminClient: per partition of every spec topic, the
 * log end offset minus the offset the job committed at its last completed checkpoint. A partition the group
 * has never committed counts from the partition's earliest offset. Topics that do not exist yet (no change
 * captured so far) are skipped. The lag trails the truth by up to one checkpoint interval.
 */
public class KafkaActivitiesImpl implements KafkaActivities {
  private static final long TIMEOUT_SECONDS = 15;

  private final PipelineSpec spec;
  private final String group;

  @Inject
  public KafkaActivitiesImpl(PipelineSpec spec) {
    this(spec, IngestSql.GROUP_ID);
  }

  public KafkaActivitiesImpl(PipelineSpec spec, String group) {
    this.spec = spec;
    this.group = group;
  }

  @Override
  public ConsumerLag consumerLag() {
    try (Admin admin = KafkaAdmin.open(spec, "lakehouse-health")) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<String> topics = spec.tables().stream().map(spec::topic).filter(existing::contains).toList();
      if (topics.isEmpty()) {
        return new ConsumerLag(group, 0, Map.of());
      }
      Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      described.values().forEach(d -> d.partitions().forEach(p -> {
        TopicPartition tp = new TopicPartition(d.name(), p.partition());
        latest.put(tp, OffsetSpec.latest());
        earliest.put(tp, OffsetSpec.earliest());
      }));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
          admin.listOffsets(earliest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return lag(group, ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())),
          starts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())),
          committed.entrySet().stream().filter(e -> e.getValue() != null)
              .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())));
    } catch (ExecutionException | TimeoutException e) {
      throw Failures.of(asset(), "read consumer lag of group " + group + " at "
          + spec.endpoints().kafka().bootstrapServers(), e instanceof ExecutionException ? e.getCause() : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(asset(), "read consumer lag of group " + group, e);
    }
  }

  /** Pure: lag per {@code topic-partition} (sorted) and total. */
  static ConsumerLag lag(String group, Map<TopicPartition, Long> ends, Map<TopicPartition, Long> starts,
      Map<TopicPartition, Long> committed) {
    Map<String, Long> per = new TreeMap<>();
    long total = 0;
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      TopicPartition tp = e.getKey();
      long from = committed.getOrDefault(tp, starts.getOrDefault(tp, 0L));
      long lag = Math.max(0, e.getValue() - from);
      per.put(tp.topic() + "-" + tp.partition(), lag);
      total += lag;
    }
    return new ConsumerLag(group, total, per);
  }

  private String asset() {
    return AssetGraph.FLINK_INGEST;
  }
}
