/** Flink SQL Gateway and JobManager REST: the ingest job (FlinkActivities). Implementation: ingestion issue. */
package dev.lakehouse.activities.flink;
