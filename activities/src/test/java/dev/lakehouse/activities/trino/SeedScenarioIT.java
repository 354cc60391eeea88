package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.activities.MaterializeResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed's scenario on real Trino gives exactly the expected Data Vault; re-runs and full refresh change nothing. */
class SeedScenarioIT {
  Harness h;

  @BeforeEach
  void reset() throws Exception {
    h = new Harness(ItStack.spec());
    h.reset();
  }

  @Test
  void seedScenarioGivesExactlyTheExpectedVault() throws Exception {
    List<RawEvent> events = SeedScenario.events();
    // two checkpoints: the first five statements, then the rest
    h.insert(events.subList(0, 5));
    h.runAll(false);
    h.insert(events.subList(5, events.size()));
    List<MaterializeResult> second = h.runAll(false);
    assertThat(second).filteredOn(r -> r.assetKey().equals("parsed_data.parsed_users")).singleElement()
        .satisfies(r -> {
          assertThat(r.rowsIn()).isEqualTo(3);
          assertThat(r.rowsOut()).isEqualTo(3);
        });

    Map<String, List<List<String>>> actual = h.readAll();
    SeedScenario.expectedVault().forEach((table, rows) ->
        assertThat(actual.get(table)).as(table).containsExactlyInAnyOrderElementsOf(rows));
    assertThat(actual.get("data_vault.h_users")).hasSize(3);
    assertThat(actual.get("data_vault.h_accounts")).hasSize(2);
    assertThat(actual.get("data_vault.l_users_accounts")).hasSize(2);
    assertThat(actual.get("data_vault.s_users")).hasSize(5);
    assertThat(actual.get("data_vault.s_accounts")).hasSize(3);
    assertSameTables(actual, h.oracle.tables(events));

    // business views: latest non-deleted row per key
    assertThat(h.query("SELECT CAST(id AS varchar), name FROM iceberg.data_vault.v_users_current"))
        .containsExactlyInAnyOrder(List.of(SeedScenario.BRUCE, "Bruce Wayne"), List.of(SeedScenario.CLARK, "Clark Kent"));
    assertThat(h.query("SELECT CAST(id AS varchar), CAST(balance AS varchar) FROM iceberg.data_vault.v_accounts_current"))
        .containsExactlyInAnyOrder(List.of(SeedScenario.ACCOUNT_BRUCE, "1001.25"),
            List.of(SeedScenario.ACCOUNT_CLARK, "3000.00"));
    // point in time (docs/models.md): Clark's balance as of just after statement 4
    assertThat(h.query("SELECT CAST(balance AS varchar) FROM (SELECT s.*, row_number() OVER (PARTITION BY"
        + " h_accounts_hk ORDER BY source_lsn DESC) AS recency FROM iceberg.data_vault.s_accounts s"
        + " WHERE effective_from <= TIMESTAMP '2026-11-24 10:00:04.500 UTC') WHERE recency = 1 AND NOT is_deleted"
        + " AND h_accounts_hk = '" + SeedScenario.H_ACCOUNT_CLARK + "'")).containsExactly(List.of("2500.00"));

    // nothing new: a re-run writes nothing
    List<MaterializeResult> again = h.runAll(false);
    assertThat(again).allSatisfy(r -> assertThat(r.rowsOut()).as(r.assetKey()).isZero());
    assertSameTables(h.readAll(), actual);

    // full refresh of everything: the same tables
    h.runAll(true);
    assertSameTables(h.readAll(), actual);
  }

  static void assertSameTables(Map<String, List<List<String>>> actual, Map<String, List<List<String>>> expected) {
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((table, rows) ->
        assertThat(actual.get(table)).as(table).containsExactlyInAnyOrderElementsOf(rows));
  }
}
