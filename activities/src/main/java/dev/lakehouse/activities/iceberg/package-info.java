/** iceberg-core REST catalog client: namespaces, raw tables, snapshots (CatalogActivities). Implementation: ingestion issue. */
package dev.lakehouse.activities.iceberg;
