package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrinoQueryStatsTest {
  @Test
  void airliftDurations() {
    assertThat(TrinoQueryStats.seconds("0.00ns")).isZero();
    assertThat(TrinoQueryStats.seconds("250.00ms")).isCloseTo(0.25, within(1e-12));
    assertThat(TrinoQueryStats.seconds("1.50s")).isCloseTo(1.5, within(1e-12));
    assertThat(TrinoQueryStats.seconds("2.00m")).isCloseTo(120, within(1e-9));
    assertThat(TrinoQueryStats.seconds("12.00us")).isCloseTo(12e-6, within(1e-15));
    assertThat(TrinoQueryStats.seconds("nonsense")).isZero();
  }

  @Test
  void statementKinds() {
    assertThat(TrinoQueryStats.kind("  merge INTO t USING")).isEqualTo("MERGE");
    assertThat(TrinoQueryStats.kind("SELECT 'pending' AS kind")).isEqualTo("SELECT");
    assertThat(TrinoQueryStats.kind("INSERT INTO iceberg.ops.materializations")).isEqualTo("INSERT");
    assertThat(TrinoQueryStats.kind("")).isEqualTo("OTHER");
  }

  @Test
  void airliftDataSizes() {
    assertThat(TrinoQueryStats.bytes("0B")).isZero();
    assertThat(TrinoQueryStats.bytes("512B")).isEqualTo(512);
    assertThat(TrinoQueryStats.bytes("2kB")).isEqualTo(2048);
    assertThat(TrinoQueryStats.bytes("1.50MB")).isEqualTo(1.5 * 1024 * 1024);
    assertThat(TrinoQueryStats.bytes("1GB")).isEqualTo(1024.0 * 1024 * 1024);
  }
}
