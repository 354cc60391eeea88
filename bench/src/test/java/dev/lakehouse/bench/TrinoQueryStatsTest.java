package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrinoQueryStatsTest {
  @Test
  void statementKinds() {
    assertThat(TrinoQueryStats.kind("  merge INTO t USING")).isEqualTo("MERGE");
    assertThat(TrinoQueryStats.kind("SELECT 'pending' AS kind")).isEqualTo("SELECT");
    assertThat(TrinoQueryStats.kind("INSERT INTO iceberg.ops.materializations")).isEqualTo("INSERT");
    assertThat(TrinoQueryStats.kind("")).isEqualTo("OTHER");
  }
}
