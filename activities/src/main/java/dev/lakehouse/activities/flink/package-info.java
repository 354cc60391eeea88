/**
 * Flink SQL Gateway and JobManager REST: the ingest job ({@link dev.lakehouse.activities.flink.FlinkActivitiesImpl}),
 * its SQL generated from the spec ({@code dev.lakehouse.models.IngestSql}). See docs/ingestion.md.
 */
package dev.lakehouse.activities.flink;
