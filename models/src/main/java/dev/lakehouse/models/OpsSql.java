package dev.lakehouse.models;

import static dev.lakehouse.models.Sql.string;

import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.workflows.activities.WrittenData;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code ops.materializations}: the materialization history and the models' watermarks (docs/models.md). The
 * watermark of a model is the {@code input_ranges} of its latest row with status {@code succeeded} or
 * {@code reset} (a full refresh writes {@code reset} with empty ranges before it replaces anything its first
 * statement will not rebuild up to the watermark, so a full refresh that dies half-way leaves the next run reading
 * everything again; docs/models.md#a-run-incremental). An incremental run of a user model
 * also records what it wrote ({@link #WRITTEN_COLUMNS}), so that its checks read only those rows after a worker
 * restart too (docs/models.md#checks).
 */
public final class OpsSql {
  public static final String SCHEMA = "ops";
  public static final String TABLE = Sql.table(SCHEMA, "materializations");

  /** The status of a row: a run's {@code succeeded} record, or the {@code reset} a full refresh starts with. */
  public enum Status {
    SUCCEEDED, RESET;

    /** The value in the {@code status} column. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The value as a SQL string literal ({@code 'succeeded'}). */
    public String literal() {
      return string(label());
    }
  }

  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private OpsSql() {}

  /**
   * One row of the history. {@code written}: what an incremental run of a user model wrote, when known (null for
   * every other row: a generated model, a {@code table}, a first run, another commit in between).
   */
  public record Row(String asset, String runId, Status status, boolean fullRefresh, InputRange inputRanges,
      long rowsIn, long rowsOut, long rowsRejected, Instant startedAt, Instant finishedAt, WrittenData written) {
    public Row(String asset, String runId, Status status, boolean fullRefresh, InputRange inputRanges,
        long rowsIn, long rowsOut, long rowsRejected, Instant startedAt, Instant finishedAt) {
      this(asset, runId, status, fullRefresh, inputRanges, rowsIn, rowsOut, rowsRejected, startedAt, finishedAt,
          null);
    }
  }

  /**
   * The columns added to the table since its first version, in {@code ADD COLUMN} form: what a user model's
   * incremental run wrote ({@link WrittenData}: the snapshot its statement committed, or the one it found when it
   * committed none, and the data files that snapshot added; both NULL when not known). {@link #ddl} keeps the first
   * version's shape and {@link #addedColumns} adds these, on a new lakehouse as on one an older version created: one
   * path, taken by every lakehouse that has user models. Only a user model run writes them and only the checks of a
   * user model read them, so nothing else depends on them.
   */
  public static final List<String> WRITTEN_COLUMNS = List.of("written_snapshot bigint",
      "written_files array(varchar)");

  /**
   * Adds {@link #WRITTEN_COLUMNS} where missing (a no-op, with no commit, where they are there): run by the user
   * model runner after {@link #ddl}, before its first insert that names them.
   */
  public static List<ModelStatement> addedColumns() {
    return WRITTEN_COLUMNS.stream()
        .map(c -> new ModelStatement(Role.DDL, "ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS " + c)).toList();
  }

  /** Creates the ops schema and the history table when missing; every model run's DDL starts with these. */
  public static List<ModelStatement> ddl() {
    return List.of(
        new ModelStatement(Role.DDL, "CREATE SCHEMA IF NOT EXISTS " + Sql.CATALOG + "." + SCHEMA),
        new ModelStatement(Role.DDL, "CREATE TABLE IF NOT EXISTS " + TABLE + " (\n"
            + "  asset varchar,\n"
            + "  run_id varchar,\n"
            + "  status varchar,\n"
            + "  full_refresh boolean,\n"
            + "  input_ranges varchar,\n"
            + "  rows_in bigint,\n"
            + "  rows_out bigint,\n"
            + "  rows_rejected bigint,\n"
            + "  started_at timestamp(6) with time zone,\n"
            + "  finished_at timestamp(6) with time zone\n"
            + ")\nWITH (format_version = 2, partitioning = ARRAY['asset'])"));
  }

  /** Returns one row with one column, {@code input_ranges}, or no row for a model never run. */
  public static String watermarkQuery(String asset) {
    return "SELECT input_ranges FROM " + TABLE + "\n"
        + "WHERE asset = " + string(asset) + " AND status IN (" + Status.SUCCEEDED.literal() + ", "
        + Status.RESET.literal() + ")\n"
        + "ORDER BY finished_at DESC\n"
        + "LIMIT 1";
  }

  /**
   * Every model's watermark in one query: rows {@code (asset, input_ranges)} of each asset's latest row with status
   * {@code succeeded} or {@code reset} (what {@link #watermarkQuery} gives for one).
   */
  public static String watermarksQuery() {
    return "SELECT asset, max_by(input_ranges, finished_at) FROM " + TABLE + "\n"
        + "WHERE status IN (" + Status.SUCCEEDED.literal() + ", " + Status.RESET.literal() + ")\n"
        + "GROUP BY asset";
  }

  /** A Trino {@code timestamp(6) with time zone} literal in UTC. */
  public static String timestamp(Instant t) {
    return "TIMESTAMP '" + TS.format(t) + " UTC'";
  }

  /**
   * The columns every row has, as an insert names them (the table may have more: an insert that does not name
   * {@link #WRITTEN_COLUMNS} also runs on a table an older version created).
   */
  public static final String COLUMNS = "(asset, run_id, status, full_refresh, input_ranges, rows_in, rows_out,"
      + " rows_rejected, started_at, finished_at)";

  /** The columns {@code r}'s insert names: {@link #COLUMNS}, and those of what it wrote when it says so. */
  private static String columns(Row r) {
    return r.written() == null ? COLUMNS
        : COLUMNS.substring(0, COLUMNS.length() - 1) + ", written_snapshot, written_files)";
  }

  /** Appends one row to the history: the {@code reset} of a full refresh, or a run's {@code succeeded} record. */
  public static ModelStatement insert(Role role, Row r) {
    return new ModelStatement(role, "INSERT INTO " + TABLE + " " + columns(r) + "\n"
        + "VALUES (" + values(r) + ")");
  }

  /**
   * {@link #insert} of a run's record unless the history has it already (the same asset, run, status and range):
   * the statement of a write that is retried after a commit of unknown outcome.
   */
  public static ModelStatement insertOnce(Role role, Row r) {
    return new ModelStatement(role, "INSERT INTO " + TABLE + " " + columns(r) + "\n"
        + "SELECT " + values(r) + "\n"
        + "WHERE NOT EXISTS (\n"
        + "  SELECT 1 FROM " + TABLE + "\n"
        + "  WHERE asset = " + string(r.asset()) + " AND run_id = " + string(r.runId()) + " AND status = "
        + r.status().literal() + " AND input_ranges = " + string(r.inputRanges().toJson()) + "\n"
        + ")");
  }

  private static String values(Row r) {
    return string(r.asset()) + ", " + string(r.runId()) + ", " + r.status().literal() + ", " + r.fullRefresh() + ", "
        + string(r.inputRanges().toJson()) + ", " + r.rowsIn() + ", " + r.rowsOut() + ", " + r.rowsRejected() + ", "
        + timestamp(r.startedAt()) + ", " + timestamp(r.finishedAt()) + (r.written() == null ? "" : ", "
        + r.written().snapshotId() + ", CAST(ARRAY[" + r.written().dataFiles().stream().map(Sql::string)
        .collect(Collectors.joining(", ")) + "] AS array(varchar))");
  }
}
