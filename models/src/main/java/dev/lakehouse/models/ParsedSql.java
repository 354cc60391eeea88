package dev.lakehouse.models;

import static dev.lakehouse.models.Sql.id;
import static dev.lakehouse.models.Sql.string;

import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.spec.ColumnSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * SQL of the parse model {@code parsed_data.parsed_<table>} (docs/models.md): raw Debezium events of a Kafka offset
 * range become typed rows, deduplicated on (primary key, source_lsn, op) so a re-delivered event or a re-run
 * range never writes a second row; events that do not parse go to {@code parsed_data.rejected_<table>} with the
 * reason, idempotently on their Kafka coordinates. A snapshot read without an LSN gets LSN 0 ({@link #ORDERING_LSN}).
 */
public final class ParsedSql {
  /** Columns every parsed table has after the source columns. */
  public static final List<String> META_COLUMNS = List.of(
      "op", "is_deleted", "source_lsn", "source_tx_id", "effective_from", "kafka_partition", "kafka_offset", "load_ts");
  static final List<String> REJECT_COLUMNS = List.of(
      "reason", "payload", "op", "source_lsn", "kafka_partition", "kafka_offset", "kafka_timestamp", "load_ts");

  /**
   * A raw event's ordering LSN: its source LSN, or 0 for a snapshot read ({@code op = 'r'}) that carries none.
   * Debezium's incremental snapshot sends its reads without {@code source.lsn}; by its watermarks a read restates
   * the key's state as of the streamed changes before it in Kafka, so it orders before every streamed change of the
   * key (docs/models.md#snapshot-reads-without-an-lsn). Only such reads have LSN 0: PostgreSQL's LSN 0/0 is invalid.
   * Applied to a parsed table it is {@code source_lsn} itself (no parsed row lacks one).
   */
  public static final String ORDERING_LSN = "CASE WHEN source_lsn IS NULL AND op = 'r' THEN 0 ELSE source_lsn END";

  /**
   * Vault models over parsed rows: per hash key {@code hk} and Kafka partition, the offset of the key's first
   * streamed change (LSN above 0) in the batch, as column {@code first_streamed_offset}; {@code q} qualifies the
   * columns ({@code "b."} or empty). With {@link #NOT_A_RESTATEMENT} it leaves out a snapshot read that a streamed
   * change of its key precedes in Kafka: the read restates that change (docs/models.md#snapshot-reads-without-an-lsn).
   */
  static String firstStreamedOffset(String hk, String q) {
    return "min(CASE WHEN " + q + "source_lsn > 0 THEN " + q + "kafka_offset END) OVER (PARTITION BY " + q + hk + ", "
        + q + "kafka_partition) AS first_streamed_offset";
  }

  /** True for every row but a snapshot read after a streamed change of its key ({@link #firstStreamedOffset}). */
  static final String NOT_A_RESTATEMENT =
      "(source_lsn > 0 OR first_streamed_offset IS NULL OR first_streamed_offset > kafka_offset)";

  private final TableSpec table;
  private final String raw;
  private final String parsed;
  private final String rejected;

  ParsedSql(TableSpec table) {
    this.table = table;
    this.raw = Sql.table(PipelineSpec.RAW_SCHEMA, table.name());
    this.parsed = Sql.table(PipelineSpec.PARSED_SCHEMA, PipelineSpec.parsedTableName(table.name()));
    this.rejected = Sql.table(PipelineSpec.PARSED_SCHEMA, PipelineSpec.rejectedTableName(table.name()));
  }

  String input() {
    return raw;
  }

  List<String> targets() {
    return List.of(parsed, rejected);
  }

  List<String> columns() {
    List<String> all = new ArrayList<>(table.columnNames());
    all.addAll(META_COLUMNS);
    return all;
  }

  List<ModelStatement> ddl() {
    StringBuilder cols = new StringBuilder();
    for (ColumnSpec c : table.columns()) {
      cols.append("  ").append(id(c.name())).append(' ').append(Sql.trinoType(c)).append(",\n");
    }
    String parsedDdl = "CREATE TABLE IF NOT EXISTS " + parsed + " (\n" + cols
        + "  op varchar,\n"
        + "  is_deleted boolean,\n"
        + "  source_lsn bigint,\n"
        + "  source_tx_id bigint,\n"
        + "  effective_from timestamp(6) with time zone,\n"
        + "  kafka_partition integer,\n"
        + "  kafka_offset bigint,\n"
        + "  load_ts timestamp(6) with time zone\n"
        + ")\nWITH (format_version = 2, partitioning = ARRAY['kafka_partition'])";
    String rejectedDdl = "CREATE TABLE IF NOT EXISTS " + rejected + " (\n"
        + "  reason varchar,\n"
        + "  payload varchar,\n"
        + "  op varchar,\n"
        + "  source_lsn bigint,\n"
        + "  kafka_partition integer,\n"
        + "  kafka_offset bigint,\n"
        + "  kafka_timestamp timestamp(6) with time zone,\n"
        + "  load_ts timestamp(6) with time zone\n"
        + ")\nWITH (format_version = 2, partitioning = ARRAY['kafka_partition'])";
    return List.of(
        new ModelStatement(Role.DDL, "CREATE SCHEMA IF NOT EXISTS " + Sql.CATALOG + "." + PipelineSpec.PARSED_SCHEMA),
        new ModelStatement(Role.DDL, parsedDdl),
        new ModelStatement(Role.DDL, rejectedDdl));
  }

  List<ModelStatement> load(Batch batch) {
    return List.of(new ModelStatement(Role.REJECTS, rejects(batch)), new ModelStatement(Role.MODEL, merge(batch)));
  }

  /** The raw rows of the batch, typed, each with its reject reason or NULL. Shared by both statements. */
  String checked(Batch batch) {
    StringBuilder fields = new StringBuilder();
    StringBuilder typed = new StringBuilder();
    for (ColumnSpec c : table.columns()) {
      fields.append(",\n    json_extract_scalar(j, ").append(string("$." + c.name())).append(") AS ")
          .append(id(c.name() + "__raw"));
      typed.append(",\n    ").append(Sql.typedValue(c, id(c.name() + "__raw"))).append(" AS ").append(id(c.name()));
    }
    StringBuilder reasons = new StringBuilder();
    reasons.append("      WHEN data IS NULL THEN 'empty message'\n")
        .append("      WHEN op IS NULL THEN 'not a Debezium change event (no op)'\n")
        .append("      WHEN op NOT IN ('c', 'r', 'u', 'd') THEN 'unknown op: ' || op\n")
        .append("      WHEN j IS NULL THEN 'malformed JSON'\n")
        .append("      WHEN source_lsn IS NULL THEN 'missing source LSN'\n");
    for (String k : table.primaryKey()) {
      reasons.append("      WHEN ").append(id(k + "__raw")).append(" IS NULL THEN ")
          .append(string("missing key: " + k)).append('\n');
    }
    for (ColumnSpec c : table.columns()) {
      reasons.append("      WHEN ").append(id(c.name() + "__raw")).append(" IS NOT NULL AND ").append(id(c.name()))
          .append(" IS NULL THEN ").append(string("bad value for " + c.name() + " (" + c.type() + ")")).append('\n');
    }
    return "WITH src AS (\n"
        + "  SELECT data, op, source_ts_ms, source_tx_id, " + ORDERING_LSN + " AS source_lsn,\n"
        + "    kafka_partition, kafka_offset, kafka_timestamp, ingested_at,\n"
        + "    try(json_parse(data)) AS j\n"
        + "  FROM " + raw + "\n"
        + "  WHERE " + Sql.indent(batch.filter(null), 2) + "\n"
        + "), fields AS (\n"
        + "  SELECT src.*" + fields + "\n"
        + "  FROM src\n"
        + "), typed AS (\n"
        + "  SELECT fields.*" + typed + "\n"
        + "  FROM fields\n"
        + "), checked AS (\n"
        + "  SELECT typed.*,\n"
        + "    CASE\n" + reasons + "    END AS reject_reason\n"
        + "  FROM typed\n"
        + ")";
  }

  /**
   * A full refresh's statements: each table rebuilt from the batch's rows in one {@code CREATE OR REPLACE TABLE ...
   * AS} of the rows its MERGE would insert into an empty table; neither reads the other, so the runner runs the
   * rejects beside the parsed rows as it does the MERGEs.
   */
  List<ModelStatement> rebuild(Batch batch) {
    List<ModelStatement> ddl = ddl();
    return List.of(
        ModelSql.replacedBy(ddl, rejected, Role.REJECTS, rejectsRows(batch)),
        ModelSql.replacedBy(ddl, parsed, Role.MODEL, parsedRows(batch)));
  }

  /** The batch's rejected rows, one per Kafka coordinate: what the rejects MERGE inserts where none is there. */
  private String rejectsRows(Batch batch) {
    return checked(batch) + "\n"
        + "SELECT reject_reason AS reason, data AS payload, op, source_lsn, kafka_partition, kafka_offset,"
        + " kafka_timestamp, ingested_at AS load_ts\n"
        + "FROM checked\n"
        + "WHERE reject_reason IS NOT NULL";
  }

  String rejects(Batch batch) {
    String cols = String.join(", ", REJECT_COLUMNS);
    return "MERGE INTO " + rejected + " t\n"
        + "USING (\n"
        + "  " + Sql.indent(rejectsRows(batch), 2) + "\n"
        + ") s\n"
        + "ON t.kafka_partition = s.kafka_partition AND t.kafka_offset = s.kafka_offset\n"
        + "  AND " + Sql.indent(batch.filter("t"), 2) + "\n"
        + "WHEN NOT MATCHED THEN INSERT (" + cols + ")\n"
        + "VALUES (" + REJECT_COLUMNS.stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ")";
  }

  /**
   * The batch's parsed rows, the first copy of each (primary key, source_lsn, op): what the MERGE inserts where the
   * table has none of them.
   */
  private String parsedRows(Batch batch) {
    List<String> pk = table.primaryKey();
    return checked(batch) + "\n"
        + "SELECT " + Sql.ids(table.columnNames(), null) + ",\n"
        + "  op, op = 'd' AS is_deleted, source_lsn, source_tx_id,\n"
        + "  CAST(from_unixtime_nanos(source_ts_ms * 1000000) AS timestamp(6) with time zone) AS effective_from,\n"
        + "  kafka_partition, kafka_offset, ingested_at AS load_ts\n"
        + "FROM (\n"
        + "  SELECT checked.*,\n"
        + "    row_number() OVER (PARTITION BY " + Sql.ids(pk, null) + ", source_lsn, op"
        + " ORDER BY kafka_partition, kafka_offset) AS copy\n"
        + "  FROM checked\n"
        + "  WHERE reject_reason IS NULL\n"
        + ")\n"
        + "WHERE copy = 1";
  }

  String merge(Batch batch) {
    List<String> pk = table.primaryKey();
    String on = pk.stream().map(k -> "t." + id(k) + " = s." + id(k)).collect(Collectors.joining(" AND "))
        + " AND t.source_lsn = s.source_lsn AND t.op = s.op" + batch.lsnBound("t");
    List<String> cols = columns();
    return "MERGE INTO " + parsed + " t\n"
        + "USING (\n"
        + "  " + Sql.indent(parsedRows(batch), 2) + "\n"
        + ") s\n"
        + "ON " + on + "\n"
        + "WHEN NOT MATCHED THEN INSERT (" + Sql.ids(cols, null) + ")\n"
        + "VALUES (" + Sql.ids(cols, "s") + ")";
  }
}
