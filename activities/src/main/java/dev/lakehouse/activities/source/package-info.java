/**
 * PostgreSQL over JDBC: replication slot lag ({@link dev.lakehouse.activities.source.SourceActivitiesImpl}) and
 * the publication the connector reads ({@link dev.lakehouse.activities.source.SourceDatabase}).
 */
package dev.lakehouse.activities.source;
