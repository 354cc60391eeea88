package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrinoQueryStatsTest {
  @Test
  void statementKinds() {
    assertThat(TrinoQueryStats.kind("  merge INTO t USING")).isEqualTo("MERGE");
    assertThat(TrinoQueryStats.kind("SELECT 'pending' AS kind")).isEqualTo("SELECT");
    assertThat(TrinoQueryStats.kind("INSERT INTO iceberg.ops.materializations")).isEqualTo("INSERT");
    assertThat(TrinoQueryStats.kind("")).isEqualTo("OTHER");
  }

  @Test
  void aQueryIsLabelledByTheStartOfItsTextOnOneLine() {
    assertThat(TrinoQueryStats.label("  MERGE INTO iceberg.data_vault.s_users t\n  USING (\n    SELECT"))
        .isEqualTo("MERGE INTO iceberg.data_vault.s_users t USING ( SELECT");
    String longer = "SELECT " + "x, ".repeat(60);
    assertThat(TrinoQueryStats.label(longer)).hasSize(TrinoQueryStats.LABEL_CHARS + 3).endsWith("...")
        .startsWith("SELECT x, x,");
  }

  @Test
  void kindsCarryTheirBytesAndTheHeaviestQueriesComeFirst() {
    TrinoQueryStats.Kind merge = new TrinoQueryStats.Kind(1, 1.0, 0.4, 20.0).plus(
        new TrinoQueryStats.Kind(1, 0.5, 0.1, 2.5));
    assertThat(merge).isEqualTo(new TrinoQueryStats.Kind(2, 1.5, 0.5, 22.5));
    TrinoQueryStats.Totals t = new TrinoQueryStats.Totals(0.6, 0, 3, Map.of("MERGE", merge), List.of(
        new TrinoQueryStats.Query("INSERT INTO ops", 0.2, 0.05, 0.0),
        new TrinoQueryStats.Query("MERGE INTO h_users", 1.0, 0.4, 20.0),
        new TrinoQueryStats.Query("MERGE INTO s_users", 0.5, 0.1, 2.5)));
    assertThat(t.kinds()).isEqualTo("MERGE 2 (1.5 s elapsed, 0.50 s CPU, 22.5 MiB read)");
    assertThat(t.heaviest(2)).isEqualTo("[0.40 s CPU, 20.0 MiB: MERGE INTO h_users] [0.10 s CPU, 2.5 MiB: MERGE INTO"
        + " s_users]");
  }
}
