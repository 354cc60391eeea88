/** Trino through trino-jdbc: SQL models (ModelActivities) and Iceberg maintenance (MaintenanceActivities). Implementation: models issue. */
package dev.lakehouse.activities.trino;
