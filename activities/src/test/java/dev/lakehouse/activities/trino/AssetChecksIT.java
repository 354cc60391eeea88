package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.models.CheckResultsSql;
import dev.lakehouse.models.Sql;
import dev.lakehouse.models.VaultHash;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecException;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.workflows.AssetChecksInput;
import dev.lakehouse.workflows.AssetChecksOutcome;
import dev.lakehouse.workflows.AssetChecksWorkflow;
import dev.lakehouse.workflows.MaterializeInput;
import dev.lakehouse.workflows.MaterializeOutcome;
import dev.lakehouse.workflows.MaterializeWorkflow;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.assets.AssetGraph;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks inside real runs: MaterializeWorkflow on Temporal's test server with the real model and check activities
 * on the stack's Trino. The seed passes every built-in check; a duplicate hub row and an orphan link row make
 * their checks fail with the right counts and keys, the failing hub's downstream satellite is skipped, and
 * ops.asset_checks (what {@code lakehouse status} reads) says so; once the bad rows are gone the next run passes.
 */
class AssetChecksIT {
  static final String QUEUE = "checks-it";
  static final String GHOST = "0e1d2c3b-4a59-4687-9786-a5b4c3d2e1f0";
  static final String ACCOUNT_GHOST = "1f2e3d4c-5b6a-4798-8897-b6c5d4e3f201";
  static final String HAND_GHOST = "2a3b4c5d-6e7f-4081-9192-a3b4c5d6e7f8";
  static final String BAD_SQL = "column that does not exist";
  /** A sql check that runs until an account's balance is 1.00 (the ghost account of step 2), then fails in Trino. */
  static final String DIVIDES = "balance over balance minus one";

  PipelineSpec spec;
  Harness h;
  TestWorkflowEnvironment env;
  int runs;

  /**
   * The IT stack's spec with s_users downstream of h_users and three warn sql checks on s_accounts: one reading a
   * column that does not exist, one that passes, one that runs on the seed and fails in Trino once step 2 adds a
   * balance of 1.00 (after the first run it is inside the one statement of the asset's checks, which then fails).
   */
  static PipelineSpec spec() {
    Map<String, Object> o = new HashMap<>(Boolean.getBoolean("lakehouse.it.external") ? Map.of()
        : LakehouseStackExtension.configOverrides());
    o.put("lakehouse.satellites.s_users.depends-on", List.of("h_users"));
    o.put("lakehouse.checks.data_vault.s_accounts", List.of(
        Map.of("kind", "sql", "name", BAD_SQL, "severity", "warn", "sql", "SELECT emial FROM {{ this }}"),
        Map.of("kind", "sql", "name", "negative balance", "severity", "warn",
            "sql", "SELECT h_accounts_hk, balance FROM {{ this }} WHERE balance < 0"),
        Map.of("kind", "sql", "name", DIVIDES, "severity", "warn",
            "sql", "SELECT h_accounts_hk FROM {{ this }} WHERE balance / (balance - 1) < 0")));
    return SpecLoader.load(o);
  }

  @BeforeEach
  void setUp() throws Exception {
    spec = spec();
    h = new Harness(spec);
    h.reset();
    execute("DROP TABLE IF EXISTS " + CheckResultsSql.TABLE);
    env = Harness.workflows(spec, QUEUE);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private MaterializeOutcome run() {
    String id = "checks-it-run-" + (++runs);
    return env.getWorkflowClient().newWorkflowStub(MaterializeWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(QUEUE).setWorkflowId(id).build())
        .run(new MaterializeInput(AssetGraph.fromSpec(spec).plan(null), false));
  }

  private void execute(String... statements) throws Exception {
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  /** Every result of every report, by "asset: check". */
  private static Map<String, AssetCheckResult> byName(List<AssetCheckReport> reports) {
    Map<String, AssetCheckResult> out = new HashMap<>();
    reports.forEach(r -> r.results().forEach(x -> out.put(r.assetKey() + ": " + x.check(), x)));
    return out;
  }

  @Test
  void badRowsFailTheirChecksSkipDownstreamAndPassOnceRemoved() throws Exception {
    String hUsers = Sql.table("data_vault", "h_users");
    String link = Sql.table("data_vault", "l_users_accounts");
    String ghostHk = h.query("SELECT " + VaultHash.hashKey(List.of(Sql.string(GHOST)))).get(0).get(0);

    // 1. the seed passes every built-in check; the sql check says clearly why it could not run
    h.insert(SeedScenario.events());
    Map<String, AssetCheckResult> seed = byName(run().checks());
    // 16 of the generated models, 12 of the marts' schema.yml tests (transform/marts), each after its model
    assertThat(seed).hasSize(28).containsKeys("marts.user_balances: relationships user_id → h_users",
        "marts.account_balance_changes: unique source_lsn", "marts.user_balances: unique user_id, currency",
        "marts.user_balances: expression_is_true accounts > 0");
    assertThat(seed).allSatisfy((name, r) -> assertThat(r.passed()).as(name).isEqualTo(!name.endsWith(BAD_SQL)));
    assertThat(seed.get("data_vault.s_accounts: " + BAD_SQL).message())
        .startsWith("could not run: line ").contains("Column 'emial' cannot be resolved")
        .endsWith("(in the check's query SELECT emial FROM {{ this }})");

    // 2. a duplicate hub row by hand; Bruce renamed again and an account of a user the source never sent
    execute("INSERT INTO " + hUsers + " SELECT * FROM " + hUsers + " WHERE id = " + Sql.string(SeedScenario.BRUCE));
    h.insert(List.of(
        SeedScenario.event("users", 5, 9, "u", RawEvent.row("id", SeedScenario.BRUCE, "email", "bruce@wayne.com",
            "name", "Bruce T. Wayne", "created_at", SeedScenario.CREATED)),
        SeedScenario.event("accounts", 3, 10, "c", RawEvent.row("id", ACCOUNT_GHOST, "user_id", GHOST,
            "currency", "EUR", "balance", "1.00", "created_at", SeedScenario.CREATED))));
    long satRuns = h.count("ops.materializations WHERE asset = 'data_vault.s_users'");
    assertThatThrownBy(this::run).isInstanceOf(WorkflowFailedException.class).satisfies(e -> {
      ApplicationFailure f = (ApplicationFailure) e.getCause();
      assertThat(f.getType()).isEqualTo(FailureTypes.MATERIALIZATION_FAILED);
      assertThat(f.getOriginalMessage())
          .contains("asset data_vault.h_users failed: check failed: unique h_users_hk: 1 row (e.g. "
              + SeedScenario.H_BRUCE + "); unique id: 1 row (e.g. " + SeedScenario.BRUCE + ")")
          .doesNotContain("l_users_accounts failed") // a link to another table's hub warns: users arrive apart
          // the user SQL model over s_users (transform/marts/user_balances.sql) is downstream too
          .endsWith("skipped downstream: data_vault.s_users, marts.user_balances");
      AssetCheckReport linkReport = List.of(f.getDetails().get(1, AssetCheckReport[].class)).stream()
          .filter(r -> r.assetKey().equals("data_vault.l_users_accounts")).findFirst().orElseThrow();
      // the sql checks ran inside the asset's one statement, which Trino rejected (division by zero): each check
      // then ran alone, so only the one that cannot run fails, and every other result is as it would be alone
      AssetCheckReport accounts = List.of(f.getDetails().get(1, AssetCheckReport[].class)).stream()
          .filter(r -> r.assetKey().equals("data_vault.s_accounts")).findFirst().orElseThrow();
      assertThat(accounts.results()).hasSize(5).allSatisfy(r -> assertThat(r.passed()).as(r.check())
          .isEqualTo(!r.check().equals(BAD_SQL) && !r.check().equals(DIVIDES)));
      assertThat(accounts.results()).filteredOn(r -> r.check().equals(DIVIDES)).singleElement()
          .satisfies(r -> assertThat(r.message()).startsWith("could not run: ").contains("Division by zero")
              .endsWith("(in the check's query SELECT h_accounts_hk FROM {{ this }} WHERE balance / (balance - 1) < 0)"));
      assertThat(linkReport.summary()).isEqualTo("3 checks, 1 failing: relationships h_users_hk → h_users: 1 row (e.g. "
          + ghostHk + ") [warn]");
    });
    assertThat(h.count("ops.materializations WHERE asset = 'data_vault.s_users'")).as("s_users skipped")
        .isEqualTo(satRuns);
    // what `lakehouse status` reads: each asset's latest check run
    List<List<String>> latest = h.query(CheckResultsSql.latestQuery());
    assertThat(latest).filteredOn(r -> r.get(0).equals("data_vault.h_users") && r.get(4).equals("false"))
        .extracting(r -> r.get(1) + " " + r.get(5) + " " + r.get(6)).containsExactlyInAnyOrder(
            "unique h_users_hk 1 " + SeedScenario.H_BRUCE, "unique id 1 " + SeedScenario.BRUCE);
    assertThat(latest).filteredOn(r -> r.get(0).equals("data_vault.l_users_accounts") && r.get(4).equals("false"))
        .extracting(r -> r.get(1) + " " + r.get(5)).containsExactly("relationships h_users_hk → h_users 1");

    // 3. the bad rows removed: the next run passes and the satellite catches up
    execute("CREATE TABLE iceberg.data_vault.h_users_fix AS SELECT * FROM " + hUsers + " WHERE id = "
            + Sql.string(SeedScenario.BRUCE) + " LIMIT 1",
        "DELETE FROM " + hUsers + " WHERE id = " + Sql.string(SeedScenario.BRUCE),
        "INSERT INTO " + hUsers + " SELECT * FROM iceberg.data_vault.h_users_fix",
        "DROP TABLE iceberg.data_vault.h_users_fix",
        "DELETE FROM " + link + " WHERE h_users_hk = " + Sql.string(ghostHk));
    h.insert(List.of(SeedScenario.event("users", 6, 11, "u", RawEvent.row("id", SeedScenario.BRUCE,
        "email", "bruce@wayne.com", "name", "Bruce Wayne", "created_at", SeedScenario.CREATED))));
    MaterializeOutcome fixed = run();
    assertThat(fixed.results()).extracting(r -> r.assetKey()).contains("data_vault.s_users");
    // the ghost account (balance 1.00) is still there: the division keeps failing, alone
    assertThat(byName(fixed.checks())).hasSize(28).allSatisfy((name, r) -> assertThat(r.passed()).as(name)
        .isEqualTo(!name.endsWith(BAD_SQL) && !name.endsWith(DIVIDES)));
    assertThat(h.query("SELECT name FROM iceberg.data_vault.s_users WHERE name = 'Bruce T. Wayne'")).hasSize(1);

    // 4. on demand over whole tables, as `lakehouse checks --full` runs them: an orphan link row inserted by hand
    // (in no run's batch, so no run's checks look at it) fails the link's relationship to h_users
    String handHk = h.query("SELECT " + VaultHash.hashKey(List.of(Sql.string(HAND_GHOST)))).get(0).get(0);
    execute("INSERT INTO " + link + " SELECT 'hand-made link', " + Sql.string(handHk) + ", h_accounts_hk, load_ts,"
        + " record_source FROM " + link + " LIMIT 1");
    AssetChecksOutcome full = env.getWorkflowClient().newWorkflowStub(AssetChecksWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("checks-it-full").build())
        .run(new AssetChecksInput(new dev.lakehouse.models.ModelSql(spec).modelKeys(), true));
    assertThat(full.errors()).isEmpty();
    String orphan = "data_vault.l_users_accounts: relationships h_users_hk → h_users";
    assertThat(byName(full.reports())).hasSize(16).allSatisfy((name, r) -> assertThat(r.passed()).as(name)
        .isEqualTo(!name.endsWith(BAD_SQL) && !name.endsWith(DIVIDES) && !name.equals(orphan)));
    assertThat(byName(full.reports()).get(orphan)).satisfies(r -> {
      assertThat(r.failingRows()).isEqualTo(1);
      assertThat(r.sample()).containsExactly(handHk);
    });
  }

  @Test
  void aDeclaredCheckOnAColumnThatDoesNotExistIsRejectedWhenTheSpecLoads() {
    assertThatThrownBy(() -> SpecLoader.load(Map.of("lakehouse.checks.data_vault.h_users",
        List.of(Map.of("kind", "not_null", "column", "emial")))))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("lakehouse.checks.\"data_vault.h_users\"[0].column: unknown column 'emial' in"
            + " data_vault.h_users (known: h_users_hk, id, load_ts, record_source)");
  }
}
