package dev.lakehouse.spec.usermodels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSeverity;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.UserModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** schema.yml tests as asset checks: dbt's four generic tests mapped one to one, and each mistake as one line. */
class UserModelTestsTest {
  static final String MODEL = "marts/x.sql";

  /** The model marts.x (beside marts.y, so refs to a user model resolve) documented by {@code yml}'s models. */
  static UserModelSpec compiled(String yml) {
    return UserModelCompilerTest.compile(List.of(new UserModelFiles.File("marts/schema.yml", yml)),
        MODEL, "select 1 as id", "marts/y.sql", "select 1 as id").stream()
        .filter(m -> m.key().equals("marts.x")).findFirst().orElseThrow();
  }

  static String problem(String columnTests) {
    UserModelSpec m = compiled("models:\n  - name: x\n    columns:\n      - name: id\n        tests:\n" + columnTests);
    assertThat(m.checks()).isEmpty();
    return m.problem().orElseThrow();
  }

  @Test
  void dbtsGenericTestsBecomeChecksWithTheirArguments() {
    UserModelSpec m = compiled("""
        version: 2
        models:
          - name: x
            data_tests:
              - not_null: {column_name: kind, name: kind is set}
            columns:
              - name: id
                tests:
                  - unique
                  - not_null:
                      config: {severity: warn}
              - name: kind
                tests:
                  - accepted_values:
                      values: [a, 1]
                      config: {severity: ERROR}
              - name: y_id
                tests:
                  - relationships: {to: "ref('y')", field: id}
                  - relationships:
                      name: in h_users
                      arguments: {to: ref("data_vault.h_users"), field: id}
        """);
    assertThat(m.problem()).isEmpty();
    assertThat(m.checks()).containsExactly(
        new CheckSpec("marts.x", "kind is set", CheckKind.NOT_NULL, CheckSeverity.ERROR, List.of("kind"), List.of(),
            null, null, 0, null, null),
        CheckSpec.unique("marts.x", List.of("id")),
        new CheckSpec("marts.x", "not_null id", CheckKind.NOT_NULL, CheckSeverity.WARN, List.of("id"), List.of(),
            null, null, 0, null, null),
        new CheckSpec("marts.x", "accepted_values kind", CheckKind.ACCEPTED_VALUES, CheckSeverity.ERROR,
            List.of("kind"), List.of("a", "1"), null, null, 0, null, null),
        CheckSpec.relationship("marts.x", "y_id", "marts.y", "id"),
        new CheckSpec("marts.x", "in h_users", CheckKind.RELATIONSHIPS, CheckSeverity.ERROR, List.of("y_id"),
            List.of(), "data_vault.h_users", "id", 0, null, null));
  }

  @Test
  void theSpecRunsAUserModelsTestsAsItsChecks() {
    PipelineSpec spec = SpecLoader.load();
    assertThat(spec.checksOf("marts.user_balances")).isEqualTo(spec.userModel("marts.user_balances").orElseThrow()
        .checks()).extracting(CheckSpec::name).contains("not_null user_id", "relationships user_id → h_users",
        "accepted_values currency");
    assertThat(spec.checksOf("marts.account_balance_changes")).extracting(CheckSpec::name)
        .contains("unique source_lsn");
  }

  @Test
  void anUnknownTestIsOneLineNamingFileModelAndColumn() {
    assertThat(problem("          - acepted_values: {values: [a]}\n")).isEqualTo("marts/schema.yml: model x,"
        + " column id, test acepted_values: unknown test; supported: unique, not_null, accepted_values,"
        + " relationships, dbt_utils.unique_combination_of_columns, dbt_utils.expression_is_true; did you mean:"
        + " accepted_values");
    UserModelSpec m = compiled("models:\n  - name: x\n    tests:\n      - dbt_utils.at_least_one:\n"
        + "          column_name: id\n");
    assertThat(m.problem()).hasValueSatisfying(p -> assertThat(p)
        .startsWith("marts/schema.yml: model x, test dbt_utils.at_least_one: unknown test;")
        .doesNotContain("\n"));
  }

  @Test
  void theTwoMostUsedDbtUtilsTestsBecomeAUniqueAndASqlCheck() {
    UserModelSpec m = compiled("""
        models:
          - name: x
            tests:
              - dbt_utils.unique_combination_of_columns:
                  combination_of_columns: [id, kind]
              - dbt_utils.expression_is_true:
                  expression: "amount >= 0 OR kind = 'refund'"
                  config: {severity: warn}
            columns:
              - name: id
                tests:
                  - dbt_utils.expression_is_true: {expression: "> 0", name: positive id}
        """);
    assertThat(m.problem()).isEmpty();
    assertThat(m.checks()).containsExactly(
        CheckSpec.unique("marts.x", List.of("id", "kind")),
        new CheckSpec("marts.x", "expression_is_true amount >= 0 OR kind = 'refund'", CheckKind.SQL,
            CheckSeverity.WARN, List.of(), List.of(), null, null, 0, null,
            "SELECT * FROM {{ this }} WHERE NOT (amount >= 0 OR kind = 'refund')"),
        new CheckSpec("marts.x", "positive id", CheckKind.SQL, CheckSeverity.ERROR, List.of(), List.of(), null, null,
            0, null, "SELECT * FROM {{ this }} WHERE NOT (id > 0)"));
    assertThat(compiled("models:\n  - name: x\n    tests:\n      - dbt_utils.unique_combination_of_columns:"
        + " {columns: [id]}\n").problem()).hasValueSatisfying(p -> assertThat(p).endsWith(
        "unknown argument 'columns' (known: combination_of_columns, name, config)"));
    assertThat(compiled("models:\n  - name: x\n    tests:\n      - dbt_utils.expression_is_true\n").problem())
        .hasValueSatisfying(p -> assertThat(p).endsWith("needs expression: \"<a SQL condition every row meets>\""));
  }

  @Test
  void anUnknownRefSaysWhatItMayMean() {
    assertThat(problem("          - relationships: {to: \"ref('data_vault.h_user')\", field: id}\n"))
        .isEqualTo("marts/schema.yml: model x, column id, test relationships: to: ref('data_vault.h_user') names no"
            + " asset; did you mean: data_vault.h_users, data_vault.s_users");
    assertThat(problem("          - relationships: {to: h_users, field: id}\n"))
        .endsWith("test relationships: needs to: ref('<model>') (got h_users)");
  }

  @Test
  void badArgumentsAreOneLineEach() {
    assertThat(problem("          - accepted_values: {vals: [a]}\n"))
        .endsWith("test accepted_values: unknown argument 'vals' (known: values, name, config)");
    assertThat(problem("          - accepted_values\n")).endsWith("test accepted_values: needs values: [a, b, ...]");
    assertThat(problem("          - not_null: {config: {severity: fatal}}\n"))
        .endsWith("test not_null: severity 'fatal' is neither error nor warn");
    assertThat(problem("          - not_null: {config: {where: \"id > 0\"}}\n"))
        .endsWith("test not_null: config where is not supported; supported: severity");
    assertThat(problem("          - not_null\n          - not_null\n"))
        .endsWith("a test named 'not_null id' is already on marts.x; give this one a name: ...");
    UserModelSpec modelLevel = compiled("models:\n  - name: x\n    tests: [unique]\n");
    assertThat(modelLevel.problem()).hasValue("marts/schema.yml: model x, test unique: a model-level test needs"
        + " column_name: <column>; or put it under the column");
  }

  @Test
  void aTemplateMistakeComesFirstAndOtherModelsKeepTheirChecks() {
    List<UserModelSpec> models = UserModelCompilerTest.compile(List.of(new UserModelFiles.File("marts/schema.yml", """
        models:
          - name: x
            columns: [{name: id, tests: [nope]}]
          - name: y
            columns: [{name: id, tests: [unique]}]
        """)), MODEL, "select {{ nope }}", "marts/y.sql", "select 1 as id");
    assertThat(models.get(0).problem()).hasValueSatisfying(p -> assertThat(p).startsWith("marts/x.sql:1: "));
    assertThat(models.get(1).problem()).isEmpty();
    assertThat(models.get(1).checks()).containsExactly(CheckSpec.unique("marts.y", List.of("id")));
  }
}
