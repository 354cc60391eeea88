package dev.lakehouse.workflows.activities;

/**
 * What one health check saw of one CDC topic partition, and the cursor of the next check: the topic's id (a
 * recreated topic has a new one), its earliest and end offsets, the offset the ingest job committed (null: never),
 * how far the check has read the records ({@code readTo}, the next offset to read), the first streamed change it
 * read ({@code firstStreamed}: op c, u or d; null: none yet), and the snapshot records (op r) this check read after
 * a streamed change ({@code resnapshotFrom}, the first one's offset, and how many; null and 0: none).
 */
public record PartitionWatch(String topic, int partition, String topicId, long earliest, long end, Long committed,
    long readTo, Long firstStreamed, Long resnapshotFrom, long resnapshotRecords) {

  /** {@code topic-partition}, as Kafka prints it. */
  public String key() {
    return topic + "-" + partition;
  }
}
