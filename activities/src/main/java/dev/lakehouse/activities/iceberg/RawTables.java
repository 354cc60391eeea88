package dev.lakehouse.activities.iceberg;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Types;

/**
 * The contract between ingestion (Flink writes these tables) and the models (Trino reads them): one
 * append-only raw table per source table, {@code raw_data.<table>}, holding Debezium change events.
 *
 * <p>{@code data} is the row image as JSON text ({@code after}, or {@code before} for a delete); when an
 * event cannot be read as a Debezium envelope, {@code data} holds the whole message and {@code op} is null,
 * so the parse model rejects it with a reason instead of anything being dropped. LSN and txId are BIGINT
 * (an INT overflows). {@code kafka_partition}/{@code kafka_offset} are the exact incremental cursor
 * (docs/architecture.md#incremental-materialization); partitioning by {@code kafka_partition} keeps each data
 * file on a narrow offset range so {@code kafka_offset > watermark} skips old files.
 */
public final class RawTables {
  public static final Schema SCHEMA = new Schema(
      Types.NestedField.optional(1, "data", Types.StringType.get()),
      Types.NestedField.optional(2, "op", Types.StringType.get()),
      Types.NestedField.optional(3, "ts_ms", Types.LongType.get()),
      Types.NestedField.optional(4, "source_ts_ms", Types.LongType.get()),
      Types.NestedField.optional(5, "source_tx_id", Types.LongType.get()),
      Types.NestedField.optional(6, "source_lsn", Types.LongType.get()),
      Types.NestedField.optional(7, "source_connector", Types.StringType.get()),
      Types.NestedField.optional(8, "source_db", Types.StringType.get()),
      Types.NestedField.optional(9, "source_schema", Types.StringType.get()),
      Types.NestedField.optional(10, "source_table", Types.StringType.get()),
      Types.NestedField.optional(11, "kafka_partition", Types.IntegerType.get()),
      Types.NestedField.optional(12, "kafka_offset", Types.LongType.get()),
      Types.NestedField.optional(13, "kafka_timestamp", Types.TimestampType.withZone()),
      Types.NestedField.optional(14, "ingested_at", Types.TimestampType.withZone()));

  public static final PartitionSpec PARTITIONING =
      PartitionSpec.builderFor(SCHEMA).identity("kafka_partition").build();

  /** Column names in schema order, for INSERT column lists. */
  public static final List<String> COLUMNS =
      SCHEMA.columns().stream().map(Types.NestedField::name).toList();

  /** Every namespace the lakehouse writes. */
  public static final List<String> NAMESPACES =
      List.of(PipelineSpec.RAW_SCHEMA, PipelineSpec.PARSED_SCHEMA, PipelineSpec.VAULT_SCHEMA, "ops");

  static final Map<String, String> TABLE_PROPERTIES = Map.of(
      "format-version", "2",
      "write.format.default", "parquet",
      // small commits every checkpoint: let Trino's optimize compact them later
      "commit.manifest-merge.enabled", "true");

  private RawTables() {}

  public static TableIdentifier identifier(TableSpec table) {
    return TableIdentifier.of(PipelineSpec.RAW_SCHEMA, table.name());
  }

  /** Creates every namespace that is missing; returns all of them. Safe to run concurrently. */
  public static List<String> ensureNamespaces(SupportsNamespaces catalog) {
    for (String ns : NAMESPACES) {
      Namespace namespace = Namespace.of(ns);
      if (!catalog.namespaceExists(namespace)) {
        try {
          catalog.createNamespace(namespace);
        } catch (AlreadyExistsException raced) {
          // another caller created it between the check and the create: the goal is reached
        }
      }
    }
    return NAMESPACES;
  }

  /** Creates every raw table of the spec that is missing; returns their keys ({@code raw_data.users}). */
  public static List<String> ensureTables(Catalog catalog, PipelineSpec spec) {
    List<String> keys = new ArrayList<>();
    for (TableSpec table : spec.tables()) {
      TableIdentifier id = identifier(table);
      if (!catalog.tableExists(id)) {
        try {
          catalog.createTable(id, SCHEMA, PARTITIONING, TABLE_PROPERTIES);
        } catch (AlreadyExistsException raced) {
          // created concurrently: fine, the schema is the same
        }
      }
      keys.add(id.toString());
    }
    return keys;
  }
}
