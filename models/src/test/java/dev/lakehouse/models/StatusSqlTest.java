package dev.lakehouse.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.SpecLoader;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusSqlTest {
  static final ModelSql SQL = new ModelSql(SpecLoader.load());

  @Test
  void lastRunsReadTheHistoryOnce() {
    assertThat(StatusSql.lastRunsQuery()).startsWith("WITH h AS (").contains("FROM iceberg.ops.materializations m)")
        .contains("started_at >= reset_at").endsWith("FROM h GROUP BY asset");
  }

  @Test
  void theConsoleReadsOneAssetsHistoryAndChecksQuotingItsKey() {
    assertThat(StatusSql.historyQuery("data_vault.s_users", 50)).isEqualTo("SELECT finished_at, started_at, status,"
        + " full_refresh, rows_in, rows_out, rows_rejected, run_id\nFROM iceberg.ops.materializations\n"
        + "WHERE asset = 'data_vault.s_users'\nORDER BY finished_at DESC\nLIMIT 50");
    assertThat(StatusSql.checksTableQuery()).isEqualTo("SELECT count(*) FROM iceberg.information_schema.tables\n"
        + "WHERE table_schema = 'ops' AND table_name = 'asset_checks'");
    assertThat(StatusSql.checksQuery("it's", 5))
        .isEqualTo("SELECT * FROM iceberg.ops.asset_checks WHERE asset = 'it''s'"
            + " ORDER BY checked_at DESC, check_name LIMIT 5");
  }

  @Test
  void freshnessQueriesCountRawRowsAboveTheWatermark() {
    // a parsed model reads raw itself; watermark partition 0 at offset 41
    assertThat(StatusSql.unconsumedQuery(SQL.model("parsed_data.parsed_users"), "iceberg.raw_data.users",
        Map.of(0, 41L))).isEqualTo("SELECT count(*), min(ingested_at) FROM (SELECT ingested_at FROM iceberg.raw_data.users"
            + " WHERE ((kafka_partition = 0 AND kafka_offset > 41))\nUNION ALL\n"
            + "SELECT ingested_at FROM iceberg.raw_data.users WHERE kafka_partition NOT IN (0))");
    // a vault model: the parsed rows above its watermark, timed by their raw rows
    assertThat(StatusSql.unconsumedQuery(SQL.model("data_vault.s_users"), "iceberg.raw_data.users", Map.of()))
        .contains("FROM (SELECT kafka_partition, kafka_offset, ingested_at FROM iceberg.raw_data.users) r")
        .contains("JOIN (SELECT DISTINCT kafka_partition, kafka_offset FROM (SELECT kafka_partition, kafka_offset"
            + " FROM iceberg.parsed_data.parsed_users)) p");
    assertThat(StatusSql.snapshotQuery("iceberg.raw_data.users", Instant.parse("2026-11-26T01:59:30Z")))
        .isEqualTo("SELECT CASE WHEN min(committed_at) < from_iso8601_timestamp('2026-11-26T01:59:30Z') THEN"
            + " min(committed_at) FILTER (WHERE committed_at >= from_iso8601_timestamp('2026-11-26T01:59:30Z')) END"
            + " FROM iceberg.raw_data.\"users$snapshots\"");
  }
}
