package dev.lakehouse.models;

import java.time.Instant;

/**
 * The recovery of a CDC topic that was deleted and recreated (docs/silent-loss.md#a-recreated-topic). The new topic's
 * offsets start again at 0, so its rows land in {@code raw_data.<table>} at the (partition, offset) coordinates of the
 * old topic's rows, below the models' watermarks. The old topic's rows are moved aside to partition
 * {@code -1 - partition}, a partition no Kafka topic has, and the table's models are fully refreshed: they read both
 * topics' rows again (the models order changes by LSN, never by offset across partitions) and their watermarks
 * continue on the new topic's offsets. Nothing is deleted.
 */
public final class RecreatedTopicSql {
  private RecreatedTopicSql() {}

  /**
   * Per partition of {@code rawTable}: how many rows sit at offset 0 and when the last of them was ingested. Two rows
   * at offset 0: the later one is the new topic's first row, and every row of the partition ingested before it is
   * the old topic's. One row: the new topic has no row in the raw table yet (wait for a change), or the old topic's
   * first rows were never ingested. More than two: the topic was recreated more than once.
   */
  public static String newTopicStartQuery(String rawTable) {
    return "SELECT kafka_partition, count(*) AS rows_at_offset_0, max(ingested_at) AS new_topic_from\n"
        + "FROM " + rawTable + "\n"
        + "WHERE kafka_offset = 0 AND kafka_partition >= 0\n"
        + "GROUP BY kafka_partition\n"
        + "ORDER BY kafka_partition";
  }

  /**
   * Moves the old topic's rows of {@code partition} (ingested before {@code newTopicFrom}, the new topic's first
   * row) to partition {@code -1 - partition}.
   */
  public static String moveOldTopicAside(String rawTable, int partition, Instant newTopicFrom) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition " + partition + " is not a Kafka partition (already moved aside?)");
    }
    return "UPDATE " + rawTable + "\n"
        + "SET kafka_partition = " + (-1 - partition) + "\n"
        + "WHERE kafka_partition = " + partition + " AND ingested_at < " + OpsSql.timestamp(newTopicFrom);
  }
}
