package dev.lakehouse.activities.iceberg;

import dev.lakehouse.spec.ColumnType;
import dev.lakehouse.spec.PipelineSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** The columns of Iceberg tables, and adding one (schema evolution by field ID: no data file is rewritten). */
public final class TableColumns {
  private TableColumns() {}

  /** {@link #of(Catalog, List)} on the spec's catalog. */
  public static Map<String, List<String>> of(PipelineSpec spec, List<String> keys) throws IOException {
    try (RESTCatalog catalog = IcebergCatalogs.open(spec.endpoints())) {
      return of(catalog, keys);
    }
  }

  /** The raw tables of the spec created where missing, then {@code columns} added ({@link #addColumn}). */
  public static List<String> converge(PipelineSpec spec, List<NewColumn> columns) throws IOException {
    List<String> changes = new ArrayList<>();
    try (RESTCatalog catalog = IcebergCatalogs.open(spec.endpoints())) {
      RawTables.ensureNamespaces(catalog);
      Map<String, List<String>> before = of(catalog, spec.tables().stream()
          .map(t -> RawTables.identifier(t).toString()).toList());
      for (String key : RawTables.ensureTables(catalog, spec)) {
        if (!before.containsKey(key)) {
          changes.add("created raw table " + key);
        }
      }
      for (NewColumn c : columns) {
        if (addColumn(catalog, c.table(), c.column(), c.type())) {
          changes.add("added column " + c.column() + " " + c.type() + " to " + c.table());
        }
      }
    }
    return changes;
  }

  /** A column to add to a table ({@code parsed_data.parsed_users}). */
  public record NewColumn(String table, String column, ColumnType type) {}

  /** The column names of each table of {@code keys} that exists ({@code schema.table}); absent ones are left out. */
  public static Map<String, List<String>> of(Catalog catalog, List<String> keys) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String key : keys) {
      try {
        Table table = catalog.loadTable(TableIdentifier.parse(key));
        out.put(key, table.schema().columns().stream().map(Types.NestedField::name).toList());
      } catch (NoSuchTableException | NoSuchNamespaceException e) {
        // not created yet: the plan creates it or leaves it to its first run
      }
    }
    return out;
  }

  /**
   * Adds an optional column last, unless the table has it (idempotent: an apply that failed halfway runs again).
   * Returns whether it was added. Existing rows read NULL for it.
   */
  public static boolean addColumn(Catalog catalog, String key, String column, ColumnType type) {
    Table table = catalog.loadTable(TableIdentifier.parse(key));
    if (table.schema().findField(column) != null) {
      return false;
    }
    table.updateSchema().addColumn(column, icebergType(type)).commit();
    return true;
  }

  /**
   * The Iceberg type of a spec column as the parsed and vault tables store it (Trino's CREATE TABLE of the models:
   * uuid and text as varchar, timestamp without zone, microseconds).
   */
  static Type icebergType(ColumnType type) {
    return switch (type.kind()) {
      case UUID, VARCHAR, TEXT -> Types.StringType.get();
      case BOOLEAN -> Types.BooleanType.get();
      case INTEGER -> Types.IntegerType.get();
      case BIGINT -> Types.LongType.get();
      case DOUBLE -> Types.DoubleType.get();
      case DATE -> Types.DateType.get();
      case TIMESTAMP -> Types.TimestampType.withoutZone();
      case DECIMAL -> Types.DecimalType.of(type.precision(), type.scale());
    };
  }
}
