package dev.lakehouse.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.usermodels.UserModelCompiler;
import dev.lakehouse.spec.usermodels.UserModelFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key of a {@code sql} check's learned column count (docs/models.md#checks): the same for the same check and
 * model SQL, another when the check's query or the model's SQL changes; and the table's statements.
 */
class CheckShapesSqlTest {
  static final PipelineSpec BASE = SpecLoader.load().withUserModels(List.of());
  static final String SCHEMA_YML = """
      version: 2
      models:
        - name: m
          tests:
            - dbt_utils.expression_is_true: {expression: "%s"}
      """;

  private static PipelineSpec spec(String select, String expression) {
    return BASE.withUserModels(new UserModelCompiler(BASE).compile(new UserModelFiles(Path.of("t"),
        List.of(new UserModelFiles.File("x/m.sql", select + " from {{ ref('data_vault.s_users') }}")),
        List.of(new UserModelFiles.File("x/schema.yml", SCHEMA_YML.formatted(expression))))));
  }

  private static String shape(PipelineSpec spec) {
    CheckSpec check = spec.checksOf("x.m").stream().filter(c -> c.kind() == CheckKind.SQL).findFirst().orElseThrow();
    return new CheckShapesSql(spec).shape(check);
  }

  @Test
  void aShapeChangesWithTheCheckOrTheModelsSqlAndOnlyThen() {
    String shape = shape(spec("select email, name", "name <> ''"));
    assertThat(shape).matches("[0-9a-f]{64}").isEqualTo(shape(spec("select email, name", "name <> ''")));
    assertThat(shape(spec("select email, name, source_lsn", "name <> ''"))).isNotEqualTo(shape);
    assertThat(shape(spec("select email, name", "email <> ''"))).isNotEqualTo(shape);
  }

  @Test
  void countsAreOneInsertAndTheNewestOfAShapeIsRead() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("b", 2);
    counts.put("a'", 0);
    assertThat(CheckShapesSql.insert(counts, Instant.parse("2026-12-07T01:00:00Z")).sql())
        .isEqualTo("INSERT INTO " + CheckShapesSql.TABLE + " (shape, columns, learned_at)\nVALUES ('a''', 0, "
            + OpsSql.timestamp(Instant.parse("2026-12-07T01:00:00Z")) + "),\n  ('b', 2, "
            + OpsSql.timestamp(Instant.parse("2026-12-07T01:00:00Z")) + ")");
    assertThat(CheckShapesSql.latestQuery()).contains("max_by(columns, learned_at)").contains("GROUP BY shape");
    assertThatThrownBy(() -> CheckShapesSql.insert(Map.of(), Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
