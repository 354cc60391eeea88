package dev.lakehouse.workflows.activities;

import java.util.List;

/**
 * What one health check saw of one CDC topic partition, and the cursor of the next check: the topic's id (a
 * recreated topic has a new one), its earliest and end offsets, the offset the ingest job committed (null: never),
 * how far the check has read the records ({@code readTo}, the next offset to read), the first streamed change it
 * read ({@code firstStreamed}: op c, u or d; null: none yet) and the spec columns it has seen in row images
 * ({@code columnsSeen}). Then what this check read: snapshot records (op r) after a streamed change
 * ({@code resnapshotFrom}, the first one's offset, and how many), truncates (op t: {@code truncatedAt} and how
 * many), and spec columns seen before that a newer row image lacks ({@code droppedColumns}, from
 * {@code droppedSince}). Null, 0 or empty: none; the list fields are null in reports from before they were read.
 */
public record PartitionWatch(String topic, int partition, String topicId, long earliest, long end, Long committed,
    long readTo, Long firstStreamed, Long resnapshotFrom, long resnapshotRecords, List<String> columnsSeen,
    Long truncatedAt, long truncates, List<String> droppedColumns, Long droppedSince) {
  public PartitionWatch {
    columnsSeen = columnsSeen == null ? null : List.copyOf(columnsSeen);
    droppedColumns = droppedColumns == null ? null : List.copyOf(droppedColumns);
  }

  /** A watch without columns and truncates (tests). */
  public PartitionWatch(String topic, int partition, String topicId, long earliest, long end, Long committed,
      long readTo, Long firstStreamed, Long resnapshotFrom, long resnapshotRecords) {
    this(topic, partition, topicId, earliest, end, committed, readTo, firstStreamed, resnapshotFrom, resnapshotRecords,
        List.of(), null, 0, List.of(), null);
  }

  /** {@code topic-partition}, as Kafka prints it. */
  public String key() {
    return topic + "-" + partition;
  }
}
