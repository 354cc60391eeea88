package dev.lakehouse.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.models.testing.Golden;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.UserModelSpec;
import dev.lakehouse.spec.usermodels.UserModelCompiler;
import dev.lakehouse.spec.usermodels.UserModelFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SQL of user models: golden files for the two shipped marts (first run, incremental run, full refresh), and
 * what ref, source, this, is_incremental and new_rows render to.
 */
class UserModelSqlTest {
  static final PipelineSpec SPEC = SpecLoader.load();
  static final InputRange RANGE = InputRange.of(Map.of(
      0, new InputRange.Bounds(41, 97),
      1, new InputRange.Bounds(-1, 12)));
  static final List<String> CHANGES_COLUMNS = List.of("h_accounts_hk", "currency", "previous_balance", "balance",
      "delta", "changed_at", "source_lsn");

  final UserModelSql sql = new UserModelSql(SPEC);

  @Test
  void userBalancesGolden() {
    Golden.assertMatches("user/marts.user_balances.sql",
        sql.render("marts.user_balances", new UserModelSql.Run(true, false, InputRange.empty(), List.of())));
  }

  @Test
  void accountBalanceChangesGolden() {
    String m = "marts.account_balance_changes";
    Golden.assertMatches("user/" + m + ".first-run.sql",
        sql.render(m, new UserModelSql.Run(false, false, RANGE, List.of())));
    Golden.assertMatches("user/" + m + ".incremental.sql",
        sql.render(m, new UserModelSql.Run(true, false, RANGE, CHANGES_COLUMNS)));
    Golden.assertMatches("user/" + m + ".full-refresh.sql",
        sql.render(m, new UserModelSql.Run(true, true, RANGE, CHANGES_COLUMNS)));
  }

  static UserModelSpec compile(String path, String text) {
    List<UserModelSpec> models = new UserModelCompiler(SPEC).compile(new UserModelFiles(Path.of("t"),
        List.of(new UserModelFiles.File(path, text)), List.of()));
    return models.get(0);
  }

  static UserModelSql with(UserModelSpec m) {
    return new UserModelSql(SPEC.withUserModels(List.of(m)));
  }

  @Test
  void refSourceAndThisAreFullyQualifiedRelations() {
    UserModelSpec m = compile("marts/x.sql", "select * from {{ ref('s_users') }} join {{ source('raw_data', 'users') }}"
        + " on true where 1 not in (select 1 from {{ this }})");
    assertThat(with(m).select(m, UserModelSql.Run.offline(false))).isEqualTo("select * from"
        + " iceberg.data_vault.s_users join iceberg.raw_data.users on true where 1 not in (select 1 from"
        + " iceberg.marts.x)");
  }

  @Test
  void isIncrementalIsTrueOnlyForAnExistingIncrementalTableWithoutFullRefresh() {
    UserModelSpec m = compile("marts/x.sql", "{{ config(materialized='incremental', incremental_strategy='append') }}"
        + "select {% if is_incremental() %}'inc'{% else %}'all'{% endif %} as k");
    UserModelSql s = with(m);
    assertThat(s.select(m, new UserModelSql.Run(true, false, null, List.of()))).isEqualTo("select 'inc' as k");
    assertThat(s.select(m, new UserModelSql.Run(false, false, null, List.of()))).isEqualTo("select 'all' as k");
    assertThat(s.select(m, new UserModelSql.Run(true, true, null, List.of()))).isEqualTo("select 'all' as k");
    assertThat(s.statements(m, new UserModelSql.Run(true, false, null, List.of())).get(1).sql())
        .isEqualTo("INSERT INTO iceberg.marts.x\nselect 'inc' as k");
    assertThat(s.statements(m, new UserModelSql.Run(false, false, null, List.of())).get(1).sql())
        .isEqualTo("CREATE OR REPLACE TABLE iceberg.marts.x AS\nselect 'all' as k");
    UserModelSpec table = compile("marts/t.sql", "{{ config(materialized='table') }}select {% if is_incremental()"
        + " %}1{% else %}2{% endif %} as k");
    assertThat(with(table).select(table, new UserModelSql.Run(true, false, null, List.of()))).isEqualTo("select 2 as k");
    UserModelSpec view = compile("marts/v.sql", "select 1 as k");
    assertThat(with(view).statements(view, UserModelSql.Run.offline(false))).extracting(ModelStatement::sql)
        .containsExactly("CREATE SCHEMA IF NOT EXISTS iceberg.marts", "CREATE OR REPLACE VIEW iceberg.marts.v AS\nselect 1 as k");
  }

  @Test
  void newRowsIsTheUpstreamsLoadWatermarkRange() {
    UserModelSpec parsed = compile("marts/p.sql", "{{ config(materialized='incremental', unique_key='id') }}"
        + "select id from {{ ref('parsed_users') }} p where {{ new_rows('parsed_users', 'p') }}");
    assertThat(with(parsed).select(parsed, new UserModelSql.Run(true, false, RANGE, List.of()))).isEqualTo(
        "select id from iceberg.parsed_data.parsed_users p where ((p.kafka_partition = 0 AND p.kafka_offset > 41"
            + " AND p.kafka_offset <= 97)\n    OR (p.kafka_partition = 1 AND p.kafka_offset > -1 AND p.kafka_offset <= 12))");
    assertThat(with(parsed).newRowsInput(parsed)).isEqualTo("iceberg.parsed_data.parsed_users");
    UserModelSpec sat = compile("marts/s.sql", "{{ config(materialized='incremental', unique_key='id') }}"
        + "select * from {{ ref('s_users') }} where {{ new_rows('s_users') }}");
    assertThat(with(sat).select(sat, new UserModelSql.Run(true, false, InputRange.of(Map.of(0,
        new InputRange.Bounds(3, 9))), List.of()))).isEqualTo("select * from iceberg.data_vault.s_users where"
        + " source_lsn IN (\n    SELECT source_lsn FROM iceberg.parsed_data.parsed_users\n"
        + "    WHERE ((kafka_partition = 0 AND kafka_offset > 3 AND kafka_offset <= 9)))");
    // nothing loaded since the last run: no row matches
    assertThat(with(sat).select(sat, new UserModelSql.Run(true, false, InputRange.of(Map.of(0,
        new InputRange.Bounds(9, 9))), List.of()))).endsWith("WHERE FALSE)");
  }

  @Test
  void mergeUpdatesEveryColumnButTheKey() {
    UserModelSpec m = compile("marts/m.sql", "{{ config(materialized='incremental', unique_key=['a', 'b']) }}"
        + "select 1 as a, 2 as b, 3 as c");
    assertThat(with(m).statements(m, new UserModelSql.Run(true, false, null, List.of("a", "b", "c"))).get(1).sql())
        .isEqualTo("MERGE INTO iceberg.marts.m t\nUSING (\n  select 1 as a, 2 as b, 3 as c\n) s\n"
            + "ON t.\"a\" = s.\"a\" AND t.\"b\" = s.\"b\"\nWHEN MATCHED THEN UPDATE SET \"c\" = s.\"c\"\n"
            + "WHEN NOT MATCHED THEN INSERT (\"a\", \"b\", \"c\")\nVALUES (s.\"a\", s.\"b\", s.\"c\")");
  }

  /**
   * Trino's line:column in a statement it rejects, back in the model's file: the statement's lines before the SELECT
   * and a MERGE's indent taken off, the config line and the blocks the template left out taken into account.
   */
  @Test
  void trinosPositionIsTheFilesLine() {
    UserModelSpec table = compile("marts/x.sql", "{{ config(materialized='table') }}\n-- balances\n"
        + "select balance,\n  no_such_column\nfrom {{ ref('data_vault.s_accounts') }}");
    UserModelSql.Run offline = UserModelSql.Run.offline(false);
    String create = with(table).statements(table, offline).get(1).sql();
    assertThat(create).startsWith("CREATE OR REPLACE TABLE iceberg.marts.x AS\n-- balances\nselect balance,");
    // Trino: "line 4:3: Column 'no_such_column' cannot be resolved"
    assertThat(with(table).position(table, offline, create, 4, 3)).isEqualTo("marts/x.sql:4:3");
    // a line with a ref: the column only before it (the ref renders longer than it is written)
    assertThat(with(table).position(table, offline, create, 5, 6)).isEqualTo("marts/x.sql:5");
    assertThat(with(table).position(table, offline, create, 5, 1)).isEqualTo("marts/x.sql:5:1");
    // outside the SELECT: only the file
    assertThat(with(table).position(table, offline, create, 1, 1)).isEqualTo("marts/x.sql");

    String m = "marts.account_balance_changes";
    UserModelSpec changes = SPEC.userModel(m).orElseThrow();
    UserModelSql.Run incremental = new UserModelSql.Run(true, false, RANGE, CHANGES_COLUMNS);
    String merge = sql.statements(changes, incremental).get(1).sql();
    List<String> lines = merge.lines().toList();
    int join = lines.indexOf("    JOIN changed c ON c.h_accounts_hk = s.h_accounts_hk") + 1;
    assertThat(sql.position(changes, incremental, merge, join, 10)).isEqualTo("marts/account_balance_changes.sql:17:8");
    // new_rows renders several lines that are in no line of the file: the SELECT's line, as models sql prints it
    int rendered = lines.indexOf("      SELECT source_lsn FROM iceberg.parsed_data.parsed_accounts") + 1;
    assertThat(sql.position(changes, incremental, merge, rendered, 7)).isEqualTo("marts/account_balance_changes.sql,"
        + " line " + (rendered - 2) + ":5 of its SELECT as `lakehouse models sql " + m + "` prints it");
  }

  @Test
  void aBrokenModelFailsWithItsOneLine() {
    UserModelSpec m = compile("marts/x.sql", "select * from {{ ref('s_user') }}");
    assertThatThrownBy(() -> with(m).statements(m, UserModelSql.Run.offline(false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("marts/x.sql:1: ref('s_user') names no asset; did you mean: data_vault.s_users");
  }
}
