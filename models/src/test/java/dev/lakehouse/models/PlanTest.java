package dev.lakehouse.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PlanTest {
  @Test
  void theBatchRunsFromTheWatermarkToTheHighestOffsetWithTheSmallestLsn() {
    Plan plan = Plan.of(Map.of(0, 41L), List.of(
        new Plan.Pending(0, 97, 56, OptionalLong.of(1_000_042)),
        new Plan.Pending(1, 12, 13, OptionalLong.of(1_000_007))));
    assertThat(plan.rowsIn()).isEqualTo(69);
    assertThat(plan.batch().range().toJson()).isEqualTo("{\"0\":[41,97],\"1\":[-1,12]}");
    assertThat(plan.batch().minLsn()).hasValue(1_000_007);
  }

  @Test
  void rowsWithoutAnLsnDoNotNarrowTheBound() {
    Plan plan = Plan.of(Map.of(), List.of(new Plan.Pending(0, 4, 5, OptionalLong.empty())));
    assertThat(plan.rowsIn()).isEqualTo(5);
    assertThat(plan.batch().minLsn()).isEmpty();
    assertThat(plan.batch().lsnBound("t")).isEmpty();
  }

  @Test
  void nothingPendingKeepsTheWatermarkAndReadsNothing() {
    Plan plan = Plan.of(Map.of(0, 4L, 1, 9L), List.of());
    assertThat(plan.rowsIn()).isZero();
    assertThat(plan.batch().range().isEmpty()).isTrue();
    assertThat(plan.batch().range().watermark()).isEqualTo(Map.of(0, 4L, 1, 9L));
    assertThat(plan.batch().filter(null)).isEqualTo("FALSE");
  }

  @Test
  void aBatchOverTheLimitIsCutToTheSameShareOfEachPartitionsOffsets() {
    // 1,000 rows: partition 0 offsets (41, 841] (800 rows), partition 1 (-1, 199] (200 rows); limit 100 = a tenth
    Plan plan = Plan.of(Map.of(0, 41L, 2, 5L), List.of(
        new Plan.Pending(0, 841, 800, OptionalLong.of(7)),
        new Plan.Pending(1, 199, 200, OptionalLong.of(9))));
    assertThat(plan.bounded(1_000)).as("fits").isEmpty();
    InputRange cut = plan.bounded(100).orElseThrow();
    assertThat(cut.toJson()).as("partition 2 has nothing new and keeps its watermark")
        .isEqualTo("{\"0\":[41,121],\"1\":[-1,19],\"2\":[5,5]}");
    // a tiny limit still moves every partition with rows by at least one offset
    assertThat(plan.bounded(1).orElseThrow().toJson()).isEqualTo("{\"0\":[41,42],\"1\":[-1,0],\"2\":[5,5]}");
    // the cut is planned from where the batch starts, the model's watermark
    assertThat(plan.batch().range().start()).isEqualTo(Map.of(0, 41L, 1, -1L, 2, 5L));
    Plan first = Plan.of(plan.batch().range().start(), List.of(new Plan.Pending(0, 121, 80, OptionalLong.of(7)),
        new Plan.Pending(1, 19, 20, OptionalLong.of(9))));
    assertThat(first.rowsIn()).isEqualTo(100);
    assertThat(first.batch().range()).isEqualTo(cut);
  }

  @Test
  void consecutiveBatchesReportTheRangeTheyReadTogether() {
    InputRange first = InputRange.fromJson("{\"0\":[41,121],\"1\":[-1,19],\"2\":[5,5]}");
    InputRange second = InputRange.fromJson("{\"0\":[121,841],\"1\":[19,199],\"3\":[-1,4]}");
    assertThat(first.through(second).toJson())
        .isEqualTo("{\"0\":[41,841],\"1\":[-1,199],\"2\":[5,5],\"3\":[-1,4]}");
  }

  @Test
  void aCutIsCountedLikeTheWholeBatchWithSnapshotReadsAtLsnZero() {
    ModelSql.Model model = new ModelSql(dev.lakehouse.spec.SpecLoader.load()).model("data_vault.s_users");
    InputRange cut = InputRange.fromJson("{\"0\":[41,121]}");
    String whole = ModelSql.pendingQuery(model, Map.of(0, 41L));
    String part = ModelSql.pendingQuery(model, cut);
    assertThat(part).contains(ParsedSql.ORDERING_LSN + " AS ordering_lsn").contains(cut.predicate());
    assertThat(part.substring(0, part.indexOf(" WHERE"))).isEqualTo(whole.substring(0, whole.indexOf(" WHERE")));
  }
}
