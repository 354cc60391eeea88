/** PostgreSQL: replication slot lag (SourceActivities). Implementation: ingestion issue. */
package dev.lakehouse.activities.source;
