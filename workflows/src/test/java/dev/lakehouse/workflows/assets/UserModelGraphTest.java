package dev.lakehouse.workflows.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.SpecLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checkout's user models (transform/marts) in the asset graph: their refs are edges, selections reach them, and
 * their schema.yml relationships tests wait for the models they read.
 */
class UserModelGraphTest {
  private final AssetGraph graph = AssetGraph.fromSpec(SpecLoader.load());

  @Test
  void refsAreEdgesAndUserModelsAreModels() {
    assertThat(graph.asset("marts.user_balances")).hasValueSatisfying(a -> {
      assertThat(a.kind()).isEqualTo(AssetKind.MODEL);
      assertThat(a.upstream()).containsExactlyInAnyOrder("data_vault.s_accounts", "data_vault.s_users",
          "data_vault.l_users_accounts", "data_vault.h_users");
    });
    assertThat(graph.asset("marts.account_balance_changes").orElseThrow().upstream())
        .containsExactly("data_vault.s_accounts");
    assertThat(graph.toMermaid()).contains("\"marts.user_balances\"");
    List<String> order = graph.keys();
    assertThat(order.indexOf("marts.user_balances")).isGreaterThan(order.indexOf("data_vault.s_users"));
  }

  @Test
  void selectionsReachUserModels() {
    // a new raw row runs everything downstream of it: the marts too (the sensors request raw_data.<t>+)
    assertThat(graph.select("raw_data.accounts+")).contains("marts.user_balances", "marts.account_balance_changes");
    assertThat(graph.select("raw_data.users+")).contains("marts.user_balances")
        .doesNotContain("marts.account_balance_changes");
    assertThat(graph.select("+marts.account_balance_changes")).containsExactly("connector:bank",
        "topic:bank.public.accounts", "topic:bank.public.users", "flink:ingest", "raw_data.accounts",
        "parsed_data.parsed_accounts", "data_vault.s_accounts", "marts.account_balance_changes");
    assertThat(graph.select("marts.*")).containsExactly("marts.account_balance_changes", "marts.user_balances");
    MaterializePlan plan = graph.plan("data_vault.s_accounts+");
    assertThat(plan.steps()).extracting(MaterializePlan.Step::assetKey).containsExactly("data_vault.s_accounts",
        "marts.account_balance_changes", "marts.user_balances");
    assertThat(plan.steps().get(1).upstream()).containsExactly("data_vault.s_accounts");
  }

  @Test
  void anEagerSelectionLeavesOutAModelWithACronOfItsOwn() {
    // transform/marts/user_balances.sql has config(cron=...): the sensors' runs leave it to its schedule
    assertThat(graph.scheduled("marts.user_balances")).isTrue();
    assertThat(graph.scheduled("marts.account_balance_changes")).isFalse();
    assertThat(graph.plan("eager:raw_data.accounts").assetKeys()).containsExactly("parsed_data.parsed_accounts",
        "data_vault.h_accounts", "data_vault.l_users_accounts", "data_vault.s_accounts",
        "marts.account_balance_changes");
    assertThat(graph.plan("eager:raw_data.users").assetKeys()).containsExactly("parsed_data.parsed_users",
        "data_vault.h_users", "data_vault.s_users");
    // its schedule's selection: the model itself and what is eager below it
    assertThat(graph.plan("eager:marts.user_balances").assetKeys()).containsExactly("marts.user_balances");
    // a plain + still reaches it
    assertThat(graph.select("raw_data.users+")).contains("marts.user_balances");
    assertThatThrownBy(() -> graph.select("eager:nothing")).isInstanceOf(SelectionException.class)
        .hasMessageContaining("selection 'eager:nothing' matches no asset");
    assertThatThrownBy(() -> graph.select("eager:raw_data.users+")).isInstanceOf(SelectionException.class)
        .hasMessageContaining("malformed term");
  }

  @Test
  void aRelationshipsTestWaitsForTheModelItReads() {
    // schema.yml: account_balance_changes.h_accounts_hk relates to h_accounts, which s_accounts does not depend on
    MaterializePlan plan = graph.plan("data_vault.h_accounts,data_vault.s_accounts+");
    assertThat(plan.steps()).filteredOn(s -> s.assetKey().equals("marts.account_balance_changes")).singleElement()
        .satisfies(s -> assertThat(s.checkAfter()).containsExactly("data_vault.h_accounts"));
    assertThat(graph.plan("marts.*").steps()).allSatisfy(s -> assertThat(s.checkAfter()).isEmpty());
  }
}
