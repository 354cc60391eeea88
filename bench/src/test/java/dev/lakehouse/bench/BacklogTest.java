package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BacklogTest {
  @Test
  void flinkRateAndLagFromTwoSnapshots() {
    Backlog a = new Backlog(10_000, 56, 300_000, 20_000);
    Backlog b = new Backlog(75_000, 56, 300_000, 43_000);
    assertThat(a.flinkLag()).isEqualTo(280_000);
    assertThat(Backlog.flinkRate(a, b)).isEqualTo(23_000 / 65.0);
    assertThat(Backlog.flinkRate(a, a)).isNaN();
    assertThat(new Backlog(0, 0, 5, 9).flinkLag()).isZero();
  }
}
