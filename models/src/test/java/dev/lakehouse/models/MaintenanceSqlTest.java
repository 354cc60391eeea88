package dev.lakehouse.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MaintenanceSqlTest {
  static final PipelineSpec SPEC = SpecLoader.load();

  @Test
  void groupsCoverEveryTableTheLakehouseWrites() {
    assertThat(MaintenanceSql.tables(SPEC, "vault")).containsExactlyInAnyOrder("data_vault.h_users", "data_vault.h_accounts",
        "data_vault.l_users_accounts", "data_vault.s_users", "data_vault.s_users_state", "data_vault.s_accounts",
        "data_vault.s_accounts_state", "ops.materializations", "ops.asset_checks");
    assertThat(MaintenanceSql.tables(SPEC, "raw_parsed")).containsExactlyInAnyOrder("raw_data.users",
        "parsed_data.parsed_users", "parsed_data.rejected_users", "raw_data.accounts", "parsed_data.parsed_accounts",
        "parsed_data.rejected_accounts");
    assertThat(MaintenanceSql.tables(SPEC, "raw")).as("the raw tables alone: one writer, Flink")
        .containsExactlyInAnyOrder("raw_data.users", "raw_data.accounts");
    assertThat(MaintenanceSql.tables(SPEC, "ops")).containsExactly("ops.materializations", "ops.asset_checks");
    assertThat(MaintenanceSql.tables(SPEC, "appends")).as("what only appends: Flink's raw tables, the ops history")
        .containsExactlyInAnyOrder("raw_data.users", "raw_data.accounts", "ops.materializations", "ops.asset_checks");
    assertThat(MaintenanceSql.tables(SPEC, "all")).hasSize(17).contains("marts.user_balances",
            "marts.account_balance_changes")
        .containsAll(MaintenanceSql.tables(SPEC, "vault")).containsAll(MaintenanceSql.tables(SPEC, "raw_parsed"));
    assertThat(MaintenanceSql.tables(SPEC, "models")).as("what model runs commit to: all but the raw tables")
        .hasSize(15).doesNotContain("raw_data.users", "raw_data.accounts")
        .containsAll(MaintenanceSql.tables(SPEC, "vault")).contains("parsed_data.parsed_users",
            "parsed_data.rejected_accounts", "marts.user_balances", "marts.account_balance_changes");
    assertThatThrownBy(() -> MaintenanceSql.tables(SPEC, "everything"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raw, appends, ops, models or all");
  }

  @Test
  void statementsAreIcebergTableProcedures() {
    assertThat(MaintenanceSql.optimize("raw_data.users", "128MB"))
        .isEqualTo("ALTER TABLE iceberg.raw_data.users EXECUTE optimize(file_size_threshold => '128MB')");
    assertThat(MaintenanceSql.expireSnapshots("data_vault.s_users", "7d"))
        .isEqualTo("ALTER TABLE iceberg.data_vault.s_users EXECUTE expire_snapshots(retention_threshold => '7d')");
    assertThat(MaintenanceSql.removeOrphanFiles("ops.materializations", "12h")).isEqualTo(
        "ALTER TABLE iceberg.ops.materializations EXECUTE remove_orphan_files(retention_threshold => '12h')");
    assertThat(MaintenanceSql.dropExtendedStats("raw_data.users"))
        .isEqualTo("ALTER TABLE iceberg.raw_data.users EXECUTE drop_extended_stats");
    assertThat(MaintenanceSql.existsQuery("raw_data.users")).isEqualTo("SELECT count(*) FROM"
        + " iceberg.information_schema.tables WHERE table_schema = 'raw_data' AND table_name = 'users'");
  }

  @Test
  void retentionsArriveAsIso8601AndRunInTrinoSyntax() {
    assertThat(MaintenanceSql.expireSnapshots("raw_data.users", "PT168H")).endsWith("(retention_threshold => '7d')");
    assertThat(MaintenanceSql.removeOrphanFiles("raw_data.users", "P14D")).endsWith("(retention_threshold => '14d')");
    assertThat(MaintenanceSql.retention("PT12H")).isEqualTo("12h");
    assertThat(MaintenanceSql.retention("PT1M30S")).isEqualTo("90s");
    assertThat(MaintenanceSql.retention("PT1.5S")).isEqualTo("1500ms");
    // what lakehouse automation start sends for the spec's retentions
    assertThat(MaintenanceSql.retention(SPEC.schedules().maintenance().vault().expireSnapshotsOlderThan().toString()))
        .isEqualTo(MaintenanceSql.trinoDuration(SPEC.schedules().maintenance().vault().expireSnapshotsOlderThan()));
    // inputs of crons started when retentions travelled in Trino's syntax
    assertThat(MaintenanceSql.expireSnapshots("raw_data.users", "7d")).endsWith("(retention_threshold => '7d')");
    assertThatThrownBy(() -> MaintenanceSql.expireSnapshots("raw_data.users", "P7X"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO-8601");
  }

  @Test
  void theFlinkSinksLastCommitIsReadFromTheSnapshotsTable() {
    assertThat(MaintenanceSql.lastFlinkCommitAgeQuery("raw_data.users")).isEqualTo("SELECT date_diff('millisecond',"
        + " max(s.committed_at), current_timestamp) FROM iceberg.raw_data.\"users$snapshots\" s"
        + " JOIN iceberg.raw_data.\"users$history\" h ON h.snapshot_id = s.snapshot_id"
        + " WHERE h.is_current_ancestor AND element_at(s.summary, 'flink.job-id') IS NOT NULL");
    assertThatThrownBy(() -> MaintenanceSql.lastFlinkCommitAgeQuery("users"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theExpiryKeepsTheFlinkSinksLastCommitAndEveryNewerSnapshot() {
    Duration margin = MaintenanceSql.FLINK_COMMIT_MARGIN;
    // a commit 3 hours ago outlives a 1-hour retention: kept, with the margin on top
    Duration age = Duration.ofHours(3).plusMillis(1);
    Duration kept = age.plus(margin);
    assertThat(MaintenanceSql.expireSnapshots("raw_data.users", "PT1H", age, margin))
        .isEqualTo(MaintenanceSql.expireSnapshots("raw_data.users",
            MaintenanceSql.trinoDuration(Duration.ofSeconds(kept.getSeconds() + 1))));
    assertThat(MaintenanceSql.expireSnapshots("raw_data.users", "PT1H", Duration.ofHours(3), margin))
        .endsWith("(retention_threshold => '" + (3 * 3600 + margin.toSeconds()) + "s')");
    // a recent commit: the configured retention already keeps it
    assertThat(MaintenanceSql.expireSnapshots("raw_data.users", "PT1H", Duration.ofSeconds(10), margin))
        .endsWith("(retention_threshold => '1h')");
    assertThat(MaintenanceSql.expireSnapshots("raw_data.users", "P14D", Duration.ofDays(3), margin))
        .endsWith("(retention_threshold => '14d')");
    // no Flink commit kept: the configured retention alone, in either syntax
    assertThat(MaintenanceSql.expireSnapshots("raw_data.users", "PT1H", null, margin))
        .endsWith("(retention_threshold => '1h')");
    // a margin of a test's own, the sum rounded up to whole seconds
    assertThat(MaintenanceSql.expireSnapshots("raw_data.users", "PT1S", Duration.ofMillis(2500), Duration.ofSeconds(1)))
        .endsWith("(retention_threshold => '4s')");
    assertThat(MaintenanceSql.expireSnapshots("raw_data.users", "7d", Duration.ofDays(8), margin))
        .endsWith("(retention_threshold => '" + (8 * 86400 + margin.toSeconds()) + "s')");
    assertThatThrownBy(() -> MaintenanceSql.expireSnapshots("raw_data.users", "lots", Duration.ofHours(1), margin))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'lots'");
  }

  @Test
  void trinoDurationsParseBack() {
    assertThat(MaintenanceSql.duration("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(MaintenanceSql.duration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(MaintenanceSql.duration("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(MaintenanceSql.duration("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(MaintenanceSql.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> MaintenanceSql.duration("7 days")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inputsTrinoWouldRejectAreConfigurationErrors() {
    assertThatThrownBy(() -> MaintenanceSql.optimize("raw_data.users", "lots"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'lots'").hasMessageContaining("128MB");
    assertThatThrownBy(() -> MaintenanceSql.expireSnapshots("raw_data.users", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MaintenanceSql.dropExtendedStats("users"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema.table");
    assertThatThrownBy(() -> MaintenanceSql.existsQuery("iceberg.raw_data.users"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTableAsModelStatementsNameItHasTheKeyMaintenanceTakes() {
    assertThat(MaintenanceSql.key("iceberg.data_vault.s_users")).isEqualTo("data_vault.s_users");
    assertThat(MaintenanceSql.key("ops.materializations")).isEqualTo("ops.materializations");
    assertThat(MaintenanceSql.optimize(MaintenanceSql.key("iceberg.raw_data.users"), "128MB"))
        .isEqualTo("ALTER TABLE iceberg.raw_data.users EXECUTE optimize(file_size_threshold => '128MB')");
    assertThatThrownBy(() -> MaintenanceSql.key("iceberg.users")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.table");
  }

  @Test
  void everyWriteOfAGeneratedModelNamesItsTable() {
    ModelSql sql = new ModelSql(SPEC);
    for (String asset : sql.modelKeys()) {
      ModelSql.Model model = sql.model(asset);
      for (ModelStatement s : model.load(Batch.all())) {
        assertThat(s.target()).as(asset + " " + s.firstLine()).isPresent()
            .hasValueSatisfying(t -> assertThat(model.targets()).contains(t));
      }
    }
    assertThat(new ModelStatement(ModelStatement.Role.RECORD, "INSERT INTO iceberg.ops.materializations (asset)")
        .target()).contains("iceberg.ops.materializations");
    assertThat(new ModelStatement(ModelStatement.Role.DDL, "CREATE TABLE IF NOT EXISTS iceberg.a.b (x int)").target())
        .isEmpty();
  }
}
