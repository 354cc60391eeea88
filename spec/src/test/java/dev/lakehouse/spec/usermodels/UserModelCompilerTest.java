package dev.lakehouse.spec.usermodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecException;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.UserModelSpec;
import dev.lakehouse.spec.UserModelSpec.IncrementalStrategy;
import dev.lakehouse.spec.UserModelSpec.Materialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ref/source/config/new_rows as the spec compiles them: edges, config, docs, and each mistake as one line. */
class UserModelCompilerTest {
  /** The checkout's pipeline without its user models: the assets user models may ref. */
  static final PipelineSpec PIPELINE = SpecLoader.load().withUserModels(List.of());

  static List<UserModelSpec> compile(String... pathAndText) {
    return compile(List.of(), pathAndText);
  }

  static List<UserModelSpec> compile(List<UserModelFiles.File> docs, String... pathAndText) {
    List<UserModelFiles.File> files = new ArrayList<>();
    for (int i = 0; i < pathAndText.length; i += 2) {
      files.add(new UserModelFiles.File(pathAndText[i], pathAndText[i + 1]));
    }
    return new UserModelCompiler(PIPELINE).compile(new UserModelFiles(Path.of("t"), files, docs));
  }

  static UserModelSpec one(String path, String text) {
    return compile(path, text).get(0);
  }

  @Test
  void refAndSourceBecomeUpstreamAndTheKeyComesFromTheDirectory() {
    UserModelSpec m = one("marts/x.sql", "select * from {{ ref('data_vault.s_users') }} u\n"
        + "join {{ source('raw_data', 'accounts') }} a on true join {{ ref('h_users') }} h on true");
    assertThat(m.key()).isEqualTo("marts.x");
    assertThat(m.problem()).isEmpty();
    assertThat(m.upstream()).containsExactly("data_vault.s_users", "raw_data.accounts", "data_vault.h_users");
    assertThat(m.materialized()).isEqualTo(Materialization.VIEW);
  }

  @Test
  void configIsRead() {
    UserModelSpec m = one("reports/y.sql", "{{ config(materialized='incremental', unique_key=['a', 'b'],"
        + " incremental_strategy='merge', schema='other') }}\nselect 1 as a, 2 as b");
    assertThat(m.key()).isEqualTo("other.y");
    assertThat(m.materialized()).isEqualTo(Materialization.INCREMENTAL);
    assertThat(m.uniqueKey()).containsExactly("a", "b");
    assertThat(m.strategy()).isEqualTo(IncrementalStrategy.MERGE);
    assertThat(one("m/z.sql", "{{ config(materialized='incremental', incremental_strategy='append',"
        + " unique_key='a') }}select 1").uniqueKey()).containsExactly("a");
  }

  @Test
  void aCronGivesATableOrIncrementalModelASchedule() {
    assertThat(one("marts/t.sql", "{{ config(materialized='table', cron='*/5 * * * *') }}select 1").cron())
        .contains("*/5 * * * *");
    assertThat(one("marts/t.sql", "{{ config(materialized='table') }}select 1").cron()).isEmpty();
    assertThat(one("marts/t.sql", "\n{{ config(materialized='table', cron='every minute') }}select 1").problem())
        .hasValueSatisfying(p -> assertThat(p).startsWith("marts/t.sql:2: cron 'every minute': "));
    assertThat(one("marts/t.sql", "{{ config(cron='* * * * *') }}select 1").problem())
        .contains("marts/t.sql:1: a view is always current and needs no cron;"
            + " use cron with materialized='table' or 'incremental'");
    assertThat(one("marts/t.sql", "{{ config(materialized='table', cron=5) }}select 1").problem())
        .contains("marts/t.sql:1: cron must be a 5-field cron in quotes, e.g. cron='* * * * *'");
  }

  @Test
  void refsInsideIsIncrementalCountToo() {
    UserModelSpec m = one("marts/x.sql", "{{ config(materialized='incremental', unique_key='k') }}\n"
        + "select * from {{ ref('data_vault.s_accounts') }} s\n"
        + "{% if is_incremental() %}where {{ new_rows('data_vault.s_accounts', 's') }}\n"
        + "  and k not in (select k from {{ this }}) and x in (select 1 from {{ ref('h_accounts') }}){% endif %}");
    assertThat(m.problem()).isEmpty();
    assertThat(m.upstream()).containsExactly("data_vault.s_accounts", "data_vault.h_accounts");
    assertThat(m.newRowsOf()).contains("data_vault.s_accounts");
  }

  @Test
  void refsBetweenUserModelsAreEdges() {
    List<UserModelSpec> all = compile("marts/b.sql", "select * from {{ ref('marts.a') }}", "marts/a.sql", "select 1");
    assertThat(all).extracting(UserModelSpec::key).containsExactly("marts.a", "marts.b");
    assertThat(all.get(1).upstream()).containsExactly("marts.a");
  }

  @Test
  void unknownRefIsOneLineWithFileLineAndDidYouMean() {
    UserModelSpec m = one("marts/x.sql", "select 1\nfrom {{ ref('data_vault.s_user') }}");
    assertThat(m.problem().get()).startsWith("marts/x.sql:2: ref('data_vault.s_user') names no asset; did you mean:"
        + " data_vault.s_users");
    assertThat(m.problem().get()).doesNotContain("\n");
    assertThat(one("marts/x.sql", "select * from {{ source('raw_data', 'user') }}").problem().get())
        .startsWith("marts/x.sql:1: source('raw_data', 'user') names no raw table; did you mean: raw_data.users");
  }

  @Test
  void templateErrorsNameFileAndLine() {
    assertThat(one("marts/x.sql", "select 1\n\n{% if %}").problem().get()).startsWith("marts/x.sql:3: ")
        .contains("if");
    assertThat(one("marts/x.sql", "select {{ nope }}").problem().get()).startsWith("marts/x.sql:1: ")
        .contains("nope");
    assertThat(one("marts/x.sql", "{{ config(materialized='tabel') }}select 1").problem()).contains(
        "marts/x.sql:1: materialized is 'tabel'; use one of 'view', 'table', 'incremental'");
    assertThat(one("marts/x.sql", "{{ config(materialized='incremental') }}select 1").problem().get())
        .contains("needs a unique_key");
    assertThat(one("marts/x.sql", "{{ config(colour='red') }}select 1").problem().get())
        .contains("config(colour=...) is not supported");
    assertThat(one("marts/x.sql", "select * from {{ ref('h_users') }} where {{ new_rows('h_users') }}")
        .problem().get()).contains("only parsed tables and satellites carry a load watermark");
  }

  @Test
  void aCycleMarksItsModelsAndLeavesTheOthers() {
    List<UserModelSpec> all = compile(
        "marts/a.sql", "select * from {{ ref('marts.b') }}",
        "marts/b.sql", "select 1\nunion all select * from {{ ref('marts.a') }}",
        "marts/c.sql", "select * from {{ ref('data_vault.s_users') }}");
    assertThat(all.get(0).problem().get()).isEqualTo(
        "marts/a.sql:1: ref('marts.b') closes a cycle between models: marts.a -> marts.b -> marts.a");
    assertThat(all.get(1).problem().get()).startsWith("marts/b.sql:2: ref('marts.a') closes a cycle");
    assertThat(all.get(0).upstream()).isEmpty();
    assertThat(all.get(2).problem()).isEmpty();
    assertThat(one("marts/a.sql", "select * from {{ ref('marts.a') }}").problem().get())
        .contains("marts.a -> marts.a");
  }

  @Test
  void keysMustNameAUserSchema() {
    assertThat(one("x.sql", "select 1").problem().get()).contains("a model needs a schema");
    assertThat(one("data_vault/x.sql", "select 1").problem().get()).contains("belongs to the pipeline");
    List<UserModelSpec> twice = compile("marts/x.sql", "select 1", "other/x.sql",
        "{{ config(schema='marts') }}select 2");
    assertThat(twice).filteredOn(m -> m.problem().isPresent()).singleElement()
        .satisfies(m -> assertThat(m.problem().get()).contains("is also defined by marts/x.sql"));
  }

  @Test
  void schemaYmlGivesDescriptionsColumnsAndTests() {
    List<UserModelFiles.File> docs = List.of(new UserModelFiles.File("marts/schema.yml", """
        version: 2
        models:
          - name: x
            description: The x mart.
            tests:
              - unique: {column_name: id, name: one row per id}
            columns:
              - name: id
                description: the key
                tests: [not_null, unique]
              - name: kind
                data_tests:
                  - accepted_values: {values: [a, b]}
        """));
    UserModelSpec m = compile(docs, "marts/x.sql", "select 1 as id").get(0);
    assertThat(m.description()).isEqualTo("The x mart.");
    assertThat(m.columns()).extracting(UserModelSpec.ColumnDoc::name).containsExactly("id", "kind");
    assertThat(m.columns().get(0).tests()).extracting(UserModelSpec.DataTest::name).containsExactly("not_null", "unique");
    assertThat(m.columns().get(1).tests().get(0)).isEqualTo(new UserModelSpec.DataTest("accepted_values",
        Optional.of("kind"), Map.of("values", List.of("a", "b"))));
    assertThat(m.tests()).containsExactly(new UserModelSpec.DataTest("unique", Optional.empty(),
        Map.of("column_name", "id", "name", "one row per id")));
    assertThat(m.problem()).isEmpty();
    assertThatThrownBy(() -> compile(List.of(new UserModelFiles.File("marts/schema.yml", "models:\n  - name: [\n")),
        "marts/x.sql", "select 1")).isInstanceOf(SpecException.class).hasMessageContaining("marts/schema.yml:");
  }

  @Test
  void theCheckoutShipsTheTwoMarts() {
    PipelineSpec spec = SpecLoader.load();
    assertThat(spec.userModels()).extracting(UserModelSpec::key)
        .containsExactly("marts.account_balance_changes", "marts.user_balances");
    assertThat(spec.userModels()).allSatisfy(m -> assertThat(m.problem()).isEmpty());
    assertThat(spec.userModel("marts.user_balances").get().upstream()).containsExactlyInAnyOrder(
        "data_vault.s_accounts", "data_vault.s_users", "data_vault.l_users_accounts", "data_vault.h_users");
    assertThat(spec.userModel("marts.user_balances").get().description()).startsWith("Per user and currency");
  }
}
