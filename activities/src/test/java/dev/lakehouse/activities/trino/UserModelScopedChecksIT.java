package dev.lakehouse.activities.trino;

import static dev.lakehouse.activities.trino.SeedScenario.ACCOUNT_BRUCE;
import static dev.lakehouse.activities.trino.SeedScenario.ACCOUNT_CLARK;
import static dev.lakehouse.activities.trino.SeedScenario.lsn;
import static dev.lakehouse.activities.trino.UserModelsIT.account;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.models.CheckSql;
import dev.lakehouse.models.WrittenRowsSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.usermodels.UserModelCompiler;
import dev.lakehouse.spec.usermodels.UserModelFiles;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRequest;
import dev.lakehouse.workflows.activities.MaterializeResult;
import io.trino.jdbc.TrinoResultSet;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After an incremental run of a user model, its checks read only the rows the run wrote (docs/models.md#checks), on
 * real Trino: a bad row written by hand outside the runs is not reported by the run's checks but is by the checks of
 * the whole table ({@code lakehouse checks --full}); a bad row the run wrote is reported, and a key it wrote is
 * compared with the whole table. Once the table changed after the run, its checks read the whole table. What a run
 * wrote is recorded with it in {@code ops.materializations}, so a worker that started since (no memory of the run)
 * checks the same rows, also on a table an older version created. A {@code table} model's checks read its whole
 * table after every run.
 */
class UserModelScopedChecksIT {
  static final String SEEN = "checked.balances_seen";
  static final String REBUILT = "checked.balances_rebuilt";
  /** Every check of {@link #SEEN} fails on the hand-written rows; its ledger column is 'hand' for them. */
  static final List<String> SEEN_CHECKS = List.of("not_null source_lsn", "unique source_lsn", "unique ledger",
      "relationships h_accounts_hk → h_accounts", "accepted_values currency", "expression_is_true balance >= 0");

  Harness h;
  CheckRunner checks;

  @BeforeEach
  void setUp() throws Exception {
    PipelineSpec pipeline = ItStack.spec().withUserModels(List.of());
    List<UserModelFiles.File> files = List.of(
        // a negative balance gives a currency the tests refuse; a balance of 999 the ledger 'hand' of the bad rows
        new UserModelFiles.File("checked/balances_seen.sql", """
            {{ config(materialized='incremental', unique_key='source_lsn', incremental_strategy='merge') }}
            select s.h_accounts_hk, case when s.balance < 0 then 'XXX' else s.currency end as currency, s.balance,
              s.source_lsn, case when s.balance = 999 then 'hand' else cast(s.source_lsn as varchar) end as ledger
            from {{ ref('data_vault.s_accounts') }} s
            {% if is_incremental() %}
            where {{ new_rows('data_vault.s_accounts', 's') }}
            {% endif %}
            """),
        new UserModelFiles.File("checked/balances_rebuilt.sql", """
            {{ config(materialized='table') }}
            select case when s.balance = 100 then 'GBP' else s.currency end as currency, s.source_lsn
            from {{ ref('data_vault.s_accounts') }} s
            """));
    List<UserModelFiles.File> docs = List.of(new UserModelFiles.File("checked/schema.yml", """
        version: 2
        models:
          - name: balances_seen
            tests:
              - dbt_utils.expression_is_true: {expression: "balance >= 0"}
            columns:
              - name: source_lsn
                tests: [not_null, unique]
              - name: ledger
                tests: [unique]
              - name: h_accounts_hk
                tests:
                  - relationships: {to: ref('data_vault.h_accounts'), field: h_accounts_hk}
              - name: currency
                tests:
                  - accepted_values: {values: [EUR, USD]}
          - name: balances_rebuilt
            columns:
              - name: currency
                tests:
                  - accepted_values: {values: [EUR, USD]}
        """));
    PipelineSpec spec = pipeline.withUserModels(new UserModelCompiler(pipeline).compile(
        new UserModelFiles(Path.of("transform"), files, docs)));
    h = new Harness(spec);
    h.reset();
    execute("DROP TABLE IF EXISTS iceberg." + SEEN);
    execute("DROP TABLE IF EXISTS iceberg." + REBUILT);
    checks = new CheckRunner(new CheckSql(spec), h.trino, Clock.systemUTC());
  }

  private void execute(String statement) throws SQLException {
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  /** Loads {@code events}, runs the vault, then {@code model}. */
  private MaterializeResult run(List<RawEvent> events, String model) throws SQLException {
    h.insert(events);
    h.runAll(false);
    return h.runner.materialize(model, "it-scoped", false);
  }

  /** The failing checks of a report, by name: failing rows and sample. */
  private static Map<String, String> failing(AssetCheckReport report) {
    Map<String, String> out = new TreeMap<>();
    for (AssetCheckResult r : report.results()) {
      assertThat(r.message()).as(r.check()).isNull();
      if (!r.passed()) {
        out.put(r.check(), r.failingRows() + " " + r.sample());
      }
    }
    return out;
  }

  @Test
  void anIncrementalRunsChecksReadTheRowsItWroteAndCompareItsKeysWithTheWholeTable() throws Exception {
    MaterializeResult first = run(List.of(account(0, 1, "c", ACCOUNT_BRUCE, "100.00"),
        account(1, 2, "c", ACCOUNT_CLARK, "50.00")), SEEN);
    assertThat(first.written()).as("a first run creates the table: whole-table checks").isNull();
    assertThat(failing(checks.evaluate(SEEN, CheckRequest.after("it", false, first), st -> { }))).isEmpty();

    // two bad rows written by hand, in no run: each check of the model fails on them
    execute("INSERT INTO iceberg." + SEEN + " VALUES ('no such account', 'GBP', -5, NULL, 'hand'),"
        + " ('no such account', 'EUR', 1, 7, 'hand'), ('no such account', 'EUR', 2, 7, 'h2')");

    // a run that writes one good row: its checks do not see the hand-written rows
    MaterializeResult second = run(List.of(account(2, 4, "u", ACCOUNT_BRUCE, "150.00")), SEEN);
    assertThat(second.rowsOut()).isEqualTo(1);
    assertThat(second.written()).isNotNull();
    assertThat(second.written().dataFiles()).isNotEmpty();
    assertThat(scopedRows(second)).as("the scoped rows, and Trino reads only their files").isEqualTo(1);
    assertThat(failing(checks.evaluate(SEEN, CheckRequest.after("it", false, second), st -> { }))).isEmpty();
    // ... which the whole table's checks report, every one of them
    Map<String, String> whole = failing(checks.evaluate(SEEN, new CheckRequest("it-full", true, null, null),
        st -> { }));
    assertThat(whole.keySet()).containsExactlyInAnyOrderElementsOf(SEEN_CHECKS);
    assertThat(whole).containsEntry("unique ledger", "1 [hand]").containsEntry("accepted_values currency", "1 [GBP]");

    // a run that writes bad rows: a negative balance (currency XXX) and a balance of 999, whose ledger 'hand' is
    // already in the table (outside the run's rows: found by comparing the run's keys with the whole table)
    MaterializeResult third = run(List.of(account(3, 5, "u", ACCOUNT_CLARK, "-7.00"),
        account(4, 6, "u", ACCOUNT_BRUCE, "999.00")), SEEN);
    assertThat(third.rowsOut()).isEqualTo(2);
    Map<String, String> scoped = failing(checks.evaluate(SEEN, CheckRequest.after("it", false, third), st -> { }));
    assertThat(scoped).containsOnlyKeys("accepted_values currency", "expression_is_true balance >= 0",
        "unique ledger");
    assertThat(scoped).containsEntry("accepted_values currency", "1 [XXX]").containsEntry("unique ledger",
        "1 [hand]").containsEntry("expression_is_true balance >= 0", "1 [" + ACCOUNT_CLARK_HK + "]");

    // a run with nothing new checks what the last one wrote again, the table being still as it left it
    MaterializeResult idle = h.runner.materialize(SEEN, "it-idle", false);
    assertThat(idle.rowsOut()).isZero();
    assertThat(failing(checks.evaluate(SEEN, CheckRequest.after("it", false, idle), st -> { }))).isEqualTo(scoped);

    // the table changed since (a commit by hand): the files no longer say what the latest write was, so the checks
    // read the whole table, for a later run's request and for the run's own
    execute("UPDATE iceberg." + SEEN + " SET balance = 3 WHERE ledger = 'h2'");
    assertThat(failing(checks.evaluate(SEEN, CheckRequest.after("it", false, idle), st -> { })).keySet())
        .containsExactlyInAnyOrderElementsOf(SEEN_CHECKS);
    assertThat(failing(checks.evaluate(SEEN, CheckRequest.after("it", false, third), st -> { })).keySet())
        .containsExactlyInAnyOrderElementsOf(SEEN_CHECKS);
    // three runs' rows (2 + 1 + 2) and the three written by hand
    assertThat(h.query("SELECT count(*) FROM iceberg." + SEEN)).containsExactly(List.of("8"));
  }

  /** A check runner of a worker that started since: it holds nothing in memory of earlier check runs. */
  private CheckRunner restarted() {
    return new CheckRunner(new CheckSql(h.spec), h.trino, Clock.systemUTC());
  }

  /** What {@code lakehouse checks} asks for (no {@code --full}): each model's latest batch. */
  private static final CheckRequest ON_DEMAND = new CheckRequest("it-checks", false, null, null);
  /** {@code lakehouse checks --full}. */
  private static final CheckRequest FULL = new CheckRequest("it-full", true, null, null);

  /** What the model's latest run recorded in ops.materializations it wrote: "snapshot files", or "null null". */
  private String recorded() throws SQLException {
    return String.join(" ", h.query("SELECT CAST(written_snapshot AS varchar), CAST(cardinality(written_files) AS"
        + " varchar) FROM iceberg.ops.materializations WHERE asset = '" + SEEN + "' AND status = 'succeeded'"
        + " ORDER BY finished_at DESC LIMIT 1").get(0));
  }

  @Test
  void afterAWorkerRestartTheChecksReadTheRowsTheLastRunRecordedItWrote() throws Exception {
    MaterializeResult first = run(List.of(account(0, 1, "c", ACCOUNT_BRUCE, "100.00"),
        account(1, 2, "c", ACCOUNT_CLARK, "50.00")), SEEN);
    assertThat(first.written()).isNull();
    assertThat(recorded()).as("a first run does not know: whole table").isEqualTo("null null");
    execute("INSERT INTO iceberg." + SEEN + " VALUES ('no such account', 'GBP', -5, NULL, 'hand'),"
        + " ('no such account', 'EUR', 1, 7, 'hand'), ('no such account', 'EUR', 2, 7, 'h2')");

    // a run that writes one good row, then workers that started since: what the run wrote is read back from
    // ops.materializations, for a run with nothing new (on a new worker too) and for lakehouse checks
    MaterializeResult second = run(List.of(account(2, 4, "u", ACCOUNT_BRUCE, "150.00")), SEEN);
    assertThat(recorded()).isEqualTo(second.written().snapshotId() + " " + second.written().dataFiles().size());
    MaterializeResult idle = new Harness(h.spec).runner.materialize(SEEN, "it-idle", false);
    assertThat(idle.rowsOut()).isZero();
    assertThat(idle.written()).isNull();
    assertThat(failing(restarted().evaluate(SEEN, CheckRequest.after("it-idle", false, idle), st -> { }))).isEmpty();
    assertThat(failing(restarted().evaluate(SEEN, ON_DEMAND, st -> { }))).isEmpty();
    // ... while the whole table's checks report the rows written by hand, every check
    assertThat(failing(restarted().evaluate(SEEN, FULL, st -> { })).keySet())
        .containsExactlyInAnyOrderElementsOf(SEEN_CHECKS);

    // a run that writes bad rows: a worker that started since reports exactly those, as the run's own checks do
    MaterializeResult third = run(List.of(account(3, 5, "u", ACCOUNT_CLARK, "-7.00"),
        account(4, 6, "u", ACCOUNT_BRUCE, "999.00")), SEEN);
    Map<String, String> scoped = failing(checks.evaluate(SEEN, CheckRequest.after("it", false, third), st -> { }));
    assertThat(scoped).containsOnlyKeys("accepted_values currency", "expression_is_true balance >= 0",
        "unique ledger");
    assertThat(failing(restarted().evaluate(SEEN, ON_DEMAND, st -> { }))).isEqualTo(scoped);

    // a commit since (by hand): what the run recorded is no longer the latest write, so the whole table
    execute("UPDATE iceberg." + SEEN + " SET balance = 3 WHERE ledger = 'h2'");
    assertThat(failing(restarted().evaluate(SEEN, ON_DEMAND, st -> { })).keySet())
        .containsExactlyInAnyOrderElementsOf(SEEN_CHECKS);
  }

  @Test
  void onAnOpsTableFromBeforeWhatRunsWroteTheChecksReadTheWholeTableUntilARunRecordsIt() throws Exception {
    run(List.of(account(0, 1, "c", ACCOUNT_BRUCE, "100.00"), account(1, 2, "c", ACCOUNT_CLARK, "50.00")), SEEN);
    execute("INSERT INTO iceberg." + SEEN + " VALUES ('no such account', 'GBP', -5, NULL, 'hand'),"
        + " ('no such account', 'EUR', 1, 7, 'hand'), ('no such account', 'EUR', 2, 7, 'h2')");
    // the table as an older version left it: its rows without the columns of what a run wrote
    execute("ALTER TABLE iceberg.ops.materializations DROP COLUMN written_snapshot");
    execute("ALTER TABLE iceberg.ops.materializations DROP COLUMN written_files");
    assertThat(writtenColumns()).isZero();
    assertThat(failing(restarted().evaluate(SEEN, ON_DEMAND, st -> { })).keySet())
        .as("not known: the whole table, no error").containsExactlyInAnyOrderElementsOf(SEEN_CHECKS);

    // the next run, on the worker that added the columns before they went: its insert is refused, it adds them
    // again and records what it wrote
    MaterializeResult second = run(List.of(account(2, 4, "u", ACCOUNT_BRUCE, "150.00")), SEEN);
    assertThat(writtenColumns()).isEqualTo(2);
    assertThat(recorded()).isEqualTo(second.written().snapshotId() + " " + second.written().dataFiles().size());
    assertThat(failing(restarted().evaluate(SEEN, ON_DEMAND, st -> { }))).isEmpty();
    assertThat(failing(restarted().evaluate(SEEN, FULL, st -> { })).keySet())
        .containsExactlyInAnyOrderElementsOf(SEEN_CHECKS);
  }

  private long writtenColumns() throws SQLException {
    return Long.parseLong(h.query("SELECT count(*) FROM iceberg.information_schema.columns WHERE table_schema ="
        + " 'ops' AND table_name = 'materializations' AND column_name LIKE 'written%'").get(0).get(0));
  }

  /** Clark's account's hash key: the model's first column, the sample of its expression check. */
  private static final String ACCOUNT_CLARK_HK = SeedScenario.H_ACCOUNT_CLARK;

  /**
   * The rows the run's checks read, and that Trino's scan read only those files (its processed rows, the written
   * rows, not the table's).
   */
  private long scopedRows(MaterializeResult r) throws SQLException {
    String scope = WrittenRowsSql.scope(SEEN, r.written());
    try (Connection c = h.trino.open(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM (" + scope + ")")) {
      rs.next();
      long n = rs.getLong(1);
      assertThat(rs.next()).isFalse();
      assertThat(rs.unwrap(TrinoResultSet.class).getStats().getProcessedRows()).isEqualTo(n);
      return n;
    }
  }

  @Test
  void aTableModelsChecksReadItsWholeTableAfterEveryRun() throws Exception {
    // Bruce's first balance (100) gives the refused currency GBP; after a run that adds only Clark's rows, the
    // rebuilt table still holds it, and the run's checks report it
    MaterializeResult first = run(List.of(account(0, 1, "c", ACCOUNT_BRUCE, "100.00")), REBUILT);
    assertThat(first.written()).isNull();
    assertThat(failing(checks.evaluate(REBUILT, CheckRequest.after("it", false, first), st -> { })))
        .containsExactly(Map.entry("accepted_values currency", "1 [GBP]"));
    MaterializeResult second = run(List.of(account(1, 2, "c", ACCOUNT_CLARK, "50.00")), REBUILT);
    assertThat(second.written()).isNull();
    assertThat(failing(checks.evaluate(REBUILT, CheckRequest.after("it", false, second), st -> { })))
        .containsExactly(Map.entry("accepted_values currency", "1 [GBP]"));
    assertThat(h.query("SELECT source_lsn FROM iceberg." + REBUILT + " WHERE currency = 'GBP'"))
        .containsExactly(List.of(lsn(1)));
  }
}
