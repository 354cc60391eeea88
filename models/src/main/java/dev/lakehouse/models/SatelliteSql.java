package dev.lakehouse.models;

import static dev.lakehouse.models.Sql.id;

import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.spec.HubSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A satellite (docs/architecture.md#data-vault): for each hash key, the batch's rows newer than the latest stored
 * row are ordered by LSN; a row is inserted where its hashdiff differs from the previous one (the first compared
 * with the stored row). Deletes are rows with {@code is_deleted = true} carrying the before-image. The MERGE is
 * on (hash key, source_lsn), so a re-run of a range after a crash writes nothing twice.
 *
 * <p>A snapshot read without an LSN has LSN 0 ({@link ParsedSql#ORDERING_LSN}): it orders first, and it is left out
 * when a streamed change of its key came before it in the same Kafka partition of the batch, since it restates that
 * change's state (an earlier batch's change is already the stored row, above LSN 0).
 *
 * <p>The latest stored row per key lives in {@code <sat>_state} (hash key, hashdiff, source_lsn), updated
 * after the satellite from the satellite's own new rows; it is derived data, rebuilt by a full refresh.
 */
final class SatelliteSql {
  private final SatelliteSpec sat;
  private final HubSpec hub;
  private final TableSpec table;
  private final String target;
  private final String state;
  private final String view;
  private final String hk;
  private final String recordSource;
  /** the hub's DDL: the view joins the hub, and the hub model may not have run yet */
  private final List<ModelStatement> hubDdl;

  SatelliteSql(PipelineSpec spec, SatelliteSpec sat) {
    this.sat = sat;
    this.hub = spec.hub(sat.parent()).orElseThrow(
        () -> new IllegalArgumentException("satellite '" + sat.name() + "' has unknown parent hub '" + sat.parent() + "'"));
    if (!hub.table().equals(sat.table())) {
      throw new IllegalArgumentException("satellite '" + sat.name() + "' reads table '" + sat.table()
          + "' but its hub '" + hub.name() + "' is keyed on table '" + hub.table() + "'");
    }
    this.table = spec.table(sat.table()).orElseThrow();
    this.target = Sql.table(VaultSql.SCHEMA, sat.name());
    this.state = Sql.table(VaultSql.SCHEMA, stateTableName(sat.name()));
    this.view = Sql.table(VaultSql.SCHEMA, viewName(sat.name()));
    this.hk = VaultSql.hashKeyColumn(hub.name());
    this.recordSource = VaultSql.recordSource(spec, sat.table());
    this.hubDdl = new VaultSql.Hub(spec, hub).ddl();
  }

  static String stateTableName(String sat) {
    return sat + "_state";
  }

  /** {@code s_users} -> {@code v_users_current}. */
  static String viewName(String sat) {
    return "v_" + (sat.startsWith("s_") ? sat.substring(2) : sat) + "_current";
  }

  List<String> targets() {
    return List.of(target, state);
  }

  /** Everything the DDL creates: the tables, the view and the hub table the view joins. */
  List<String> relations() {
    return List.of(target, state, view, Sql.table(VaultSql.SCHEMA, hub.name()));
  }

  List<String> columns() {
    List<String> cols = new ArrayList<>();
    cols.add(hk);
    cols.add("hashdiff");
    cols.addAll(sat.columns());
    cols.addAll(List.of("is_deleted", "effective_from", "source_lsn", "load_ts", "record_source"));
    return cols;
  }

  List<ModelStatement> ddl() {
    String payload = sat.columns().stream()
        .map(c -> "  " + id(c) + " " + Sql.trinoType(table.column(c).orElseThrow(
            () -> new IllegalArgumentException("satellite '" + sat.name() + "': table '" + table.name()
                + "' has no column '" + c + "'"))) + ",\n")
        .collect(Collectors.joining());
    String bk = hub.businessKey().stream().map(c -> "h." + id(c)).collect(Collectors.joining(", "));
    List<ModelStatement> all = new ArrayList<>(hubDdl);
    all.addAll(List.of(
        new ModelStatement(Role.DDL, "CREATE TABLE IF NOT EXISTS " + target + " (\n"
            + "  " + id(hk) + " varchar,\n"
            + "  hashdiff varchar,\n"
            + payload
            + "  is_deleted boolean,\n"
            + "  effective_from timestamp(6) with time zone,\n"
            + "  source_lsn bigint,\n"
            + "  load_ts timestamp(6) with time zone,\n"
            + "  record_source varchar\n"
            + ")\nWITH (format_version = 2)"),
        new ModelStatement(Role.DDL, "CREATE TABLE IF NOT EXISTS " + state + " (\n"
            + "  " + id(hk) + " varchar,\n"
            + "  hashdiff varchar,\n"
            + "  source_lsn bigint\n"
            + ")\nWITH (format_version = 2)"),
        // latest row per key, deleted keys left out; reads the satellite itself, the source of truth
        new ModelStatement(Role.DDL, "CREATE OR REPLACE VIEW " + view + " AS\n"
            + "SELECT " + bk + ", " + Sql.ids(sat.columns(), "s") + ", s.effective_from, s.source_lsn, s.load_ts, s."
            + id(hk) + "\n"
            + "FROM (\n"
            + "  SELECT x.*, row_number() OVER (PARTITION BY " + id(hk) + " ORDER BY source_lsn DESC) AS recency\n"
            + "  FROM " + target + " x\n"
            + ") s\n"
            + "JOIN " + Sql.table(VaultSql.SCHEMA, hub.name()) + " h ON h." + id(hk) + " = s." + id(hk) + "\n"
            + "WHERE s.recency = 1 AND NOT s.is_deleted")));
    return all;
  }

  /**
   * The satellite rows of the batch: per key, its rows above the latest stored row ({@code stored}: looked up in the
   * state table; without it, a full refresh's, every row of the batch is new), one per LSN, where the hashdiff
   * differs from the previous row's. What the MERGE inserts where the satellite has none of them, so a rebuild
   * from the same rows gives the same rows as the incremental path.
   */
  private String rows(Batch batch, boolean stored) {
    String keyExpr = VaultHash.hashKey(hub.businessKey().stream().map(Sql::id).toList());
    String diffExpr = VaultHash.hashDiff(sat.columns().stream().map(Sql::id).toList(), "is_deleted");
    return "WITH batch AS (\n"
        + "  SELECT " + keyExpr + " AS " + id(hk) + ",\n"
        + "    " + diffExpr + " AS hashdiff,\n"
        + "    " + Sql.ids(sat.columns(), null) + ", is_deleted, effective_from, source_lsn, load_ts,\n"
        + "    " + recordSource + " AS record_source, kafka_partition, kafka_offset\n"
        + "  FROM " + VaultSql.parsedTable(sat.table()) + "\n"
        + "  WHERE " + Sql.indent(batch.filter(null), 2) + "\n"
        + "), fresh AS (\n"
        + (stored ? "  -- one row per key and LSN, newer than the latest stored row of the key\n"
            + "  SELECT b.*, st.hashdiff AS stored_hashdiff,\n"
            : "  -- one row per key and LSN (a rebuild: no stored row)\n"
            + "  SELECT b.*, CAST(NULL AS varchar) AS stored_hashdiff,\n")
        + "    row_number() OVER (PARTITION BY b." + id(hk) + ", b.source_lsn ORDER BY b.kafka_partition, b.kafka_offset)"
        + " AS copy,\n"
        + "    -- the key's first streamed change in this Kafka partition: a snapshot read (LSN 0) after it restates it\n"
        + "    " + ParsedSql.firstStreamedOffset(id(hk), "b.") + "\n"
        + "  FROM batch b\n"
        + (stored ? "  LEFT JOIN " + state + " st ON st." + id(hk) + " = b." + id(hk) + "\n"
            + "  WHERE st." + id(hk) + " IS NULL OR b.source_lsn > st.source_lsn\n" : "")
        + "), compared AS (\n"
        + "  SELECT f.*,\n"
        + "    coalesce(lag(hashdiff) OVER (PARTITION BY " + id(hk) + " ORDER BY source_lsn), stored_hashdiff)"
        + " AS previous_hashdiff\n"
        + "  FROM fresh f\n"
        + "  WHERE copy = 1 AND " + ParsedSql.NOT_A_RESTATEMENT + "\n"
        + ")\n"
        + "SELECT " + Sql.ids(columns(), null) + "\n"
        + "FROM compared\n"
        + "WHERE previous_hashdiff IS NULL OR previous_hashdiff <> hashdiff";
  }

  /**
   * A full refresh: the satellite rebuilt from every row of the batch, then its state table from the satellite (the
   * state's definition; what its MERGE leaves after a run into empty tables). In this order, so that the state
   * never holds a row the satellite lacks: a run after a crash between the two reads the old state, which is
   * behind the rebuilt satellite, and its MERGE on (hash key, LSN) writes nothing twice.
   */
  List<ModelStatement> rebuild(Batch batch) {
    return List.of(
        ModelSql.replacedBy(ddl(), target, Role.MODEL, rows(batch, false)),
        ModelSql.replacedBy(ddl(), state, Role.STATE, "SELECT " + id(hk) + ", max_by(hashdiff, source_lsn) AS hashdiff,"
            + " max(source_lsn) AS source_lsn\n"
            + "FROM " + target + "\n"
            + "GROUP BY " + id(hk)));
  }

  List<ModelStatement> load(Batch batch) {
    List<String> cols = columns();
    String merge = "MERGE INTO " + target + " t\n"
        + "USING (\n"
        + "  " + Sql.indent(rows(batch, true), 2) + "\n"
        + ") s\n"
        + "ON t." + id(hk) + " = s." + id(hk) + " AND t.source_lsn = s.source_lsn" + batch.lsnBound("t") + "\n"
        + "WHEN NOT MATCHED THEN INSERT (" + Sql.ids(cols, null) + ")\n"
        + "VALUES (" + Sql.ids(cols, "s") + ")";
    String where = batch.minLsn().isPresent() ? "  WHERE source_lsn >= " + batch.minLsn().getAsLong() + "\n" : "";
    String stateMerge = "MERGE INTO " + state + " t\n"
        + "USING (\n"
        + "  SELECT " + id(hk) + ", max_by(hashdiff, source_lsn) AS hashdiff, max(source_lsn) AS source_lsn\n"
        + "  FROM " + target + "\n"
        + where
        + "  GROUP BY " + id(hk) + "\n"
        + ") s\n"
        + "ON t." + id(hk) + " = s." + id(hk) + "\n"
        + "WHEN MATCHED AND s.source_lsn > t.source_lsn THEN UPDATE SET hashdiff = s.hashdiff, source_lsn = s.source_lsn\n"
        + "WHEN NOT MATCHED THEN INSERT (" + id(hk) + ", hashdiff, source_lsn)\n"
        + "VALUES (s." + id(hk) + ", s.hashdiff, s.source_lsn)";
    return List.of(new ModelStatement(Role.MODEL, merge), new ModelStatement(Role.STATE, stateMerge));
  }
}
