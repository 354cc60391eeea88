package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.bench.Report.IncrementalPoint;
import dev.lakehouse.bench.Report.Load;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncrementalScalingTest {
  @Test
  void aHistoryOverTheInsertLimitGoesInAsConsecutiveInsertsCoveringItOnce() {
    List<long[]> parts = IncrementalScaling.chunks(0, 10_000_000, IncrementalScaling.INSERT_MAX_EVENTS);
    assertThat(parts).hasSize(10);
    long next = 0;
    for (long[] p : parts) {
      assertThat(p[0]).isEqualTo(next);
      assertThat(p[1]).isPositive().isLessThanOrEqualTo(IncrementalScaling.INSERT_MAX_EVENTS);
      next = p[0] + p[1];
    }
    assertThat(next).isEqualTo(10_000_000);
  }

  @Test
  void aRemainderIsTheLastInsertAndASmallCountOne() {
    assertThat(IncrementalScaling.chunks(10_000_000, 2_500, 1_000)).containsExactly(new long[] {10_000_000, 1_000},
        new long[] {10_001_000, 1_000}, new long[] {10_002_000, 500});
    assertThat(IncrementalScaling.chunks(5, 1_000, 1_000_000)).containsExactly(new long[] {5, 1_000});
    assertThat(IncrementalScaling.chunks(5, 0, 1_000)).isEmpty();
  }

  @Test
  void aRatioOfTwoNamedHistoriesIsNaNWhenEitherIsMissing() {
    Load l = new Load(1, 1, 1);
    List<IncrementalPoint> points = List.of(
        new IncrementalPoint(10_000, 1, 1, 4.0, 1, 1, 1, Map.of(), l, 0, 0),
        new IncrementalPoint(1_000_000, 1, 1, 5.0, 1, 1, 1, Map.of(), l, 0, 0),
        new IncrementalPoint(10_000_000, 1, 1, 6.0, 1, 1, 1, Map.of(), l, 0, 0));
    assertThat(IncrementalScaling.ratio(points, 10_000_000, 10_000, IncrementalPoint::incrementalS)).isEqualTo(1.5);
    assertThat(IncrementalScaling.ratio(points, 1_000_000, 10_000, IncrementalPoint::incrementalS)).isEqualTo(1.25);
    assertThat(IncrementalScaling.ratio(points, 100_000, 10_000, IncrementalPoint::incrementalS)).isNaN();
    // largest against smallest, as before
    assertThat(IncrementalScaling.ratio(points, IncrementalPoint::incrementalS)).isEqualTo(1.5);
  }

  @Test
  void tenMillionIsAskedForAndTheQuickRunStaysAsItWas() {
    // 10M only with --histories: the stack's Trino heap does not hold its initial run yet
    assertThat(Plan.fullRun().histories()).containsExactly(10_000L, 100_000L, 1_000_000L);
    assertThat(Plan.quickRun().histories()).containsExactly(10_000L, 1_000_000L);
    // a full refresh is not measured on 10M (it would take as long again as the initial run)
    assertThat(IncrementalScaling.FULL_REFRESH_MAX_HISTORY).isLessThan(10_000_000L);
  }
}
