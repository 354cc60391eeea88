package dev.lakehouse.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.workflows.activities.WrittenData;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ops.materializations} rows: what a user model's run wrote is recorded with the run, in columns added to the
 * table after its first version, which only such a row names (docs/models.md#checks).
 */
class OpsSqlTest {
  static final Instant T = Instant.parse("2026-12-07T03:00:00Z");

  static OpsSql.Row row(WrittenData written) {
    return new OpsSql.Row("marts.a", "run-1", OpsSql.Status.SUCCEEDED, false, InputRange.empty(), 2, 2, 0, T, T,
        written);
  }

  @Test
  void aRowThatSaysWhatItsRunWroteNamesTheAddedColumnsAndNoOtherRowDoes() {
    String plain = OpsSql.insert(Role.RECORD, row(null)).sql();
    assertThat(plain).startsWith("INSERT INTO iceberg.ops.materializations " + OpsSql.COLUMNS + "\n")
        .doesNotContain("written");
    assertThat(OpsSql.insertOnce(Role.RECORD, row(null)).sql()).doesNotContain("written");

    String written = OpsSql.insert(Role.RECORD, row(new WrittenData(42L, List.of("s3://w/a/x-1.parquet",
        "s3://w/a/it's.parquet")))).sql();
    assertThat(written).isEqualTo("INSERT INTO iceberg.ops.materializations (asset, run_id, status, full_refresh,"
        + " input_ranges, rows_in, rows_out, rows_rejected, started_at, finished_at, written_snapshot, written_files)\n"
        + "VALUES ('marts.a', 'run-1', 'succeeded', false, '{}', 2, 2, 0, TIMESTAMP '2026-12-07 03:00:00.000000 UTC',"
        + " TIMESTAMP '2026-12-07 03:00:00.000000 UTC', 42, CAST(ARRAY['s3://w/a/x-1.parquet',"
        + " 's3://w/a/it''s.parquet'] AS array(varchar)))");
    // a run that wrote no row: its snapshot (the one it found) and no file
    assertThat(OpsSql.insertOnce(Role.RECORD, row(new WrittenData(7L, List.of()))).sql())
        .contains(", written_snapshot, written_files)\nSELECT ").contains(", 7, CAST(ARRAY[] AS array(varchar))\n");
  }

  @Test
  void theAddedColumnsAreAddedWhereMissingAndReadBackFromTheLatestSucceededRow() {
    assertThat(OpsSql.addedColumns()).extracting(ModelStatement::sql).containsExactly(
        "ALTER TABLE iceberg.ops.materializations ADD COLUMN IF NOT EXISTS written_snapshot bigint",
        "ALTER TABLE iceberg.ops.materializations ADD COLUMN IF NOT EXISTS written_files array(varchar)");
    assertThat(OpsSql.ddl()).extracting(ModelStatement::sql).noneMatch(s -> s.contains("written"));
    assertThat(WrittenRowsSql.recordedQuery("marts.a")).isEqualTo("SELECT written_snapshot, written_files FROM"
        + " iceberg.ops.materializations\nWHERE asset = 'marts.a' AND status = 'succeeded'\n"
        + "ORDER BY finished_at DESC\nLIMIT 1");
  }
}
