package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.models.CheckResultsSql;
import dev.lakehouse.models.CheckSql;
import dev.lakehouse.models.StatusSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.UserModelSpec;
import dev.lakehouse.spec.usermodels.UserModelCompiler;
import dev.lakehouse.spec.usermodels.UserModelFiles;
import dev.lakehouse.workflows.MaterializeInput;
import dev.lakehouse.workflows.MaterializeWorkflow;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.CheckRecord;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.assets.AssetGraph;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user model's error check failing inside a real run (docs/models.md#checks): MaterializeWorkflow on Temporal's
 * test server with the real model and check activities on the stack's Trino, the checkout's marts plus a mart whose
 * schema.yml test fails and a mart downstream of it. The failing mart's downstream is skipped, every other model
 * runs, the run fails naming both, and the run's check results, the failing one included, are in
 * {@code ops.asset_checks} in one commit; writing them again (a retry of the write) adds nothing.
 */
class UserModelCheckRunIT {
  static final String QUEUE = "user-model-checks-it";
  static final String RUN_ID = "user-model-checks-it-run";

  PipelineSpec spec;
  Harness h;
  TestWorkflowEnvironment env;

  /** The IT stack's spec with two more marts: checked.currencies, whose error test fails, and one reading it. */
  static PipelineSpec spec() {
    PipelineSpec pipeline = ItStack.spec().withUserModels(List.of());
    UserModelFiles checkout = UserModelFiles.read(Path.of("..", "transform")); // the marts and their schema.yml
    List<UserModelFiles.File> files = new ArrayList<>(checkout.models());
    files.add(new UserModelFiles.File("checked/currencies.sql", "{{ config(materialized='table') }}\n"
        + "select * from (values ('EUR', 1), ('GBP', 2), ('JPY', 3), ('JPY', 4)) t(currency, n)"));
    files.add(new UserModelFiles.File("checked/currency_totals.sql", "{{ config(materialized='table') }}\n"
        + "select currency, sum(n) as n from {{ ref('checked.currencies') }} group by currency"));
    List<UserModelFiles.File> docs = new ArrayList<>(checkout.docs());
    docs.add(new UserModelFiles.File("checked/schema.yml", """
        version: 2
        models:
          - name: currencies
            columns:
              - name: currency
                tests:
                  - accepted_values: {values: [EUR, USD]}
                  - not_null
        """));
    return pipeline.withUserModels(new UserModelCompiler(pipeline).compile(
        new UserModelFiles(checkout.directory(), files, docs)));
  }

  @BeforeEach
  void setUp() throws Exception {
    spec = spec();
    h = new Harness(spec);
    h.reset();
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      for (UserModelSpec m : spec.userModels()) {
        st.execute((m.materialized() == UserModelSpec.Materialization.VIEW ? "DROP VIEW IF EXISTS "
            : "DROP TABLE IF EXISTS ") + "iceberg." + m.key());
      }
      st.execute("DROP TABLE IF EXISTS " + CheckResultsSql.TABLE);
    }
    env = Harness.workflows(spec, QUEUE);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void aFailingErrorCheckOfAUserModelSkipsItsDownstreamFailsTheRunAndIsRecorded() throws Exception {
    assertThat(spec.userModel("checked.currencies")).isPresent();
    h.insert(SeedScenario.events());
    MaterializeWorkflow run = env.getWorkflowClient().newWorkflowStub(MaterializeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(RUN_ID).build());
    AtomicReference<ApplicationFailure> failure = new AtomicReference<>();

    assertThatThrownBy(() -> run.run(new MaterializeInput(AssetGraph.fromSpec(spec).plan(null), false)))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> failure.set((ApplicationFailure) e.getCause()));

    // the run failed naming the mart, its failing check and the skipped downstream mart
    ApplicationFailure f = failure.get();
    assertThat(f.getType()).isEqualTo(FailureTypes.MATERIALIZATION_FAILED);
    assertThat(f.getOriginalMessage()).isEqualTo("asset checked.currencies failed: check failed: accepted_values"
        + " currency: 3 rows (e.g. GBP, JPY, JPY) (LakehouseCheckFailed); skipped downstream: checked.currency_totals");
    // every other model ran, the checkout's marts included; the failing mart itself was written
    List<String> ran = List.of(f.getDetails().get(0, MaterializeResult[].class)).stream()
        .map(MaterializeResult::assetKey).toList();
    List<String> expected = new ArrayList<>(new dev.lakehouse.models.ModelSql(spec).modelKeys());
    expected.addAll(List.of("marts.user_balances", "marts.account_balance_changes"));
    assertThat(ran).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(h.read("checked.currencies")).hasSize(4);
    assertThat(h.read("marts.user_balances")).hasSize(2);
    assertThat(h.count("ops.materializations WHERE asset = 'checked.currency_totals'")).isZero();
    assertThat(h.query("SELECT count(*) FROM iceberg.information_schema.tables WHERE table_schema = 'checked'"
        + " AND table_name = 'currency_totals'")).containsExactly(List.of("0"));

    // the failed run recorded every result, the failing error check's too, in one commit at its end
    AssetCheckReport[] reports = f.getDetails().get(1, AssetCheckReport[].class);
    long results = List.of(reports).stream().mapToLong(r -> r.results().size()).sum();
    assertThat(results).isGreaterThan(14); // the generated models' 14 and the marts'
    assertThat(h.count("ops.asset_checks" + " WHERE run_id = '" + RUN_ID + "'"))
        .isEqualTo(results);
    assertThat(h.query("SELECT check_name, severity, failing_rows, array_join(sample, ', ') FROM "
        + CheckResultsSql.TABLE + " WHERE asset = 'checked.currencies' AND NOT passed"))
        .containsExactly(List.of("accepted_values currency", "error", "3", "GBP, JPY, JPY"));
    // one commit after the table's creation (Trino's CREATE TABLE commits the first, empty snapshot)
    assertThat(h.query("SELECT count(*) FROM iceberg.ops.\"asset_checks$snapshots\" WHERE parent_id IS NOT NULL"))
        .containsExactly(List.of("1"));
    // what `lakehouse status` reads: the mart's latest check run is this one
    assertThat(h.query(CheckResultsSql.latestQuery())).filteredOn(r -> r.get(0).equals("checked.currencies"))
        .extracting(r -> r.get(1) + " " + r.get(4) + " " + r.get(8)).containsExactlyInAnyOrder(
            "accepted_values currency false " + RUN_ID, "not_null currency true " + RUN_ID);

    // the write again, as a retry after a commit whose answer was lost: nothing twice; a new check run is added
    CheckRunner runner = new CheckRunner(new CheckSql(spec), h.trino, Clock.systemUTC());
    runner.record(new CheckRecord(RUN_ID, false, List.of(reports)), true);
    assertThat(h.count("ops.asset_checks" + " WHERE run_id = '" + RUN_ID + "'"))
        .isEqualTo(results);
    AssetCheckReport mart = List.of(reports).stream().filter(r -> r.assetKey().equals("checked.currencies"))
        .findFirst().orElseThrow();
    AssetCheckReport later = new AssetCheckReport(mart.assetKey(), mart.results().subList(1, 2),
        Instant.parse(mart.checkedAt()).plusSeconds(1).toString());
    runner.record(new CheckRecord(RUN_ID, false, List.of(mart, later)), true);
    assertThat(h.count("ops.asset_checks" + " WHERE run_id = '" + RUN_ID + "'")).isEqualTo(results + 1);

    // the console's checks table of the asset: the newest check run first
    List<List<String>> page = h.query(StatusSql.checksQuery("checked.currencies", 50));
    assertThat(page).hasSize(3).extracting(r -> r.get(10)).isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(page.get(0).get(1)).isEqualTo(later.results().get(0).check()).isEqualTo("not_null currency");
  }
}
