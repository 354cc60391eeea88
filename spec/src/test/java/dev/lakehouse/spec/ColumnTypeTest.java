package dev.lakehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnTypeTest {
  @Test
  void everySpecFormReadsBackAsItsText() {
    for (String text : List.of("uuid", "varchar", "text", "boolean", "integer", "bigint", "double", "date",
        "timestamp", "decimal(15,2)", "decimal(1,0)")) {
      assertThat(ColumnType.parse(text)).as(text).get().hasToString(text);
    }
    assertThat(ColumnType.parse("decimal(15,2)")).contains(ColumnType.decimal(15, 2));
  }

  @Test
  void otherTextIsNoType() {
    for (String text : List.of("money", "int", "UUID", "decimal", "decimal(15, 2)", "decimal(100,2)", "")) {
      assertThat(ColumnType.parse(text)).as(text).isEmpty();
    }
  }

  @Test
  void theFormsListedInProblemsAreTheAcceptedOnes() {
    assertThat(ColumnType.FORMS)
        .isEqualTo("uuid|varchar|text|boolean|integer|bigint|double|date|timestamp|decimal\\(\\d{1,2},\\d{1,2}\\)");
  }

  @Test
  void onlyDecimalHasPrecisionAndScale() {
    assertThatThrownBy(() -> ColumnType.of(ColumnType.Kind.DECIMAL)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ColumnType(ColumnType.Kind.DATE, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
