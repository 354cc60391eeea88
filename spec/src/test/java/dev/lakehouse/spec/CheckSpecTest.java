package dev.lakehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckSpecTest {

  private static PipelineSpec withChecks(String checks) {
    return SpecLoader.fromConfig(ConfigFactory.parseString("lakehouse.checks { " + checks + " }")
        .withFallback(ConfigFactory.parseResources("lakehouse.conf")), Map.of(), "test");
  }

  @Test
  void builtInChecksCoverEveryGeneratedModel() {
    PipelineSpec spec = SpecLoader.load();
    assertThat(spec.checksOf("parsed_data.parsed_users")).extracting(CheckSpec::name)
        .containsExactly("unique id, source_lsn");
    assertThat(spec.checksOf("data_vault.h_users")).extracting(CheckSpec::name)
        .containsExactly("unique h_users_hk", "unique id");
    assertThat(spec.checksOf("data_vault.l_users_accounts")).extracting(CheckSpec::name)
        .containsExactly("unique l_users_accounts_hk", "relationships h_users_hk → h_users",
            "relationships h_accounts_hk → h_accounts");
    assertThat(spec.checksOf("data_vault.s_users")).extracting(CheckSpec::name)
        .containsExactly("unique h_users_hk, source_lsn", "relationships h_users_hk → h_users");
    CheckSpec rel = spec.checksOf("data_vault.s_users").get(1);
    assertThat(rel.to()).isEqualTo("data_vault.h_users");
    assertThat(rel.field()).isEqualTo("h_users_hk");
    assertThat(rel.severity()).isEqualTo(CheckSeverity.ERROR);
    assertThat(spec.checksOf("raw_data.users")).isEmpty();
    // accounts arrive apart from users: a link to a user not loaded yet is a warning; to its own table's hub, an error
    assertThat(spec.checksOf("data_vault.l_users_accounts")).extracting(CheckSpec::severity)
        .containsExactly(CheckSeverity.ERROR, CheckSeverity.WARN, CheckSeverity.ERROR);
  }

  @Test
  void declaredChecksInBothSpellingsAreRead() {
    PipelineSpec spec = withChecks("""
        "data_vault.s_users" = [
          { kind = not_null, column = email, severity = warn }
          { kind = freshness, column = effective_from, max-lag = 2h }
        ]
        data_vault { s_accounts = [
          { kind = accepted_values, column = currency, values = [EUR, USD] }
          { kind = sql, name = "negative balance", sql = "SELECT * FROM {{ this }} WHERE balance < 0;" }
        ] }
        parsed_data.parsed_accounts = [
          { kind = relationships, column = user_id, to = parsed_users, field = id, name = "owner exists" }
          { kind = row_count_min, min = 1 }
        ]
        """);
    assertThat(spec.checks()).hasSize(6);
    CheckSpec notNull = spec.checksOf("data_vault.s_users").get(2);
    assertThat(notNull).isEqualTo(new CheckSpec("data_vault.s_users", "not_null email", CheckKind.NOT_NULL,
        CheckSeverity.WARN, List.of("email"), List.of(), null, null, 0, null, null));
    assertThat(spec.checksOf("data_vault.s_users").get(3).maxLag()).isEqualTo(Duration.ofHours(2));
    assertThat(spec.checksOf("data_vault.s_accounts")).extracting(CheckSpec::name)
        .contains("accepted_values currency", "negative balance");
    assertThat(spec.checksOf("data_vault.s_accounts").get(3).sql()).isEqualTo("SELECT * FROM {{ this }} WHERE balance < 0");
    CheckSpec rel = spec.checksOf("parsed_data.parsed_accounts").get(1);
    assertThat(rel.to()).isEqualTo("parsed_data.parsed_users");
    assertThat(rel.name()).isEqualTo("owner exists");
    assertThat(spec.checksOf("parsed_data.parsed_accounts").get(2).min()).isEqualTo(1);
  }

  @Test
  void aCheckOnAMissingColumnFailsAtLoadNamingTheColumnsThereAre() {
    assertThatThrownBy(() -> withChecks("\"data_vault.s_users\" = [{ kind = not_null, column = emial }]"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("lakehouse.checks.\"data_vault.s_users\"[0].column: unknown column 'emial' in"
            + " data_vault.s_users (known: created_at, effective_from, email,");
  }

  @Test
  void everyProblemIsReportedWithItsPath() {
    assertThatThrownBy(() -> withChecks("""
        "data_vault.s_nope" = [{ kind = unique, column = id }]
        "data_vault.h_users" = [
          { kind = uniq, column = id }
          { kind = unique, column = id }
          { kind = not_null }
          { kind = relationships, column = id, to = h_nope }
          { kind = row_count_min }
          { kind = freshness, column = load_ts, max-lag = soon }
          { kind = sql, sql = "SELECT 1" }
          { kind = not_null, column = id, severity = fatal, colour = red }
        ]
        """))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("\"data_vault.s_nope\": unknown model 'data_vault.s_nope' (known:")
        .hasMessageContaining("[0].kind: unknown check kind 'uniq' (unique, not_null, accepted_values,")
        .hasMessageContaining("[1]: a check named 'unique id' already exists on data_vault.h_users")
        .hasMessageContaining("[2]: not_null needs column = <name>")
        .hasMessageContaining("[3].to: unknown model 'h_nope'")
        .hasMessageContaining("[4].min: row_count_min needs min = <rows>")
        .hasMessageContaining("[5].max-lag: not a duration")
        .hasMessageContaining("[6].name: a sql check needs a name")
        .hasMessageContaining("[7].severity: 'fatal' is neither error nor warn")
        .hasMessageContaining("[7].colour: unknown key (known: column, columns, field, kind, max-lag, min, name,");
  }
}
