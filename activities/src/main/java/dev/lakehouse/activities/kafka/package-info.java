/** Kafka AdminClient: consumer lag (KafkaActivities). Implementation: ingestion issue. */
package dev.lakehouse.activities.kafka;
