package dev.lakehouse.workflows.activities;

/**
 * How far one model has read one CDC topic partition: the highest Kafka offset of its raw input that its watermark
 * covers ({@code ops.materializations}, the latest successful or reset row). A topic's end offset never goes below
 * it unless the topic was deleted and recreated (or lost its log): the health check compares the two.
 */
public record ModelWatermark(String asset, String topic, int partition, long offset) {
  /** {@code topic-partition}, as Kafka prints it (and {@link PartitionWatch#key()}). */
  public String key() {
    return topic + "-" + partition;
  }
}
