/**
 * Trino through trino-jdbc: SQL models (ModelActivities) and Iceberg maintenance (MaintenanceActivities). See
 * docs/models.md.
 */
package dev.lakehouse.activities.trino;
