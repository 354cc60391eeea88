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
}
