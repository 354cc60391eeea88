package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class ModelSqlMainTest {
  @Test
  void mainPrintsTheSqlOfAModel() {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = ModelSqlMain.run(new String[] {"data_vault.s_users"}, new PrintStream(out), new PrintStream(err));
    assertThat(code).isZero();
    assertThat(out.toString()).contains("MERGE INTO iceberg.data_vault.s_users t").contains("every row");
    code = ModelSqlMain.run(new String[] {"nope"}, new PrintStream(out), new PrintStream(err));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("data_vault.s_users");
  }
}
