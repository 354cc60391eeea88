package dev.lakehouse.models;

import static dev.lakehouse.models.Sql.string;

import dev.lakehouse.models.ModelStatement.Role;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code ops.asset_checks}: one row per check per check run (docs/models.md#checks), next to
 * {@code ops.materializations}. {@code lakehouse status} shows each asset's latest check run from it.
 */
public final class CheckResultsSql {
  public static final String TABLE = Sql.table(OpsSql.SCHEMA, "asset_checks");
  /** The columns of the table, in the order every insert names them. */
  public static final String COLUMNS =
      "asset, check_name, kind, severity, passed, failing_rows, sample, message, run_id, full_table, checked_at";

  private CheckResultsSql() {}

  /**
   * One check's outcome. {@code failingRows} counts what the check's query returns (for {@code unique}: the
   * duplicated values, as dbt counts them); {@code message} says why a check could not run (then it failed).
   */
  public record Row(String asset, String check, String kind, String severity, boolean passed, long failingRows,
      List<String> sample, String message, String runId, boolean fullTable, Instant checkedAt) {
    public Row {
      sample = sample == null ? List.of() : List.copyOf(sample);
    }
  }

  public static List<ModelStatement> ddl() {
    return List.of(
        new ModelStatement(Role.DDL, "CREATE SCHEMA IF NOT EXISTS " + Sql.CATALOG + "." + OpsSql.SCHEMA),
        new ModelStatement(Role.DDL, "CREATE TABLE IF NOT EXISTS " + TABLE + " (\n"
            + "  asset varchar,\n"
            + "  check_name varchar,\n"
            + "  kind varchar,\n"
            + "  severity varchar,\n"
            + "  passed boolean,\n"
            + "  failing_rows bigint,\n"
            + "  sample array(varchar),\n"
            + "  message varchar,\n"
            + "  run_id varchar,\n"
            + "  full_table boolean,\n"
            + "  checked_at timestamp(6) with time zone\n"
            + ")\nWITH (format_version = 2, partitioning = ARRAY['asset'])"));
  }

  /** Check results (those of a run's assets, or of one asset's check run), in one statement (one Iceberg commit). */
  public static ModelStatement insert(List<Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no check results to record");
    }
    return new ModelStatement(Role.RECORD, "INSERT INTO " + TABLE + " (" + COLUMNS + ")\n"
        + "VALUES " + rows.stream().map(CheckResultsSql::values).collect(Collectors.joining(",\n  ")));
  }

  /**
   * The same rows, leaving out those already there: a row is identified by (run_id, asset, check_name,
   * checked_at), so writing a run's results again (a retry after a commit of unknown outcome) adds nothing twice.
   * Reads the table, so it is for retries; the first attempt is {@link #insert}.
   */
  public static ModelStatement insertMissing(List<Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no check results to record");
    }
    return new ModelStatement(Role.RECORD, "INSERT INTO " + TABLE + " (" + COLUMNS + ")\n"
        + "SELECT " + COLUMNS + "\n"
        + "FROM (VALUES " + rows.stream().map(CheckResultsSql::values).collect(Collectors.joining(",\n  ")) + ")\n"
        + "  AS s (" + COLUMNS + ")\n"
        + "WHERE NOT EXISTS (SELECT 1 FROM " + TABLE + " t WHERE t.run_id = s.run_id AND t.asset = s.asset"
        + " AND t.check_name = s.check_name AND t.checked_at = s.checked_at)");
  }

  private static String values(Row r) {
    String sample = r.sample().isEmpty() ? "CAST(ARRAY[] AS array(varchar))"
        : "ARRAY[" + r.sample().stream().map(Sql::string).collect(Collectors.joining(", ")) + "]";
    return "(" + string(r.asset()) + ", " + string(r.check()) + ", " + string(r.kind()) + ", " + string(r.severity())
        + ", " + r.passed() + ", " + r.failingRows() + ", " + sample + ", " + string(r.message()) + ", "
        + string(r.runId()) + ", " + r.fullTable() + ", " + OpsSql.timestamp(r.checkedAt()) + ")";
  }

  /**
   * Every row of each asset's latest check run: (asset, check_name, kind, severity, passed, failing_rows, sample
   * joined by {@code ", "}, message, run_id, checked_at), every value readable as text. The latest run is the one
   * with the newest {@code checked_at}.
   */
  public static String latestQuery() {
    return "SELECT asset, check_name, kind, severity, passed, failing_rows, array_join(sample, ', '), message, run_id,"
        + " checked_at\n"
        + "FROM (\n"
        + "  SELECT c.*, max(checked_at) OVER (PARTITION BY asset) AS latest\n"
        + "  FROM " + TABLE + " c\n"
        + ")\n"
        + "WHERE checked_at = latest\n"
        + "ORDER BY asset, check_name";
  }
}
