/** Kafka AdminClient: consumer lag of the ingest job's group ({@link dev.lakehouse.activities.kafka.KafkaActivitiesImpl}). */
package dev.lakehouse.activities.kafka;
