package dev.lakehouse.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.spec.ModelCatalog;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.UserModelSpec;
import dev.lakehouse.workflows.activities.WrittenData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the SQL of the checks: the built-in checks of every model of lakehouse.conf after an incremental run and
 * on whole tables, one declared check of every kind, and the schema.yml tests of the shipped user models. Accept a deliberate change with
 * {@code -Dgolden.update=true}.
 */
class CheckSqlGoldenTest {
  static final PipelineSpec SPEC = SpecLoader.load();
  /** The bundled spec plus a declared check of every kind. */
  static final PipelineSpec DECLARED = SpecLoader.fromConfig(ConfigFactory.parseString("""
      lakehouse.checks {
        "data_vault.s_accounts" = [
          { kind = not_null, column = currency, severity = warn }
          { kind = accepted_values, column = currency, values = [EUR, USD, "O'Neil"] }
          { kind = unique, columns = [currency, balance], name = "one balance per currency" }
          { kind = row_count_min, min = 1 }
          { kind = freshness, column = effective_from, max-lag = 2h }
          { kind = sql, name = "negative balance", sql = "SELECT h_accounts_hk, balance FROM {{ this }} WHERE balance < 0" }
        ]
        "parsed_data.parsed_accounts" = [
          { kind = relationships, column = user_id, to = parsed_users, field = id, severity = warn }
        ]
      }
      """).withFallback(ConfigFactory.parseResources("lakehouse.conf")), Map.of(), "test");
  static final Path GOLDEN = Path.of("src/test/resources/golden/checks");
  static final Batch BATCH = Batch.of(ModelSqlGoldenTest.RANGE, 1_000_042L);

  static Stream<String> models() {
    return new ModelSql(SPEC).modelKeys().stream();
  }

  @ParameterizedTest
  @MethodSource("models")
  void builtInAfterAnIncrementalRun(String asset) throws IOException {
    check(asset + ".incremental.sql", new CheckSql(SPEC).render(asset, Optional.of(BATCH)));
  }

  @ParameterizedTest
  @MethodSource("models")
  void builtInOnWholeTables(String asset) throws IOException {
    check(asset + ".full.sql", new CheckSql(SPEC).render(asset, Optional.empty()));
  }

  static Stream<String> userModels() {
    return SPEC.userModels().stream().map(UserModelSpec::key);
  }

  /** A user model's schema.yml tests: no load batch, so the same whole-table SQL after any run. */
  @ParameterizedTest
  @MethodSource("userModels")
  void userModelTestsReadTheWholeTable(String asset) throws IOException {
    CheckSql sql = new CheckSql(SPEC);
    assertThat(sql.checks(asset)).isNotEmpty();
    assertThat(sql.render(asset, Optional.of(BATCH))).isEqualTo(sql.render(asset, Optional.empty()));
    check(asset + ".sql", sql.render(asset, Optional.of(BATCH)));
  }

  /**
   * After an incremental run, a user model's checks read the rows it wrote (the data files of its snapshot), its
   * {@code sql} checks included, and the statement returns the table's current snapshot to tell whether they are
   * still the run's; a key it wrote is compared with the whole table.
   */
  @Test
  void userModelTestsAfterAnIncrementalRunReadTheRowsItWrote() throws IOException {
    CheckSql sql = new CheckSql(SPEC);
    Batch written = Batch.written(new WrittenData(4242L, List.of("s3://warehouse/marts/a/data/x-1.parquet",
        "s3://warehouse/marts/a/data/x-2.parquet")));
    String changes = "marts.account_balance_changes";
    String rendered = sql.render(changes, Optional.of(written));
    assertThat(rendered).contains("-- checks of " + changes + " (rows written by snapshot 4242)")
        .contains("WHERE \"$path\" IN (\n    's3://warehouse/marts/a/data/x-1.parquet',")
        .contains("SELECT " + CheckSql.CURRENT_SNAPSHOT + " AS check_index")
        .contains("FROM iceberg.\"marts\".\"account_balance_changes$refs\" WHERE name = 'main'");
    check(changes + ".written.sql", rendered);
    // a sql check reads the same rows, in the statement and alone
    String balances = "marts.user_balances";
    List<CheckSpec> checks = sql.checks(balances);
    CheckSpec expression = checks.stream().filter(c -> c.kind() == CheckKind.SQL).findFirst().orElseThrow();
    String one = sql.query(balances, Optional.of(written), new CheckSql.Contents(i -> true,
        Map.of(checks.indexOf(expression), 4), false)).orElseThrow();
    assertThat(one).contains("SELECT * FROM scoped WHERE NOT (accounts > 0)").doesNotContain("input_ranges");
    assertThat(sql.sqlQuery(expression, Optional.of(written))).startsWith("WITH scoped AS (\n  SELECT * FROM")
        .contains("SELECT * FROM scoped WHERE NOT (accounts > 0)");
    assertThat(sql.sqlQuery(expression, Optional.of(BATCH))).isEqualTo(sql.sqlQuery(expression));
    // nothing written: no row to read, the snapshot still returned
    String none = sql.query(changes, Optional.of(Batch.written(new WrittenData(7L, List.of())))).orElseThrow();
    assertThat(none).contains("SELECT * FROM iceberg.marts.account_balance_changes WHERE FALSE")
        .contains("SELECT " + CheckSql.CURRENT_SNAPSHOT + " AS check_index");
  }

  @Test
  void declaredChecksOfEveryKind() throws IOException {
    CheckSql sql = new CheckSql(DECLARED);
    List<CheckKind> kinds = Stream.of("data_vault.s_accounts", "parsed_data.parsed_accounts")
        .flatMap(a -> sql.checks(a).stream()).map(CheckSpec::kind).distinct().toList();
    assertThat(kinds).containsExactlyInAnyOrder(CheckKind.values());
    check("declared.data_vault.s_accounts.incremental.sql", sql.render("data_vault.s_accounts", Optional.of(BATCH)));
    check("declared.data_vault.s_accounts.full.sql", sql.render("data_vault.s_accounts", Optional.empty()));
    check("declared.parsed_data.parsed_accounts.incremental.sql",
        sql.render("parsed_data.parsed_accounts", Optional.of(BATCH)));
  }

  /**
   * Once the runner knows how many columns a {@code sql} check's query returns, it is one more branch of the
   * asset's statement; after a run that read nothing the statement also reads the latest batch (index -1).
   */
  @Test
  void sqlChecksAndTheLatestBatchJoinTheOneStatement() throws IOException {
    CheckSql sql = new CheckSql(DECLARED);
    List<CheckSpec> checks = sql.checks("data_vault.s_accounts");
    int negative = checks.indexOf(checks.stream().filter(c -> c.kind() == CheckKind.SQL).findFirst().orElseThrow());
    String alone = sql.query("data_vault.s_accounts", Optional.of(BATCH)).orElseThrow();
    assertThat(alone).doesNotContain("balance < 0").doesNotContain("input_ranges");
    String one = sql.query("data_vault.s_accounts", Optional.of(BATCH),
        new CheckSql.Contents(i -> true, Map.of(negative, 2), true)).orElseThrow();
    assertThat(one).startsWith(alone.substring(0, alone.indexOf("\nSELECT check_index")))
        .contains("c" + negative + " AS (\n  -- negative balance\n")
        .contains("SELECT " + CheckSql.LATEST + " AS check_index, input_ranges AS failing_key");
    check("declared.data_vault.s_accounts.one-statement.sql", one + ";\n");
    // one check alone, as after the statement failed: no other branch, no latest batch
    String single = sql.query("data_vault.s_accounts", Optional.of(BATCH), k -> k == 1).orElseThrow();
    assertThat(single).contains("c1 AS").doesNotContain("c0 AS").doesNotContain("input_ranges");
    // only sql checks of unknown shape: nothing to run together
    assertThat(sql.query("data_vault.s_accounts", Optional.of(BATCH),
        new CheckSql.Contents(k -> k == negative, Map.of(), true))).isEmpty();
  }

  /**
   * The probe that tells a worker how many columns a {@code sql} check's query returns, without reading a row: alone
   * laid out as the check's own statement (same line numbers in Trino's errors), several with a marker column
   * before each query's columns.
   */
  @Test
  void aProbeReadsNoRowAndMarksWhereEachQueryStarts() throws IOException {
    CheckSql sql = new CheckSql(DECLARED);
    CheckSpec negative = sql.checks("data_vault.s_accounts").stream().filter(c -> c.kind() == CheckKind.SQL)
        .findFirst().orElseThrow();
    String one = sql.probeQuery(List.of(negative));
    assertThat(one).endsWith("\nLIMIT 0");
    assertThat(one.substring(0, one.indexOf("WHERE balance < 0")).lines().count())
        .as("the query starts on the line it starts on alone")
        .isEqualTo(sql.sqlQuery(negative).substring(0, sql.sqlQuery(negative).indexOf("WHERE balance < 0"))
            .lines().count());
    String two = sql.probeQuery(List.of(negative, negative));
    assertThat(two.split("\"" + CheckSql.PROBE_MARKER + "\"", -1)).hasSize(3);
    check("declared.data_vault.s_accounts.probe.sql", one + ";\n\n" + two + ";\n");
  }

  @Test
  void resultsAreOneInsertPerRunAndARetryAddsOnlyWhatIsMissing() throws IOException {
    Instant t = Instant.parse("2026-12-06T08:00:00Z");
    List<CheckResultsSql.Row> rows = List.of(
        new CheckResultsSql.Row("data_vault.h_users", "unique id", "unique", "error", false, 1, List.of("u'1"), null,
            "materializer-run-1", false, t),
        new CheckResultsSql.Row("data_vault.h_users", "unique h_users_hk", "unique", "error", true, 0, List.of(), null,
            "materializer-run-1", false, t),
        new CheckResultsSql.Row("data_vault.s_users", "unique h_users_hk, source_lsn", "unique", "error", true, 0,
            List.of(), null, "materializer-run-1", false, t.plusMillis(1)));
    String all = CheckResultsSql.ddl().stream().map(ModelStatement::sql).collect(Collectors.joining(";\n\n"))
        + ";\n\n" + CheckResultsSql.insert(rows).sql() + ";\n\n" + CheckResultsSql.insertMissing(rows).sql()
        + ";\n\n" + CheckResultsSql.latestQuery() + ";\n";
    check("ops.asset_checks.sql", all);
    assertThatThrownBy(() -> CheckResultsSql.insert(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CheckResultsSql.insertMissing(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  /** The spec's idea of each model's columns (used to validate declared checks) is the DDL's. */
  @Test
  void catalogColumnsAreTheGeneratedTablesColumns() {
    ModelCatalog catalog = ModelCatalog.of(SPEC);
    ModelSql models = new ModelSql(SPEC);
    for (String asset : models.modelKeys()) {
      ModelSql.Model m = models.model(asset);
      String ddl = m.ddl().stream().map(ModelStatement::sql)
          .filter(s -> s.startsWith("CREATE TABLE IF NOT EXISTS " + ModelSql.table(asset) + " ("))
          .findFirst().orElseThrow();
      List<String> columns = Arrays.stream(ddl.substring(ddl.indexOf('(') + 1, ddl.indexOf("\n)")).split("\n"))
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith(")"))
          .map(l -> l.split(" ")[0].replace("\"", "")).toList();
      assertThat(catalog.columns(asset).orElseThrow()).as(asset).containsExactlyElementsOf(columns);
    }
  }

  @Test
  void unknownAssetNamesTheModels() {
    assertThatThrownBy(() -> new CheckSql(SPEC).query("data_vault.s_nope", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data_vault.s_users");
  }

  private static void check(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file %s (run with -Dgolden.update=true to create or accept)", file).exists();
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
