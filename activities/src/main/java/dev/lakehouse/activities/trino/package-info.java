/**
 * Trino through trino-jdbc: runs the statements {@code dev.lakehouse.models} generates for model runs
 * (ModelActivities) and Iceberg maintenance (MaintenanceActivities), with heartbeats, cancellation and failures
 * classified for retries. See docs/models.md.
 */
package dev.lakehouse.activities.trino;
