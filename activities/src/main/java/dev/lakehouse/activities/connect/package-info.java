/**
 * Kafka Connect REST: the Debezium connector ({@link dev.lakehouse.activities.connect.ConnectActivitiesImpl}),
 * its config generated from the spec ({@link dev.lakehouse.activities.connect.ConnectorConfig}). See docs/ingestion.md.
 */
package dev.lakehouse.activities.connect;
