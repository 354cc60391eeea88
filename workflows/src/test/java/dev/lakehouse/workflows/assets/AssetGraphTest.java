package dev.lakehouse.workflows.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.SpecLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssetGraphTest {
  // the spec's own pipeline; user models have UserModelGraphTest
  private final AssetGraph graph = AssetGraph.fromSpec(SpecLoader.load().withUserModels(java.util.List.of()));

  @Test
  void graphFromSpecMatchesTheDesign() {
    assertThat(graph.keys()).containsExactlyInAnyOrder(
        "connector:bank", "topic:bank.public.users", "topic:bank.public.accounts", "flink:ingest",
        "raw_data.users", "raw_data.accounts", "parsed_data.parsed_users", "parsed_data.parsed_accounts",
        "data_vault.h_users", "data_vault.h_accounts", "data_vault.l_users_accounts",
        "data_vault.s_users", "data_vault.s_accounts");
    assertThat(graph.asset("data_vault.l_users_accounts").orElseThrow())
        .isEqualTo(new Asset("data_vault.l_users_accounts", AssetKind.MODEL, List.of("parsed_data.parsed_accounts")));
    assertThat(graph.asset("flink:ingest").orElseThrow().kind()).isEqualTo(AssetKind.STREAM_JOB);
    assertThat(graph.asset("raw_data.users").orElseThrow().upstream())
        .containsExactly("flink:ingest", "topic:bank.public.users");
  }

  @Test
  void topologicalOrderPutsEveryUpstreamFirst() {
    List<String> keys = graph.keys();
    for (Asset a : graph.assets()) {
      for (String u : a.upstream()) {
        assertThat(keys.indexOf(u)).as(u + " before " + a.key()).isLessThan(keys.indexOf(a.key()));
      }
    }
    assertThat(keys.get(0)).isEqualTo("connector:bank");
  }

  @Test
  void cycleIsRejected() {
    assertThatThrownBy(() -> new AssetGraph(List.of(new Asset("a", AssetKind.MODEL, List.of("b")),
        new Asset("b", AssetKind.MODEL, List.of("a")))))
        .hasMessageContaining("cycle through [a, b]");
  }

  @Test
  void exactKey() {
    assertThat(graph.select("data_vault.s_users")).containsExactly("data_vault.s_users");
  }

  @Test
  void descendants() {
    assertThat(graph.select("raw_data.users+")).containsExactly(
        "raw_data.users", "parsed_data.parsed_users", "data_vault.h_users", "data_vault.s_users");
  }

  @Test
  void ancestors() {
    assertThat(graph.select("+data_vault.s_users")).containsExactlyInAnyOrder(
        "connector:bank", "topic:bank.public.users", "topic:bank.public.accounts", "flink:ingest",
        "raw_data.users", "parsed_data.parsed_users", "data_vault.s_users");
  }

  @Test
  void ancestorsAndDescendants() {
    assertThat(graph.select("+parsed_data.parsed_accounts+")).contains(
        "connector:bank", "raw_data.accounts", "parsed_data.parsed_accounts", "data_vault.h_accounts",
        "data_vault.s_accounts", "data_vault.l_users_accounts").doesNotContain("parsed_data.parsed_users");
  }

  @Test
  void kindAndGlobAndUnion() {
    assertThat(graph.select("kind:raw_table")).containsExactlyInAnyOrder("raw_data.users", "raw_data.accounts");
    assertThat(graph.select("raw_data.*")).containsExactlyInAnyOrder("raw_data.users", "raw_data.accounts");
    assertThat(graph.select("data_vault.s_*, data_vault.h_users")).containsExactlyInAnyOrder(
        "data_vault.s_users", "data_vault.s_accounts", "data_vault.h_users");
    assertThat(graph.select("kind:model")).hasSize(7);
    assertThat(graph.select("topic:*")).hasSize(2);
  }

  @Test
  void selectionMatchingNothingListsNearMatches() {
    assertThatThrownBy(() -> graph.select("data_vault.s_user"))
        .isInstanceOf(SelectionException.class)
        .hasMessageContaining("selection 'data_vault.s_user' matches no asset")
        .hasMessageContaining("did you mean: data_vault.s_users")
        .hasMessageContaining("valid keys: connector:bank");
    assertThatThrownBy(() -> graph.select("kind:view")).hasMessageContaining("unknown kind 'view'");
    assertThatThrownBy(() -> graph.select("a,,b")).hasMessageContaining("empty term");
    assertThatThrownBy(() -> graph.select("++x")).hasMessageContaining("malformed term");
  }

  @Test
  void checksWaitOnlyForModelsOfThePlanThatAreNotDownstream() {
    AssetGraph declared = AssetGraph.fromSpec(dev.lakehouse.spec.SpecLoader.fromConfig(
        com.typesafe.config.ConfigFactory.parseString("lakehouse.checks { \"parsed_data.parsed_users\" = ["
            + " { kind = relationships, column = id, to = h_users, field = id, severity = warn }"
            + " { kind = relationships, column = id, to = parsed_accounts, field = user_id, severity = warn } ] }")
            .withFallback(com.typesafe.config.ConfigFactory.parseResources("lakehouse.conf")), java.util.Map.of(),
        "test"));
    MaterializePlan all = declared.plan(null);
    // h_users is downstream of parsed_users: waiting for it would deadlock the run
    assertThat(all.steps().get(0).assetKey()).isEqualTo("parsed_data.parsed_accounts");
    assertThat(all.steps()).filteredOn(s -> s.assetKey().equals("parsed_data.parsed_users"))
        .extracting(MaterializePlan.Step::checkAfter).containsExactly(List.of("parsed_data.parsed_accounts"));
    assertThat(declared.plan("data_vault.s_users").steps().get(0).checkAfter()).isEmpty();
    assertThat(declared.plan("data_vault.l_users_accounts,data_vault.h_accounts").steps())
        .filteredOn(s -> s.assetKey().equals("data_vault.l_users_accounts"))
        .extracting(MaterializePlan.Step::checkAfter).containsExactly(List.of("data_vault.h_accounts"));
  }

  @Test
  void planKeepsOnlyModelsWithUpstreamInsideThePlan() {
    MaterializePlan plan = graph.plan("raw_data.users+");
    assertThat(plan.steps()).containsExactly(
        new MaterializePlan.Step("parsed_data.parsed_users", List.of()),
        new MaterializePlan.Step("data_vault.h_users", List.of("parsed_data.parsed_users")),
        new MaterializePlan.Step("data_vault.s_users", List.of("parsed_data.parsed_users"),
            List.of("data_vault.h_users")));
    assertThat(graph.plan(null).steps()).hasSize(7);
    assertThat(graph.plan("data_vault.s_users+").assetKeys()).containsExactly("data_vault.s_users");
  }

  @Test
  void mermaidAndDotMentionEveryEdge() {
    assertThat(graph.toMermaid()).startsWith("flowchart LR").contains("[\"data_vault.s_users\"]");
    assertThat(graph.toDot()).contains("\"parsed_data.parsed_users\" -> \"data_vault.s_users\";");
  }
}
