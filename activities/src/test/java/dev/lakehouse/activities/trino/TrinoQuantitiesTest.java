package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrinoQuantitiesTest {
  @Test
  void airliftDurations() {
    assertThat(TrinoQuantities.seconds("0.00ns")).isZero();
    assertThat(TrinoQuantities.seconds("250.00ms")).isCloseTo(0.25, within(1e-12));
    assertThat(TrinoQuantities.seconds("1.50s")).isCloseTo(1.5, within(1e-12));
    assertThat(TrinoQuantities.seconds("2.00m")).isCloseTo(120, within(1e-9));
    assertThat(TrinoQuantities.seconds("12.00us")).isCloseTo(12e-6, within(1e-15));
    assertThat(TrinoQuantities.seconds("nonsense")).isZero();
  }

  @Test
  void airliftDataSizes() {
    assertThat(TrinoQuantities.bytes("0B")).isZero();
    assertThat(TrinoQuantities.bytes("512B")).isEqualTo(512);
    assertThat(TrinoQuantities.bytes("2kB")).isEqualTo(2048);
    assertThat(TrinoQuantities.bytes("1.50MB")).isEqualTo(1.5 * 1024 * 1024);
    assertThat(TrinoQuantities.bytes("1GB")).isEqualTo(1024.0 * 1024 * 1024);
  }
}
