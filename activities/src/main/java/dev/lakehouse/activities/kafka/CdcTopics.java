package dev.lakehouse.activities.kafka;

import dev.lakehouse.spec.PipelineSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The CDC topics of the spec, created when missing, with the broker's default partitions and replication (what
 * Debezium's first write would create). Debezium creates a table's topic only with its first change, and a Flink
 * Kafka source started before that fails over on the unknown topic ("This server does not host this
 * topic-partition") until it appears: the ingest job is submitted after this instead.
 */
public final class CdcTopics {
  private static final long TIMEOUT_SECONDS = 20;

  private CdcTopics() {}

  /** Creates the spec's topics that do not exist; returns the ones it created. */
  public static List<String> ensure(PipelineSpec spec) throws ExecutionException, TimeoutException,
      InterruptedException {
    try (Admin admin = KafkaAdmin.open(spec, "lakehouse-setup")) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<String> missing = spec.tables().stream().map(spec::topic).filter(t -> !existing.contains(t)).toList();
      if (missing.isEmpty()) {
        return missing;
      }
      List<NewTopic> create = missing.stream().map(t -> new NewTopic(t, Optional.empty(), Optional.empty())).toList();
      try {
        admin.createTopics(create).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e; // created by Debezium meanwhile: the goal is reached
        }
      }
      return missing;
    }
  }
}
