package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.SpecLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lakehouse models sql} and {@code lakehouse lineage} on user SQL models (no Temporal, no Trino). */
class UserModelsCliTest {
  record Result(int exit, String out, String err) {}

  static Result cli(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = LakehouseCli.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env).execute(args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void modelsSqlPrintsTheRenderedUserModel() {
    Result inc = cli(Map.of(), "models", "sql", "marts.account_balance_changes");
    assertThat(inc.exit()).as(inc.err()).isZero();
    assertThat(inc.out()).contains("is_incremental() true", "MERGE INTO iceberg.marts.account_balance_changes t",
        "FROM iceberg.data_vault.s_accounts s", "TRUE /* offline");
    Result full = cli(Map.of(), "models", "sql", "marts.account_balance_changes", "--full-refresh");
    assertThat(full.out()).contains("CREATE OR REPLACE TABLE iceberg.marts.account_balance_changes AS")
        .doesNotContain("MERGE INTO");
    assertThat(cli(Map.of(), "models", "sql", "marts.user_balances").out())
        .contains("-- Per user and currency, the current total balance of the user's accounts.");
    Result lineage = cli(Map.of(), "lineage", "--format", "dot");
    assertThat(lineage.out()).contains("\"data_vault.s_accounts\" -> \"marts.account_balance_changes\";");
  }

  @Test
  void aBrokenUserModelIsOneLineWithFileAndLineAndExitCode2(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("lakehouse.conf");
    Files.writeString(spec, Files.readString(SpecLoader.findUpwards(Path.of("").toAbsolutePath()).orElseThrow()));
    Files.createDirectories(dir.resolve("transform/marts"));
    Files.writeString(dir.resolve("transform/marts/x.sql"), "select *\nfrom {{ ref('data_vault.s_user') }}\n");
    Files.writeString(dir.resolve("transform/marts/ok.sql"), "select * from {{ ref('data_vault.s_users') }}\n");
    Map<String, String> env = Map.of("LAKEHOUSE_SPEC", spec.toString());
    Result r = cli(env, "models", "sql", "marts.x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).hasLineCount(1).startsWith("lakehouse: marts/x.sql:2: ref('data_vault.s_user') names no"
        + " asset; did you mean: data_vault.s_users");
    // the other model is fine, and the broken one is still in the graph
    assertThat(cli(env, "models", "sql", "marts.ok").out()).contains("CREATE OR REPLACE VIEW iceberg.marts.ok AS");
    assertThat(cli(env, "lineage", "--format", "dot").out()).contains("\"marts.x\"")
        .contains("\"data_vault.s_users\" -> \"marts.ok\";");
  }
}
