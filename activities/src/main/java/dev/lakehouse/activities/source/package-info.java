/** PostgreSQL over JDBC: replication slot lag ({@link dev.lakehouse.activities.source.SourceActivitiesImpl}). */
package dev.lakehouse.activities.source;
