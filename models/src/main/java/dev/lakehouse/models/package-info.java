/**
 * Every statement the lakehouse runs, generated from the spec as text with no I/O: the Trino SQL of a model run
 * ({@link dev.lakehouse.models.ModelSql}) and its bookkeeping in {@code ops.materializations}, table maintenance
 * ({@link dev.lakehouse.models.MaintenanceSql}), the reads of {@code lakehouse status}
 * ({@link dev.lakehouse.models.StatusSql}), and the Flink SQL of the ingest job
 * ({@link dev.lakehouse.models.IngestSql}) over the raw tables' {@link dev.lakehouse.models.RawColumns}, with the
 * Iceberg catalog properties it shares with the activities' catalog client
 * ({@link dev.lakehouse.models.IcebergCatalogConfig}). The activities and the CLI execute these statements; golden
 * files pin their text.
 */
package dev.lakehouse.models;
