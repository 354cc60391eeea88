package dev.lakehouse.models;

import java.time.Instant;
import java.util.Map;

/**
 * The reads of {@code lakehouse status} per model: its last runs and watermark from {@code ops.materializations},
 * and the raw rows it has not consumed yet, for freshness. A vault model's input is a parsed table whose rows carry
 * the raw Kafka coordinates, so every model's backlog is counted and timed in raw rows.
 */
public final class StatusSql {
  private StatusSql() {}

  /**
   * One row per asset: time, run ID, rows in, rows out and rows rejected of its last successful run; rows rejected
   * since its last full refresh (what its rejected table holds); the input ranges of its watermark. A full refresh
   * is known by its rows' {@code full_refresh} (it writes a {@code reset} row only sometimes), and every row of one
   * run has the run's {@code started_at}.
   */
  public static String lastRunsQuery() {
    String ok = "status = " + OpsSql.Status.SUCCEEDED.literal();
    return "WITH h AS (\n"
        + "  SELECT m.*, max(CASE WHEN full_refresh THEN started_at END) OVER (PARTITION BY asset) AS reset_at\n"
        + "  FROM " + OpsSql.TABLE + " m)\n"
        + "SELECT asset,\n"
        + "  max(finished_at) FILTER (WHERE " + ok + "),\n"
        + "  max_by(run_id, finished_at) FILTER (WHERE " + ok + "),\n"
        + "  max_by(rows_in, finished_at) FILTER (WHERE " + ok + "),\n"
        + "  max_by(rows_out, finished_at) FILTER (WHERE " + ok + "),\n"
        + "  max_by(rows_rejected, finished_at) FILTER (WHERE " + ok + "),\n"
        + "  coalesce(sum(rows_rejected) FILTER (WHERE " + ok + " AND (reset_at IS NULL OR started_at >= reset_at)), 0),\n"
        + "  max_by(input_ranges, finished_at) FILTER (WHERE status IN (" + OpsSql.Status.SUCCEEDED.literal() + ", "
        + OpsSql.Status.RESET.literal() + "))\n"
        + "FROM h GROUP BY asset";
  }

  /**
   * Raw rows a model has not consumed from its own input: (count, oldest {@code ingested_at}). A parsed model
   * reads raw directly; a vault model reads the parsed table, whose rows carry the raw Kafka coordinates.
   */
  public static String unconsumedQuery(ModelSql.Model model, String rawTable, Map<Integer, Long> watermark) {
    if (model.input().equals(rawTable)) {
      return "SELECT count(*), min(ingested_at) FROM (" + InputRange.newRows(watermark, "ingested_at", rawTable) + ")";
    }
    return "SELECT count(*), min(r.ingested_at)\n"
        + "FROM (" + InputRange.newRows(watermark, "kafka_partition, kafka_offset, ingested_at", rawTable) + ") r\n"
        + "JOIN (SELECT DISTINCT kafka_partition, kafka_offset FROM ("
        + InputRange.newRows(watermark, "kafka_partition, kafka_offset", model.input()) + ")) p\n"
        + "  ON r.kafka_partition = p.kafka_partition AND r.kafka_offset = p.kafka_offset";
  }

  /**
   * The last {@code limit} rows of one asset's history, newest first: finished, started, status, full refresh,
   * rows in, out and rejected, run ID (the asset console's materializations).
   */
  public static String historyQuery(String asset, int limit) {
    return "SELECT finished_at, started_at, status, full_refresh, rows_in, rows_out, rows_rejected, run_id\n"
        + "FROM " + OpsSql.TABLE + "\n"
        + "WHERE asset = " + Sql.string(asset) + "\n"
        + "ORDER BY finished_at DESC\n"
        + "LIMIT " + limit;
  }

  /** The table of asset check results, when checks were ever recorded ({@link #checksTableQuery}). */
  public static final String CHECKS_TABLE = Sql.table(OpsSql.SCHEMA, "asset_checks");

  /** One row with a count: 1 when {@code ops.asset_checks} exists. */
  public static String checksTableQuery() {
    return "SELECT count(*) FROM " + Sql.CATALOG + ".information_schema.tables\n"
        + "WHERE table_schema = " + Sql.string(OpsSql.SCHEMA) + " AND table_name = 'asset_checks'";
  }

  /**
   * The latest check results of one asset, newest check run first, as the table has them (its columns are its
   * writer's); without the order, the limit would keep any rows, not the latest.
   */
  public static String checksQuery(String asset, int limit) {
    return "SELECT * FROM " + CHECKS_TABLE + " WHERE asset = " + Sql.string(asset)
        + " ORDER BY checked_at DESC, check_name LIMIT " + limit;
  }

  /**
   * The first snapshot of {@code rawTable} committed at or after {@code t}: the one that made a row written at t
   * visible; NULL when no snapshot older than t is kept, as that one may have been expired (the raw tables' are after
   * an hour) and the first kept one would date the row's staleness too late.
   */
  public static String snapshotQuery(String rawTable, Instant t) {
    int dot = rawTable.lastIndexOf('.');
    String snapshots = rawTable.substring(0, dot + 1) + "\"" + rawTable.substring(dot + 1) + "$snapshots\"";
    String at = "from_iso8601_timestamp('" + t + "')";
    return "SELECT CASE WHEN min(committed_at) < " + at + " THEN min(committed_at) FILTER (WHERE committed_at >= "
        + at + ") END FROM " + snapshots;
  }
}
