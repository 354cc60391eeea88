package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSeverity;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckStatusFormatTest {
  static AssetCheckResult result(String asset, String check, CheckSeverity severity, long failing, String... sample) {
    return new AssetCheckResult(asset, check, CheckKind.UNIQUE, severity, failing == 0, failing, List.of(sample), null);
  }

  @Test
  void eachModelShowsItsLatestCheckRunAndWhatFails() {
    String link = "data_vault.l_users_accounts";
    Map<String, AssetCheckReport> latest = Map.of(
        link, new AssetCheckReport(link, List.of(result(link, "unique l_users_accounts_hk", CheckSeverity.ERROR, 0),
            result(link, "relationships h_users_hk → h_users", CheckSeverity.ERROR, 3, "a1", "b2", "c3"))),
        "data_vault.s_users", new AssetCheckReport("data_vault.s_users", List.of(
            result("data_vault.s_users", "not_null email", CheckSeverity.WARN, 1, "x|7"))));
    String text = StatusFormatTest.print(out -> CheckStatusFormat.checks(out,
        List.of("data_vault.h_users", link, "data_vault.s_users"), latest));

    assertThat(text).isEqualTo("""
        checks (each model's latest check run, from ops.asset_checks):
          data_vault.h_users           no check run yet
          data_vault.l_users_accounts  2 checks, 1 failing: relationships h_users_hk → h_users: 3 rows (e.g. a1, b2, c3)
          data_vault.s_users           1 check, 1 failing: not_null email: 1 row (e.g. x|7) [warn]
          1 model has a failing error check (lakehouse checks --select <model> runs them again once fixed)
        """);
  }

  @Test
  void aCheckThatCouldNotRunSaysWhy() {
    AssetCheckResult broken = new AssetCheckResult("data_vault.s_accounts", "negative balance", CheckKind.SQL,
        CheckSeverity.ERROR, false, 0, List.of(), "could not run: line 3:10: Column 'balanse' cannot be resolved");
    assertThat(new AssetCheckReport("data_vault.s_accounts", List.of(broken)).summary()).isEqualTo(
        "1 check, 1 failing: negative balance: could not run: line 3:10: Column 'balanse' cannot be resolved");
  }
}
