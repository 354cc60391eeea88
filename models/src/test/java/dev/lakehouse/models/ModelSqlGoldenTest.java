package dev.lakehouse.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.models.testing.Golden;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the generated SQL of every model of lakehouse.conf: an incremental run over a two-partition offset
 * range, and a full refresh as printed offline. Review a diff of src/test/resources/golden like code; to
 * accept a deliberate change run with {@code -Dgolden.update=true}.
 */
class ModelSqlGoldenTest {
  static final PipelineSpec SPEC = SpecLoader.load();
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final InputRange RANGE = InputRange.of(Map.of(
      0, new InputRange.Bounds(41, 97),
      1, new InputRange.Bounds(-1, 12)));

  static Stream<String> models() {
    return new ModelSql(SPEC).modelKeys().stream();
  }

  @ParameterizedTest
  @MethodSource("models")
  void incremental(String asset) throws IOException {
    check(asset + ".incremental.sql", new ModelSql(SPEC).render(asset, Batch.of(RANGE, 1_000_042L), false));
  }

  @ParameterizedTest
  @MethodSource("models")
  void fullRefreshOffline(String asset) throws IOException {
    check(asset + ".full-refresh.sql", new ModelSql(SPEC).render(asset, Batch.all(), true));
  }

  /** The plan query a runner sends when it expects a watermark: the pending rows and the actual watermark row. */
  @Test
  void planQuery() throws IOException {
    ModelSql sql = new ModelSql(SPEC);
    check("plan.s_users.sql", ModelSql.planQuery(sql.model("data_vault.s_users"), Map.of(0, 97L, 1, 12L)) + "\n");
  }

  @Test
  void modelsAreTheSpecsModels() {
    assertThat(new ModelSql(SPEC).modelKeys()).containsExactlyInAnyOrder(
        "parsed_data.parsed_users", "parsed_data.parsed_accounts", "data_vault.h_users", "data_vault.h_accounts",
        "data_vault.l_users_accounts", "data_vault.s_users", "data_vault.s_accounts");
  }

  @Test
  void unknownAssetNamesTheModels() {
    assertThatThrownBy(() -> new ModelSql(SPEC).model("data_vault.s_nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data_vault.s_nope").hasMessageContaining("data_vault.s_users");
  }

  @Test
  void watermarkQueriesAreExact() {
    // two branches, each of which Trino prunes files with; their OR would bound neither column (InputRange.newRows)
    assertThat(InputRange.newRows(Map.of(0, 41L, 2, 7L), "kafka_offset", "t")).isEqualTo(
        "SELECT kafka_offset FROM t WHERE ((kafka_partition = 0 AND kafka_offset > 41)\n"
            + "    OR (kafka_partition = 2 AND kafka_offset > 7))\n"
            + "UNION ALL\n"
            + "SELECT kafka_offset FROM t WHERE kafka_partition NOT IN (0, 2)");
    assertThat(InputRange.newRows(Map.of(), "kafka_offset", "t")).isEqualTo("SELECT kafka_offset FROM t");
    assertThat(RANGE.predicate("t")).isEqualTo("((t.kafka_partition = 0 AND t.kafka_offset > 41 AND t.kafka_offset <= 97)"
        + "\n    OR (t.kafka_partition = 1 AND t.kafka_offset > -1 AND t.kafka_offset <= 12))");
  }

  private static void check(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file %s (run with -Dgolden.update=true to create or accept)", file).exists();
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
