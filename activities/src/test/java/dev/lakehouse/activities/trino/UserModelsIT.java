package dev.lakehouse.activities.trino;

import static dev.lakehouse.activities.trino.RawEvent.row;
import static dev.lakehouse.activities.trino.SeedScenario.ACCOUNT_BRUCE;
import static dev.lakehouse.activities.trino.SeedScenario.ACCOUNT_CLARK;
import static dev.lakehouse.activities.trino.SeedScenario.BRUCE;
import static dev.lakehouse.activities.trino.SeedScenario.CLARK;
import static dev.lakehouse.activities.trino.SeedScenario.CREATED;
import static dev.lakehouse.activities.trino.SeedScenario.H_ACCOUNT_BRUCE;
import static dev.lakehouse.activities.trino.SeedScenario.H_ACCOUNT_CLARK;
import static dev.lakehouse.activities.trino.SeedScenario.at;
import static dev.lakehouse.activities.trino.SeedScenario.lsn;
import static dev.lakehouse.activities.trino.SeedScenario.r;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.models.CheckResultsSql;
import dev.lakehouse.models.CheckSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.UserModelSpec;
import dev.lakehouse.spec.usermodels.UserModelCompiler;
import dev.lakehouse.spec.usermodels.UserModelFiles;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRequest;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.MaterializePlan;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user models of transform/ (docs/models.md#user-models) on real Trino: the seed scenario gives the expected
 * marts; the incremental mart fed in three batches, one with a transaction that commits late with a smaller LSN,
 * equals its full refresh; broken models fail alone with one line naming their file while the others run. The
 * marts' schema.yml tests run after the seed run and on demand and pass; a mart with failing tests reports them with
 * their counts and samples, a test on a column the mart lacks says so.
 */
class UserModelsIT {
  static final String BALANCES = "marts.user_balances";
  static final String CHANGES = "marts.account_balance_changes";

  Harness h;

  @BeforeEach
  void reset() throws Exception {
    h = new Harness(ItStack.spec());
    h.reset();
    dropUserTables(h.spec);
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + CheckResultsSql.TABLE);
    }
  }

  private void dropUserTables(PipelineSpec spec) throws SQLException {
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      for (UserModelSpec m : spec.userModels()) {
        st.execute((m.materialized() == UserModelSpec.Materialization.VIEW ? "DROP VIEW IF EXISTS " : "DROP TABLE IF EXISTS ")
            + "iceberg." + m.key());
      }
    }
  }

  /** Every model of the pipeline, then every user model in graph order; failures by asset. */
  static Map<String, String> runAll(Harness h, ModelRunner runner, PipelineSpec spec, boolean fullRefresh)
      throws SQLException {
    return runAll(h, runner, spec, fullRefresh, false);
  }

  /**
   * {@link #runAll}, then with {@code checked} the checks of the user models that ran (as a run's check activity
   * does: failing error checks are the model's failure).
   */
  static Map<String, String> runAll(Harness h, ModelRunner runner, PipelineSpec spec, boolean fullRefresh,
      boolean checked) throws SQLException {
    h.runAll(fullRefresh);
    Map<String, String> failures = new LinkedHashMap<>();
    MaterializePlan plan = AssetGraph.fromSpec(spec).plan("kind:model");
    for (MaterializePlan.Step step : plan.steps()) {
      if (spec.userModel(step.assetKey()).isEmpty()) {
        continue;
      }
      try {
        runner.materialize(step.assetKey(), "it-user", fullRefresh);
      } catch (SQLException | RuntimeException e) {
        failures.put(step.assetKey(), TrinoErrors.of(step.assetKey(), "materialize", e).getOriginalMessage());
      }
    }
    for (MaterializePlan.Step step : plan.steps()) {
      String key = step.assetKey();
      if (checked && spec.userModel(key).isPresent() && !failures.containsKey(key)) {
        List<AssetCheckResult> errors = checks(h, spec, key, new CheckRequest("it-user", fullRefresh, null, null))
            .failedErrors();
        if (!errors.isEmpty()) {
          failures.put(key, "check failed: " + errors.stream().map(AssetCheckResult::describe)
              .collect(Collectors.joining("; ")));
        }
      }
    }
    return failures;
  }

  /** One model's check run, as the activity Checks.Check runs it. */
  static AssetCheckReport checks(Harness h, PipelineSpec spec, String asset, CheckRequest request)
      throws SQLException {
    return new CheckRunner(new CheckSql(spec), h.trino, Clock.systemUTC()).check(asset, request, st -> { });
  }

  @Test
  void seedScenarioGivesTheExpectedMarts() throws Exception {
    // before the vault exists (a first run whose selection did not reach it) a mart waits: no error, no table,
    // and its checks have nothing to read
    assertThat(h.runner.materialize(BALANCES, "it-early", false).rowsOut()).isZero();
    assertThat(h.query("SELECT table_name FROM iceberg.information_schema.tables WHERE table_schema = 'marts'"))
        .isEmpty();
    assertThat(checks(h, h.spec, BALANCES, new CheckRequest("it-early", true, null, null)).results()).isEmpty();
    List<RawEvent> events = SeedScenario.events();
    h.insert(events.subList(0, 5));
    assertThat(runAll(h, h.runner, h.spec, false)).isEmpty();
    h.insert(events.subList(5, events.size()));
    assertThat(runAll(h, h.runner, h.spec, false, true)).isEmpty();

    List<List<String>> balances = List.of(
        r(BRUCE, "bruce@wayne.com", "Bruce Wayne", "EUR", "1001.25", "1"),
        r(CLARK, "clark@kent.com", "Clark Kent", "EUR", "3000.00", "1"));
    List<List<String>> changes = List.of(
        r(H_ACCOUNT_BRUCE, "EUR", null, "1001.25", "1001.25", at(2, false), lsn(2)),
        r(H_ACCOUNT_CLARK, "EUR", null, "2500.00", "2500.00", at(4, false), lsn(4)),
        r(H_ACCOUNT_CLARK, "EUR", "2500.00", "3000.00", "500.00", at(5, false), lsn(5)));
    assertThat(h.read(BALANCES)).containsExactlyInAnyOrderElementsOf(balances);
    assertThat(h.read(CHANGES)).containsExactlyInAnyOrderElementsOf(changes);
    // the marts' schema.yml tests ran after the run and passed
    assertThat(h.query("SELECT asset, check_name FROM " + CheckResultsSql.TABLE + " WHERE asset LIKE 'marts.%'"
        + " AND run_id = 'it-user' AND NOT passed")).isEmpty();
    assertThat(h.query("SELECT DISTINCT asset, check_name FROM " + CheckResultsSql.TABLE
        + " WHERE asset LIKE 'marts.%' AND run_id = 'it-user'")).hasSize(12);

    // on demand, as `lakehouse checks --select marts.*` runs them (one check activity per selected model)
    List<AssetCheckReport> onDemand = new ArrayList<>();
    for (String asset : AssetGraph.fromSpec(h.spec).plan("marts.*").assetKeys()) {
      onDemand.add(checks(h, h.spec, asset, new CheckRequest("it-on-demand", false, null, null)));
    }
    assertThat(onDemand).extracting(r -> r.assetKey() + ": " + r.summary()).containsExactlyInAnyOrder(
        CHANGES + ": 5 checks, all passed", BALANCES + ": 7 checks, all passed");
    assertThat(h.query("SELECT asset, count(*) FROM " + CheckResultsSql.TABLE + " WHERE run_id = 'it-on-demand'"
        + " AND passed GROUP BY asset")).containsExactlyInAnyOrder(List.of(CHANGES, "5"), List.of(BALANCES, "7"));

    // nothing new: the incremental mart reads nothing and records nothing
    MaterializeResult again = h.runner.materialize(CHANGES, "it-again", false);
    assertThat(again.rowsOut()).isZero();
    assertThat(h.read(CHANGES)).containsExactlyInAnyOrderElementsOf(changes);

    // full refresh of everything: the same marts
    assertThat(runAll(h, h.runner, h.spec, true)).isEmpty();
    assertThat(h.read(BALANCES)).containsExactlyInAnyOrderElementsOf(balances);
    assertThat(h.read(CHANGES)).containsExactlyInAnyOrderElementsOf(changes);
  }

  static RawEvent account(long offset, int n, String op, String id, String balance) {
    return SeedScenario.event("accounts", offset, n, op, row("id", id, "user_id", BRUCE, "currency", "EUR",
        "balance", balance, "created_at", CREATED));
  }

  @Test
  void incrementalMartInThreeBatchesWithALateCommitEqualsItsFullRefresh() throws Exception {
    // beside the shipped merge mart, an append one over the same upstream: its new_rows branch must append every
    // satellite row once, the late one included
    String appendLog = "checked.balance_log";
    PipelineSpec pipeline = h.spec.withUserModels(List.of());
    List<UserModelFiles.File> files = new ArrayList<>();
    h.spec.userModels().forEach(m -> files.add(new UserModelFiles.File(m.file(), m.template())));
    files.add(new UserModelFiles.File("checked/balance_log.sql", """
        {{ config(materialized='incremental', incremental_strategy='append') }}
        select s.h_accounts_hk, s.balance, s.source_lsn
        from {{ ref('data_vault.s_accounts') }} s
        {% if is_incremental() %}
        where {{ new_rows('data_vault.s_accounts', 's') }}
        {% endif %}
        """));
    PipelineSpec spec = pipeline.withUserModels(new UserModelCompiler(pipeline).compile(
        new UserModelFiles(Path.of("transform"), files, List.of())));
    assertThat(spec.userModel(appendLog).orElseThrow().problem()).isEmpty();
    Harness h = new Harness(spec);
    dropUserTables(spec);
    String late = "0c0c0c0c-1111-4222-8333-944444444444";
    // batch 1: two accounts; batch 2: both change (LSNs of statements 4 and 5)
    h.insert(List.of(account(0, 1, "c", ACCOUNT_BRUCE, "100.00"), account(1, 2, "c", ACCOUNT_CLARK, "50.00")));
    assertThat(runAll(h, h.runner, h.spec, false)).isEmpty();
    h.insert(List.of(account(2, 4, "u", ACCOUNT_BRUCE, "150.00"), account(3, 5, "u", ACCOUNT_CLARK, "80.00")));
    assertThat(runAll(h, h.runner, h.spec, false)).isEmpty();
    // batch 3: a transaction that began before batch 2's (LSN of statement 3) commits now, then two more changes;
    // a filter on source_lsn above the mart's highest LSN would drop its row
    h.insert(List.of(account(4, 3, "c", late, "60.00"), account(5, 6, "u", ACCOUNT_BRUCE, "120.00"),
        account(6, 7, "u", late, "70.00")));
    assertThat(runAll(h, h.runner, h.spec, false)).isEmpty();

    List<List<String>> incremental = h.read(CHANGES);
    assertThat(incremental).extracting(row -> row.get(6)).containsExactlyInAnyOrder(
        lsn(1), lsn(2), lsn(4), lsn(5), lsn(3), lsn(6), lsn(7));
    assertThat(incremental).filteredOn(row -> row.get(6).equals(lsn(6))).singleElement()
        .satisfies(row -> assertThat(row.subList(2, 5)).containsExactly("150.00", "120.00", "-30.00"));

    assertThat(h.runner.materialize(CHANGES, "it-full", true).rowsOut()).isEqualTo(7);
    assertThat(h.read(CHANGES)).containsExactlyInAnyOrderElementsOf(incremental);

    List<List<String>> appended = h.read(appendLog);
    assertThat(appended).extracting(row -> row.get(2)).containsExactlyInAnyOrder(
        lsn(1), lsn(2), lsn(4), lsn(5), lsn(3), lsn(6), lsn(7));
    assertThat(h.runner.materialize(appendLog, "it-full", true).rowsOut()).isEqualTo(7);
    assertThat(h.read(appendLog)).containsExactlyInAnyOrderElementsOf(appended);
  }

  @Test
  void brokenModelsFailAloneWithOneLineNamingTheirFile() throws Exception {
    PipelineSpec pipeline = h.spec.withUserModels(List.of());
    List<UserModelFiles.File> files = new ArrayList<>();
    h.spec.userModels().forEach(m -> files.add(new UserModelFiles.File(m.file(), m.template())));
    files.add(new UserModelFiles.File("broken/syntax.sql", "select 1\nfrom {% if %}"));
    files.add(new UserModelFiles.File("broken/unknown_ref.sql", "select *\nfrom {{ ref('data_vault.s_acounts') }}"));
    files.add(new UserModelFiles.File("broken/bad_column.sql",
        "{{ config(materialized='table') }}\nselect no_such_column from {{ ref('data_vault.s_users') }}"));
    // a mart whose tests fail: two currencies not accepted, one not in user_balances (warn), a column it lacks
    files.add(new UserModelFiles.File("checked/currencies.sql", "{{ config(materialized='table') }}\n"
        + "select * from (values ('EUR', 1), ('GBP', 2), ('JPY', 3), ('JPY', 4), (NULL, 5)) t(currency, n)"));
    files.add(new UserModelFiles.File("broken/unknown_test.sql", "select 1 as id"));
    // a view (the default materialization) next to the broken models
    files.add(new UserModelFiles.File("checked/user_emails.sql",
        "select h_users_hk, email, source_lsn from {{ ref('data_vault.s_users') }}"));
    files.add(new UserModelFiles.File("broken/cycle_a.sql", "select *\nfrom {{ ref('broken.cycle_b') }}"));
    files.add(new UserModelFiles.File("broken/cycle_b.sql", "select *\nfrom {{ ref('broken.cycle_a') }}"));
    // eight keys, none in order: a sql check's sample is the five smallest (as text), however its statement runs
    for (String keys : List.of("keys", "keys_divided")) {
      files.add(new UserModelFiles.File("checked/" + keys + ".sql", "{{ config(materialized='table') }}\n"
          + "select * from (values 9, 3, 11, 7, 1, 5, 10, 2) t(k)"));
    }
    List<UserModelFiles.File> docs = List.of(new UserModelFiles.File("checked/schema.yml", """
        version: 2
        models:
          - name: currencies
            columns:
              - name: currency
                tests:
                  - accepted_values: {values: [EUR, USD]}
                  - relationships:
                      to: ref('marts.user_balances')
                      field: currency
                      config: {severity: warn}
              - name: nope
                tests: [not_null]
          - name: unknown_test
            columns:
              - name: id
                tests: [uniqe]
          - name: keys
            tests:
              - dbt_utils.expression_is_true: {expression: "k < 0", config: {severity: warn}}
          - name: keys_divided
            tests:
              - dbt_utils.expression_is_true: {expression: "k < 0", config: {severity: warn}}
              - dbt_utils.expression_is_true: {expression: "k / (k - 7) > -100", config: {severity: warn}}
        """));
    PipelineSpec spec = pipeline.withUserModels(new UserModelCompiler(pipeline).compile(
        new UserModelFiles(Path.of("transform"), files, docs)));
    Harness broken = new Harness(spec);
    dropUserTables(spec);
    broken.insert(SeedScenario.events());

    Map<String, String> failures = runAll(broken, broken.runner, spec, false, true);

    assertThat(failures.keySet()).containsExactlyInAnyOrder("broken.syntax", "broken.unknown_ref", "broken.bad_column",
        "broken.unknown_test", "checked.currencies", "broken.cycle_a", "broken.cycle_b");
    // a cycle between two models: each says which ref closes it, one line naming its file and line
    assertThat(failures.get("broken.cycle_a")).contains("broken/cycle_a.sql:2: ref('broken.cycle_b') closes a cycle"
        + " between models: ").doesNotContain("\n");
    assertThat(failures.get("broken.cycle_b")).contains("broken/cycle_b.sql:2: ref('broken.cycle_a') closes a cycle"
        + " between models: ").doesNotContain("\n");
    assertThat(failures.get("broken.unknown_test")).contains("checked/schema.yml: model unknown_test, column id,"
        + " test uniqe: unknown test; supported: unique, not_null, accepted_values, relationships,"
        + " dbt_utils.unique_combination_of_columns, dbt_utils.expression_is_true; did you mean:"
        + " unique").doesNotContain("\n");
    // the mart itself was written; its failing checks are reported with counts and samples
    assertThat(broken.read("checked.currencies")).hasSize(5);
    assertThat(failures.get("checked.currencies")).startsWith("check failed: accepted_values currency: 3 rows"
        + " (e.g. GBP, JPY, JPY); not_null nope: could not run: line ").endsWith("Column 'nope' cannot be resolved")
        .doesNotContain("\n");
    AssetCheckReport report = checks(broken, spec, "checked.currencies", new CheckRequest("it", false, null, null));
    assertThat(report.failed()).extracting(AssetCheckResult::describe).containsExactly(
        "accepted_values currency: 3 rows (e.g. GBP, JPY, JPY)", "relationships currency → user_balances: 3 rows"
            + " (e.g. GBP, JPY, JPY)", failures.get("checked.currencies").substring(failures.get("checked.currencies")
            .indexOf("not_null nope")));
    assertThat(broken.query("SELECT check_name, failing_rows, array_join(sample, ', ') FROM " + CheckResultsSql.TABLE
        + " WHERE asset = 'checked.currencies' AND run_id = 'it' AND NOT passed AND severity = 'warn'"))
        .containsExactly(List.of("relationships currency → user_balances", "3", "GBP, JPY, JPY"));
    assertThat(failures.get("broken.syntax")).contains("broken/syntax.sql:2: ").doesNotContain("\n");
    assertThat(failures.get("broken.unknown_ref")).contains("broken/unknown_ref.sql:2: ref('data_vault.s_acounts')"
        + " names no asset; did you mean: data_vault.s_accounts");
    // Trino's "line 2:8" of the CREATE ... AS is line 2, column 8 of the file too (its first line is the config)
    assertThat(failures.get("broken.bad_column")).contains("no_such_column")
        .contains("(user model broken/bad_column.sql:2:8)")
        .contains("not retried");
    assertThat(broken.read(CHANGES)).hasSize(3);
    assertThat(broken.query("SELECT table_type FROM iceberg.information_schema.tables WHERE table_schema = 'checked'"
        + " AND table_name = 'user_emails'")).containsExactly(List.of("VIEW"));
    assertThat(broken.read("checked.user_emails")).hasSize(5); // a row per s_users row of the seed
    assertThat(broken.read(BALANCES)).hasSize(2);
    // a failure the activity reports is not retried: the file must be fixed
    assertThatThrownBy(() -> broken.runner.materialize("broken.unknown_ref", "it", false))
        .isInstanceOf(IllegalArgumentException.class);
    ApplicationFailure f = TrinoErrors.of("broken.unknown_ref", "materialize",
        new IllegalArgumentException(spec.userModel("broken.unknown_ref").orElseThrow().problem().orElseThrow()));
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(Arrays.asList(failures.values().toArray())).hasSize(7);
    sqlCheckSamplesAreTheFiveSmallestKeys(broken, spec);
  }

  /**
   * A {@code sql} check's sample is the five smallest failing keys (as text), the same in the first check run of a
   * worker (its column count probed first), a later one (known), and alone after the asset's statement failed (a
   * division by zero in another check of the model).
   */
  private static void sqlCheckSamplesAreTheFiveSmallestKeys(Harness broken, PipelineSpec spec) throws SQLException {
    List<String> smallest = List.of("1", "10", "11", "2", "3");
    String lessThanZero = "expression_is_true k < 0";
    // the run's check (runAll: a new runner, as in a worker just started)
    assertThat(broken.query("SELECT failing_rows, array_join(sample, ',') FROM " + CheckResultsSql.TABLE
        + " WHERE asset = 'checked.keys' AND run_id = 'it-user'")).containsExactly(List.of("8", "1,10,11,2,3"));
    CheckRunner runner = new CheckRunner(new CheckSql(spec), broken.trino, Clock.systemUTC());
    for (int run = 0; run < 2; run++) {
      assertThat(runner.evaluate("checked.keys", new CheckRequest("it", false, null, null), st -> { }).results())
          .singleElement().satisfies(r -> {
            assertThat(r.check()).isEqualTo(lessThanZero);
            assertThat(r.failingRows()).isEqualTo(8);
            assertThat(r.sample()).isEqualTo(smallest);
          });
    }
    List<AssetCheckResult> divided = runner.evaluate("checked.keys_divided",
        new CheckRequest("it", false, null, null), st -> { }).results();
    assertThat(divided).filteredOn(r -> r.check().equals(lessThanZero)).singleElement()
        .satisfies(r -> assertThat(r.sample()).isEqualTo(smallest));
    assertThat(divided).filteredOn(r -> !r.check().equals(lessThanZero)).singleElement()
        .satisfies(r -> assertThat(r.message()).startsWith("could not run: ").contains("Division by zero")
            .endsWith("(in the check's query SELECT * FROM {{ this }} WHERE NOT (k / (k - 7) > -100))"));
  }
}
