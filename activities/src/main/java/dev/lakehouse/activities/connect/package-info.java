/** Kafka Connect REST: the Debezium connector (ConnectActivities). Implementation: ingestion issue. */
package dev.lakehouse.activities.connect;
