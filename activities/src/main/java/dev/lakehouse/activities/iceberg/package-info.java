/** iceberg-core REST catalog client: namespaces, raw tables, snapshots (CatalogActivities). See docs/ingestion.md. */
package dev.lakehouse.activities.iceberg;
