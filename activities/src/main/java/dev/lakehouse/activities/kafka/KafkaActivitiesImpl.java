package dev.lakehouse.activities.kafka;

import dev.lakehouse.activities.Failures;
import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.ConsumerLag;
import dev.lakehouse.workflows.activities.KafkaActivities;
import dev.lakehouse.workflows.activities.PartitionWatch;
import dev.lakehouse.workflows.assets.AssetGraph;
import jakarta.inject.Inject;
import java.util.Comparator;
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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of the ingest job's group through the AdminClient: per partition of every spec topic, the
 * log end offset minus the offset the job committed at its last completed checkpoint. A partition the group
 * has never committed counts from the partition's earliest offset. Topics that do not exist yet (no change
 * captured so far) are skipped. The lag trails the truth by up to one checkpoint interval. The same offsets, with
 * the topics' ids and the ops of the new records ({@link TopicWatcher}), are what the silent-loss detectors judge.
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
      Offsets o = offsets(admin);
      return lag(group, o.ends(), o.starts(), o.committed());
    } catch (ExecutionException | TimeoutException e) {
      KafkaAdmin.loginProblem(spec, e).ifPresent(m -> {
        throw Failures.configuration(asset(), "read consumer lag: " + m);
      });
      throw Failures.of(asset(), "read consumer lag of group " + group + " at "
          + spec.endpoints().kafka().bootstrapServers(), e instanceof ExecutionException ? e.getCause() : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(asset(), "read consumer lag of group " + group, e);
    }
  }

  @Override
  public List<PartitionWatch> watchTopics(List<PartitionWatch> previous) {
    Map<String, PartitionWatch> before = new HashMap<>();
    (previous == null ? List.<PartitionWatch>of() : previous).forEach(w -> before.put(w.key(), w));
    Map<String, List<String>> columns = new HashMap<>();
    Map<String, List<String>> keys = new HashMap<>();
    spec.tables().forEach(t -> {
      columns.put(spec.topic(t), t.columnNames());
      keys.put(spec.topic(t), t.primaryKey());
    });
    try (Admin admin = KafkaAdmin.open(spec, "lakehouse-health")) {
      Offsets o = offsets(admin);
      List<TopicWatcher.Start> starts = o.ends().keySet().stream()
          .sorted(Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition))
          .map(tp -> TopicWatcher.start(tp, o.ids().get(tp), o.starts().get(tp), o.ends().get(tp),
              o.committed().get(tp), columns.get(tp.topic()), keys.get(tp.topic()), before.get(tp.topic() + "-" + tp.partition())))
          .toList();
      return TopicWatcher.read(spec, starts);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      KafkaAdmin.loginProblem(spec, e).ifPresent(m -> {
        throw Failures.configuration(asset(), "watch the CDC topics: " + m);
      });
      throw Failures.of(asset(), "watch the CDC topics at " + spec.endpoints().kafka().bootstrapServers(),
          e instanceof ExecutionException ? e.getCause() : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.of(asset(), "watch the CDC topics", e);
    }
  }

  /** Per partition of the spec's existing CDC topics: topic id, end, earliest and committed offsets. */
  private record Offsets(Map<TopicPartition, String> ids, Map<TopicPartition, Long> ends,
      Map<TopicPartition, Long> starts, Map<TopicPartition, Long> committed) {}

  private Offsets offsets(Admin admin) throws ExecutionException, TimeoutException, InterruptedException {
    List<String> topics = specTopics(spec, admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    if (topics.isEmpty()) {
      return new Offsets(Map.of(), Map.of(), Map.of(), Map.of());
    }
    Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, String> ids = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    described.values().forEach(d -> d.partitions().forEach(p -> {
      TopicPartition tp = new TopicPartition(d.name(), p.partition());
      ids.put(tp, String.valueOf(d.topicId()));
      latest.put(tp, OffsetSpec.latest());
      earliest.put(tp, OffsetSpec.earliest());
    }));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
        admin.listOffsets(earliest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return new Offsets(ids,
        ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())),
        starts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())),
        committed.entrySet().stream().filter(e -> e.getValue() != null && ends.containsKey(e.getKey()))
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())));
  }

  /**
   * Pure: the topics the lag and the silent-loss watch read, those of the worker's spec tables that exist. A topic of
   * a table the spec lacks is left out even while the connector still captures it (a removal `up` refused): its
   * records wait in Kafka, counted in no lag (docs/apply.md#at-up).
   */
  static List<String> specTopics(PipelineSpec spec, Set<String> existing) {
    return spec.tables().stream().map(spec::topic).filter(existing::contains).toList();
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
