package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void nearestRankOnOneToHundred() {
    List<Double> v = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      v.add((double) i);
    }
    Collections.shuffle(v);
    assertThat(Stats.percentile(v, 50)).isEqualTo(50.0);
    assertThat(Stats.percentile(v, 95)).isEqualTo(95.0);
    assertThat(Stats.percentile(v, 100)).isEqualTo(100.0);
    assertThat(Stats.percentile(v, 1)).isEqualTo(1.0);
  }

  @Test
  void smallSamplesPickAMeasuredValue() {
    // 15 samples: p50 is the 8th smallest, p95 the 15th (ceil(14.25))
    List<Double> v = new ArrayList<>();
    for (int i = 1; i <= 15; i++) {
      v.add(i * 1.5);
    }
    assertThat(Stats.percentile(v, 50)).isEqualTo(12.0);
    assertThat(Stats.percentile(v, 95)).isEqualTo(22.5);
    assertThat(Stats.percentile(List.of(7.0), 95)).isEqualTo(7.0);
  }

  @Test
  void unseenSamplesCountAgainstThePercentile() {
    List<Double> v = new ArrayList<>();
    for (int i = 0; i < 19; i++) {
      v.add(1.0);
    }
    v.add(Double.POSITIVE_INFINITY); // 1 of 20 never seen: p95 is the 19th value
    assertThat(Stats.percentile(v, 95)).isEqualTo(1.0);
    v.add(Double.POSITIVE_INFINITY); // 2 of 21: the 20th value is unseen
    assertThat(Stats.percentile(v, 95)).isInfinite();
    assertThat(Stats.summarize(v).max()).isInfinite();
  }

  @Test
  void emptyIsNaNAndBadPercentileIsRejected() {
    assertThat(Stats.summarize(List.of())).isEqualTo(Stats.Summary.EMPTY);
    assertThat(Stats.percentile(List.of(), 50)).isNaN();
    assertThatThrownBy(() -> Stats.percentile(List.of(1.0), 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Stats.percentile(List.of(1.0), 101)).isInstanceOf(IllegalArgumentException.class);
  }
}
