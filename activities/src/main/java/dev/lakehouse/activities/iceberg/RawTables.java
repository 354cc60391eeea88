package dev.lakehouse.activities.iceberg;

import dev.lakehouse.models.RawColumns;
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
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Creates the raw tables {@code raw_data.<table>} through the Iceberg catalog: append-only, one per source table,
 * with the columns of {@link RawColumns} (Flink writes them, the parse model reads them). Partitioning by
 * {@code kafka_partition} keeps each data file on a narrow offset range, so {@code kafka_offset > watermark} skips
 * old files.
 */
public final class RawTables {
  /** Field IDs by position in {@link RawColumns#ALL}, as the tables already created have them. */
  public static final Schema SCHEMA = schema(RawColumns.ALL);

  public static final PartitionSpec PARTITIONING =
      PartitionSpec.builderFor(SCHEMA).identity("kafka_partition").build();

  /** Every namespace the lakehouse writes. */
  public static final List<String> NAMESPACES =
      List.of(PipelineSpec.RAW_SCHEMA, PipelineSpec.PARSED_SCHEMA, PipelineSpec.VAULT_SCHEMA, "ops");

  static final Map<String, String> TABLE_PROPERTIES = Map.of(
      "format-version", "2",
      "write.format.default", "parquet",
      // small commits every checkpoint: let Trino's optimize compact them later
      "commit.manifest-merge.enabled", "true");

  private RawTables() {}

  static Schema schema(List<RawColumns.Column> columns) {
    List<Types.NestedField> fields = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      RawColumns.Column c = columns.get(i);
      fields.add(Types.NestedField.optional(i + 1, c.name(), type(c.type())));
    }
    return new Schema(fields);
  }

  private static Type type(RawColumns.Type type) {
    return switch (type) {
      case VARCHAR -> Types.StringType.get();
      case INTEGER -> Types.IntegerType.get();
      case BIGINT -> Types.LongType.get();
      case TIMESTAMP_WITH_TIME_ZONE -> Types.TimestampType.withZone();
    };
  }

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
