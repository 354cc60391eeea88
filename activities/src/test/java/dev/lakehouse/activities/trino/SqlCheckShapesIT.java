package dev.lakehouse.activities.trino;

import static dev.lakehouse.activities.trino.SeedScenario.ACCOUNT_BRUCE;
import static dev.lakehouse.activities.trino.SeedScenario.ACCOUNT_CLARK;
import static dev.lakehouse.activities.trino.SeedScenario.H_ACCOUNT_CLARK;
import static dev.lakehouse.activities.trino.UserModelsIT.account;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.models.CheckShapesSql;
import dev.lakehouse.models.CheckSql;
import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.usermodels.UserModelCompiler;
import dev.lakehouse.spec.usermodels.UserModelFiles;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The column count of a {@code sql} check, learned by a probe, survives a worker's restart (docs/models.md#checks):
 * a new runner (a worker that starts) reads it from {@code ops.check_shapes} and probes nothing; a changed model SQL
 * is a new shape, probed and written again; a count that is wrong (the table changed behind the spec's back) only
 * makes the checks run alone, with the same results.
 */
class SqlCheckShapesIT {
  static final String MODEL = "checked.balances";

  private static PipelineSpec spec(String select) {
    PipelineSpec pipeline = ItStack.spec().withUserModels(List.of());
    List<UserModelFiles.File> files = List.of(new UserModelFiles.File("checked/balances.sql",
        "{{ config(materialized='table') }}\n" + select + " from {{ ref('data_vault.s_accounts') }}"));
    List<UserModelFiles.File> docs = List.of(new UserModelFiles.File("checked/schema.yml", """
        version: 2
        models:
          - name: balances
            tests:
              - dbt_utils.expression_is_true: {expression: "balance >= 0"}
        """));
    return pipeline.withUserModels(new UserModelCompiler(pipeline).compile(
        new UserModelFiles(Path.of("transform"), files, docs)));
  }

  private static void execute(Harness h, String statement) throws SQLException {
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  /** A check run of the model by a runner just created: a worker just started. */
  private static AssetCheckResult checkInNewWorker(Harness h) throws SQLException {
    return new CheckRunner(new CheckSql(h.spec), h.trino, Clock.systemUTC())
        .evaluate(MODEL, new CheckRequest("it-shapes", false, null, null), st -> { }).results().get(0);
  }

  private static List<List<String>> shapes(Harness h) throws SQLException {
    return h.query("SELECT shape, CAST(columns AS varchar) FROM " + CheckShapesSql.TABLE + " ORDER BY learned_at");
  }

  private static String shapeOf(PipelineSpec spec) {
    CheckSpec check = spec.checksOf(MODEL).stream().filter(c -> c.kind() == CheckKind.SQL).findFirst().orElseThrow();
    return new CheckShapesSql(spec).shape(check);
  }

  @Test
  void aLearnedColumnCountIsReadBackAfterARestartAndLearnedAgainWhenTheModelChanges() throws Exception {
    PipelineSpec two = spec("select h_accounts_hk, balance");
    Harness h = new Harness(two);
    h.reset();
    execute(h, "DROP TABLE IF EXISTS " + CheckShapesSql.TABLE);
    execute(h, "DROP TABLE IF EXISTS iceberg." + MODEL);
    h.insert(List.of(account(0, 1, "c", ACCOUNT_BRUCE, "100.00"), account(1, 2, "c", ACCOUNT_CLARK, "-5.00")));
    h.runAll(false);
    h.runner.materialize(MODEL, "it-shapes", false);

    // the first worker probes the check's query and writes what it learned
    AssetCheckResult first = checkInNewWorker(h);
    assertThat(first.passed()).isFalse();
    assertThat(first.sample()).containsExactly(H_ACCOUNT_CLARK);
    assertThat(shapes(h)).containsExactly(List.of(shapeOf(two), "2"));

    // a worker that starts reads it: no probe (a probe would write a row), the same result
    assertThat(checkInNewWorker(h)).isEqualTo(first);
    assertThat(shapes(h)).hasSize(1);

    // the model's SQL changes: a new shape, probed and written
    PipelineSpec three = spec("select h_accounts_hk, currency, balance");
    assertThat(shapeOf(three)).isNotEqualTo(shapeOf(two));
    Harness changed = new Harness(three);
    changed.runner.materialize(MODEL, "it-shapes", false);
    AssetCheckResult afterChange = checkInNewWorker(changed);
    assertThat(afterChange.sample()).isEqualTo(first.sample());
    assertThat(shapes(h)).containsExactly(List.of(shapeOf(two), "2"), List.of(shapeOf(three), "3"));

    // a count that is wrong (written by hand): the statement fails, the check runs alone, its result the same
    execute(h, "INSERT INTO " + CheckShapesSql.TABLE + " VALUES ('" + shapeOf(three) + "', 7, current_timestamp)");
    AssetCheckResult wrong = checkInNewWorker(changed);
    assertThat(wrong.message()).isNull();
    assertThat(wrong.failingRows()).isEqualTo(afterChange.failingRows());
    assertThat(wrong.sample()).isEqualTo(afterChange.sample());
  }
}
