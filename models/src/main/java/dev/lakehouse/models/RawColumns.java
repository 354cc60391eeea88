package dev.lakehouse.models;

import java.util.List;

/**
 * The columns of the raw tables {@code raw_data.<table>}, in order: the contract between the ingest job ({@link
 * IngestSql} inserts them) and the parse model ({@link ParsedSql} reads them). The catalog activity creates the
 * tables with an Iceberg schema built from this list, so the writer, the reader and the table cannot drift apart.
 *
 * <p>{@code data} is the row image as JSON text ({@code after}, or {@code before} for a delete); when an event
 * cannot be read as a Debezium envelope, {@code data} holds the whole message and {@code op} is null, so the parse
 * model rejects it with a reason instead of anything being dropped. LSN and txId are BIGINT (an INT overflows).
 * {@code kafka_partition}/{@code kafka_offset} are the exact cursor of incremental runs
 * (docs/architecture.md#incremental-materialization).
 */
public final class RawColumns {
  /** The column types, named after their Trino types; the catalog maps them to Iceberg's. */
  public enum Type {
    VARCHAR,
    INTEGER,
    BIGINT,
    TIMESTAMP_WITH_TIME_ZONE
  }

  public record Column(String name, Type type) {}

  /**
   * Every column, in schema order. Append only: the catalog numbers the Iceberg fields by position, and tables
   * already created keep their numbers.
   */
  public static final List<Column> ALL = List.of(
      new Column("data", Type.VARCHAR),
      new Column("op", Type.VARCHAR),
      new Column("ts_ms", Type.BIGINT),
      new Column("source_ts_ms", Type.BIGINT),
      new Column("source_tx_id", Type.BIGINT),
      new Column("source_lsn", Type.BIGINT),
      new Column("source_connector", Type.VARCHAR),
      new Column("source_db", Type.VARCHAR),
      new Column("source_schema", Type.VARCHAR),
      new Column("source_table", Type.VARCHAR),
      new Column("kafka_partition", Type.INTEGER),
      new Column("kafka_offset", Type.BIGINT),
      new Column("kafka_timestamp", Type.TIMESTAMP_WITH_TIME_ZONE),
      new Column("ingested_at", Type.TIMESTAMP_WITH_TIME_ZONE));

  /** The column names in schema order, for INSERT column lists. */
  public static final List<String> NAMES = ALL.stream().map(Column::name).toList();

  private RawColumns() {}
}
