package dev.lakehouse.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.assets.AssetGraph;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model's lag includes what is pending upstream; a missing input is a problem, not fresh. */
class ModelLagsTest {
  static final PipelineSpec SPEC = SpecLoader.load();
  static final AssetGraph GRAPH = AssetGraph.fromSpec(SPEC);
  static final Instant WRITTEN = Instant.parse("2026-12-06T07:00:00Z");
  static final Instant COMMITTED = Instant.parse("2026-12-06T07:00:04Z");

  @Test
  void aVaultModelIsStaleWhileItsParsedInputIsAndSinceTheSnapshotThatCommittedTheRow() throws Exception {
    List<String> asked = new ArrayList<>();
    List<ModelLags.Lag> lags = ModelLags.read(new ModelSql(SPEC), GRAPH, Map.of(), sql -> {
      asked.add(sql);
      if (sql.contains("$snapshots")) {
        return List.<Object[]>of(new Object[] {COMMITTED});
      }
      if (sql.startsWith("SELECT count(*), min(ingested_at) FROM (SELECT ingested_at FROM "
          + ModelSql.table("raw_data.users"))) {
        return List.<Object[]>of(new Object[] {3L, WRITTEN}); // parsed_users reads raw directly: 3 rows behind
      }
      if (sql.contains(ModelSql.table("raw_data.accounts")) && !sql.contains("JOIN")) {
        return null; // as if raw_data.accounts did not exist
      }
      return List.<Object[]>of(new Object[] {0L, null});
    });
    Map<String, ModelLags.Lag> byAsset = new java.util.HashMap<>();
    lags.forEach(l -> byAsset.put(l.asset(), l));
    assertThat(byAsset.get("parsed_data.parsed_users")).isEqualTo(
        new ModelLags.Lag("parsed_data.parsed_users", 3, COMMITTED, null));
    assertThat(byAsset.get("data_vault.s_users")).as("stale through its upstream parse model")
        .isEqualTo(new ModelLags.Lag("data_vault.s_users", 3, COMMITTED, null));
    assertThat(byAsset.get("parsed_data.parsed_accounts").problem()).contains("does not exist");
    assertThat(lags).hasSize(GRAPH.ofKind(dev.lakehouse.workflows.assets.AssetKind.MODEL).size());
    assertThat(ModelLags.rawTableOf(GRAPH, "data_vault.l_users_accounts")).isEqualTo("raw_data.accounts");
    assertThat(asked).anyMatch(q -> q.contains("JOIN"));
  }
}
