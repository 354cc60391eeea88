package dev.lakehouse.workflows.activities;

import java.util.Map;

/** Kafka consumer lag of a group, total and per {@code topic-partition}. */
public record ConsumerLag(String group, long totalLag, Map<String, Long> perPartition) {}
