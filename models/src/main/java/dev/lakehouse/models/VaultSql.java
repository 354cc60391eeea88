package dev.lakehouse.models;

import static dev.lakehouse.models.Sql.id;

import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.spec.HubSpec;
import dev.lakehouse.spec.LinkSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.TableSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * SQL of the Data Vault models (docs/architecture.md#data-vault), read from a parsed table by Kafka offset range.
 * Hubs and links are insert-only MERGEs on the hash key; satellites insert a row only where the hashdiff changes,
 * comparing each key's new rows in LSN order with each other and the first with the latest stored row, looked up
 * in the satellite's {@code <sat>_state} table (one row per key, so the lookup does not grow with history).
 *
 * <p>{@code load_ts} is the time the event landed in the lakehouse (the raw row's {@code ingested_at}), not the
 * wall clock of the run, so a full refresh rebuilds exactly the rows incremental runs wrote.
 */
final class VaultSql {
  static final String SCHEMA = PipelineSpec.VAULT_SCHEMA;

  private VaultSql() {}

  static String parsedTable(String table) {
    return Sql.table(PipelineSpec.PARSED_SCHEMA, PipelineSpec.parsedTableName(table));
  }

  /** Name of a hub's hash key column: {@code h_users_hk}. */
  static String hashKeyColumn(String model) {
    return model + "_hk";
  }

  static String recordSource(PipelineSpec spec, String table) {
    return Sql.string(spec.source().topic(table));
  }

  static ModelStatement createSchema() {
    return new ModelStatement(Role.DDL, "CREATE SCHEMA IF NOT EXISTS " + Sql.CATALOG + "." + SCHEMA);
  }

  private static String columnDefs(TableSpec table, List<String> columns) {
    return columns.stream().map(c -> "  " + id(c) + " " + Sql.trinoType(table.column(c).orElseThrow(
            () -> new IllegalArgumentException("table '" + table.name() + "' has no column '" + c + "'"))) + ",\n")
        .collect(Collectors.joining());
  }

  /** DDL of a hub or link: its hash key, the key columns ({@code keyColumnDefs}), load_ts, record_source. */
  private static List<ModelStatement> insertOnlyTable(String target, String hk, String keyColumnDefs) {
    return List.of(createSchema(), new ModelStatement(Role.DDL, "CREATE TABLE IF NOT EXISTS " + target + " (\n"
        + "  " + id(hk) + " varchar,\n"
        + keyColumnDefs
        + "  load_ts timestamp(6) with time zone,\n"
        + "  record_source varchar\n"
        + ")\nWITH (format_version = 2)"));
  }

  /**
   * Insert-only MERGE of a hub or link: of the batch's rows ({@code projection} selects the hash key and the
   * columns from the parsed table), each hash key's first sighting in LSN order, inserted unless already there. A
   * snapshot read (LSN 0) that a streamed change of its key precedes in Kafka is no sighting, as in the satellite,
   * so a batch's split never changes which row a key's first sighting is.
   */
  private static List<ModelStatement> firstSightingMerge(String target, String hk, List<String> columns,
      String projection, String parsedTable, Batch batch) {
    String sql = "MERGE INTO " + target + " t\n"
        + "USING (\n"
        + "  " + Sql.indent(firstSightings(hk, columns, projection, parsedTable, batch), 2) + "\n"
        + ") s\n"
        + "ON t." + id(hk) + " = s." + id(hk) + "\n"
        + "WHEN NOT MATCHED THEN INSERT (" + Sql.ids(columns, null) + ")\n"
        + "VALUES (" + Sql.ids(columns, "s") + ")";
    return List.of(new ModelStatement(Role.MODEL, sql));
  }

  /** Each hash key's first sighting among the batch's rows: what the insert-only MERGE inserts into an empty table. */
  private static String firstSightings(String hk, List<String> columns, String projection, String parsedTable,
      Batch batch) {
    return "SELECT " + Sql.ids(columns, null) + "\n"
        + "FROM (\n"
        + "  SELECT k.*, row_number() OVER (PARTITION BY " + id(hk)
        + " ORDER BY source_lsn, kafka_partition, kafka_offset) AS sighting\n"
        + "  FROM (\n"
        + "    SELECT k.*, " + ParsedSql.firstStreamedOffset(id(hk), "") + "\n"
        + "    FROM (\n"
        + "      SELECT " + projection + "\n"
        + "      FROM " + parsedTable + "\n"
        + "      WHERE " + Sql.indent(batch.filter(null), 6) + "\n"
        + "    ) k\n"
        + "  ) k\n"
        + "  -- a snapshot read (LSN 0) after a streamed change of its key restates it: not a sighting of its own\n"
        + "  WHERE " + ParsedSql.NOT_A_RESTATEMENT + "\n"
        + ")\n"
        + "WHERE sighting = 1";
  }

  /** A hub's or link's full refresh: its table rebuilt as the first sightings of every row in one statement. */
  private static List<ModelStatement> firstSightingRebuild(List<ModelStatement> ddl, String target, String hk,
      List<String> columns, String projection, String parsedTable, Batch batch) {
    return List.of(ModelSql.replacedBy(ddl, target, Role.MODEL,
        firstSightings(hk, columns, projection, parsedTable, batch)));
  }

  // ------------------------------------------------------------------------------------------- hubs

  static final class Hub {
    final HubSpec hub;
    final TableSpec table;
    final String target;
    final String hk;
    final String recordSource;

    Hub(PipelineSpec spec, HubSpec hub) {
      this.hub = hub;
      this.table = spec.table(hub.table()).orElseThrow();
      this.target = Sql.table(SCHEMA, hub.name());
      this.hk = hashKeyColumn(hub.name());
      this.recordSource = recordSource(spec, hub.table());
    }

    List<String> columns() {
      List<String> cols = new ArrayList<>();
      cols.add(hk);
      cols.addAll(hub.businessKey());
      cols.add("load_ts");
      cols.add("record_source");
      return cols;
    }

    List<ModelStatement> ddl() {
      return insertOnlyTable(target, hk, columnDefs(table, hub.businessKey()));
    }

    List<ModelStatement> load(Batch batch) {
      return firstSightingMerge(target, hk, columns(), projection(), parsedTable(hub.table()), batch);
    }

    List<ModelStatement> rebuild(Batch batch) {
      return firstSightingRebuild(ddl(), target, hk, columns(), projection(), parsedTable(hub.table()), batch);
    }

    private String projection() {
      String keyExpr = VaultHash.hashKey(hub.businessKey().stream().map(Sql::id).toList());
      return keyExpr + " AS " + id(hk) + ",\n"
          + "        " + Sql.ids(hub.businessKey(), null) + ", source_lsn, kafka_partition, kafka_offset, load_ts,\n"
          + "        " + recordSource + " AS record_source";
    }
  }

  // ------------------------------------------------------------------------------------------- links

  static final class Link {
    final LinkSpec link;
    final TableSpec table;
    final String target;
    final String hk;
    final String recordSource;
    /** hub hash key column name -> source column */
    final Map<String, String> hubKeys = new LinkedHashMap<>();

    Link(PipelineSpec spec, LinkSpec link) {
      this.link = link;
      this.table = spec.table(link.table()).orElseThrow();
      this.target = Sql.table(SCHEMA, link.name());
      this.hk = hashKeyColumn(link.name());
      this.recordSource = recordSource(spec, link.table());
      for (LinkSpec.Reference r : link.references()) {
        String name = hashKeyColumn(r.hub());
        if (hubKeys.containsKey(name)) { // a link between two rows of one hub: name the column by its source too
          name = hashKeyColumn(r.hub()) + "_" + columnOf(r);
        }
        hubKeys.put(name, columnOf(r));
      }
    }

    private static String columnOf(LinkSpec.Reference r) {
      return r.column().substring(r.column().indexOf('.') + 1);
    }

    List<String> columns() {
      List<String> cols = new ArrayList<>();
      cols.add(hk);
      cols.addAll(hubKeys.keySet());
      cols.add("load_ts");
      cols.add("record_source");
      return cols;
    }

    List<ModelStatement> ddl() {
      return insertOnlyTable(target, hk,
          hubKeys.keySet().stream().map(c -> "  " + id(c) + " varchar,\n").collect(Collectors.joining()));
    }

    List<ModelStatement> load(Batch batch) {
      return firstSightingMerge(target, hk, columns(), projection(), parsedTable(link.table()), batch);
    }

    List<ModelStatement> rebuild(Batch batch) {
      return firstSightingRebuild(ddl(), target, hk, columns(), projection(), parsedTable(link.table()), batch);
    }

    private String projection() {
      String keyExpr = VaultHash.hashKey(hubKeys.values().stream().map(Sql::id).toList());
      StringBuilder hubExprs = new StringBuilder();
      hubKeys.forEach((name, col) ->
          hubExprs.append(",\n        ").append(VaultHash.hashKey(List.of(id(col)))).append(" AS ").append(id(name)));
      return keyExpr + " AS " + id(hk) + hubExprs + ",\n"
          + "        source_lsn, kafka_partition, kafka_offset, load_ts, " + recordSource + " AS record_source";
    }
  }
}
