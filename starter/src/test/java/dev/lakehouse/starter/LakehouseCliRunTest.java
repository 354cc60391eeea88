package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.never;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.IngestionHealthWorkflow;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.automation.AutomationPlan;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI's commands that run through the materializer and the automation: run, backfill, pause and resume,
 * checks, automation, status and assets.
 */
class LakehouseCliRunTest extends CliTestFixture {
  @Test
  void checksRunThroughTemporalPrintEveryCheckAndExit1OnAFailingErrorCheck() {
    Result ok = cli("checks", "--select", "data_vault.s_users", "--full");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("checking 1 model(s): data_vault.s_users over whole tables in workflow 'checks-")
        .contains("data_vault.s_users: 1 checks, 0 failing\n  PASS unique key (whole table)\n");

    failingCheck = "data_vault.h_users";
    Result failed = cli("checks", "--select", "data_vault.h_*");
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.out()).contains("(latest batch of each)")
        .contains("data_vault.h_users: 1 checks, 1 failing\n  FAIL unique key: 2 rows (e.g. k1, k2)\n")
        .contains("data_vault.h_accounts: 1 checks, 0 failing");
    assertThat(calls).isEmpty(); // checks materialize nothing

    Result elsewhere = cli("checks", "--timeout", "2", "--set", "lakehouse.endpoints.temporal.task-queue=nobody");
    assertThat(elsewhere.exit()).isEqualTo(1);
    assertThat(elsewhere.err()).contains("still runs after 2 s (is the worker up?");

    Result typo = cli("checks", "--select", "data_vault.h_user");
    assertThat(typo.exit()).isEqualTo(1);
    assertThat(typo.err()).contains("did you mean: data_vault.h_users");
  }

  @Test
  void runRequestsTheSelectionAndAssetsShowTheLastMaterialization() {
    Result run = cli("run", "--select", "data_vault.s_users");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("requested 'data_vault.s_users'", "materializer");
    awaitRuns(1);
    assertThat(calls).extracting(Call::assetKey).containsExactly("data_vault.s_users");
    assertThat(calls.get(0).context().fullRefresh()).isFalse();

    Result assets = cli("assets");
    assertThat(assets.exit()).isZero();
    assertThat(line(assets.out(), "data_vault.s_users ")).contains("model", "parsed_data.parsed_users",
        "incremental, 2 rows", "materializer-run-1-");
    assertThat(line(assets.out(), "data_vault.h_users ")).endsWith("never");
    assertThat(line(assets.out(), "raw_data.users ")).contains("raw_table", "flink:ingest");
    assertThat(line(assets.out(), "marts.user_balances ")).contains("model", "data_vault.s_users").endsWith("never");
    assertThat(assets.out()).contains("user models (2):\n").contains("  marts.user_balances  table"
        + " (schedule schedule-marts.user_balances, cron * * * * *)  marts/user_balances.sql  Per user and currency, the current total balance of the user's accounts.");
  }

  @Test
  void runWithoutSelectionRunsEveryModelInOrder() {
    assertThat(cli("run").exit()).isZero();
    awaitRuns(1);
    assertThat(calls).extracting(Call::assetKey).containsExactlyInAnyOrder("parsed_data.parsed_users",
        "parsed_data.parsed_accounts", "data_vault.h_users", "data_vault.h_accounts", "data_vault.s_users",
        "data_vault.s_accounts", "data_vault.l_users_accounts",
        // the user SQL models of transform/ run after their refs
        "marts.user_balances", "marts.account_balance_changes");
    assertThat(calls.indexOf(calls.stream().filter(c -> c.assetKey().equals("marts.user_balances")).findFirst()
        .orElseThrow())).isGreaterThan(calls.indexOf(calls.stream()
        .filter(c -> c.assetKey().equals("data_vault.s_users")).findFirst().orElseThrow()));
  }

  @Test
  void backfillRunsExactlyTheSelectionWithFullRefresh() {
    Result r = cli("backfill", "--select", "data_vault.s_users+", "--full-refresh");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("full refresh");
    awaitRuns(1);
    // s_users, then the user model that refs it
    assertThat(calls).extracting(Call::assetKey).containsExactly("data_vault.s_users", "marts.user_balances");
    assertThat(calls.get(0).context().fullRefresh()).isTrue();
    assertThat(calls.get(0).context().selection()).isEqualTo("data_vault.s_users+");
    assertThat(cli("status").out()).contains("last run: COMPLETED 'data_vault.s_users+' full refresh");
  }

  @Test
  void backfillNeedsASelection() {
    Result r = cli("backfill", "--full-refresh");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--select=selection'");
  }

  @Test
  void aSelectionThatMatchesNothingFailsBeforeSignalling() {
    Result r = cli("run", "--select", "data_vault.s_user");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("matches no asset").contains("did you mean: data_vault.s_users");
    assertThat(cli("status").out()).contains("materializer                       not started");
  }

  @Test
  void pauseQueuesRequestsAndResumeRunsThem() {
    assertThat(cli("pause").exit()).isZero();
    assertThat(cli("run", "--select", "data_vault.h_users").exit()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> cli("status").out(),
        s -> s.contains("PAUSED") && s.contains("'data_vault.h_users' incremental (1 request)"));
    assertThat(calls).isEmpty();

    assertThat(cli("resume").exit()).isZero();
    awaitRuns(1);
    assertThat(calls).extracting(Call::assetKey).containsExactly("data_vault.h_users");
    assertThat(cli("status").out()).contains("active").contains("queue: empty");
  }

  @Test
  void automationStartIsIdempotentAndStatusShowsTheHealthReport() {
    // the in-process server has no Temporal Schedules (AutomationIT tests them on the real dev server): start
    // reports the workflows and sensors it reconciled, then says so in one line
    Result first = cli("automation", "start");
    assertThat(first.out()).contains("workflow ingestion-setup: started", "workflow materializer: started",
        "sensor sensor-raw_data.users: started, every 1s");
    assertThat(first.exit()).isEqualTo(1);
    assertThat(first.err().strip()).contains("UNIMPLEMENTED").contains("without Temporal Schedules")
        .doesNotContain("\n");
    Result second = cli("automation", "start");
    assertThat(second.out()).contains("unchanged: workflow materializer (running)",
        "unchanged: sensor sensor-raw_data.accounts (every 1s)");

    // a lakehouse of an older version runs the health check as a cron workflow under the schedule's ID: status
    // still shows its report (the previous cron run's result) until automation start replaces it
    PipelineSpec spec = SpecLoader.load();
    WorkflowClient.start(factory.getWorkflowClient().newWorkflowStub(IngestionHealthWorkflow.class,
        WorkflowOptions.newBuilder(Automation.options(spec, Lakehouse.INGESTION_HEALTH_ID))
            .setCronSchedule(spec.schedules().healthCron()).build())::check, AutomationPlan.healthInput(spec));
    // past the next minute boundary the health cron has run once; its report is the next run's last result.
    // (Skip no further than needed: every skipped sensor interval is a real poll of the mocked catalog.)
    long msToNextMinute = 60_000 - System.currentTimeMillis() % 60_000;
    server.skip(Duration.ofMillis(msToNextMinute + 3_000));
    // (the server clock also runs in real time: should the skip fall short, the next real minute does it)
    await().atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofMillis(300))
        .until(() -> cli("status").out(), out -> out.contains("healthy at"));
    Result status = cli("status");
    assertThat(status.exit()).isZero();
    assertThat(status.out()).contains("sensor-raw_data.users              running",
        "connector: bank-connector RUNNING", "automation vs spec:");
    // the health check judged the freshness policies (s_users: 90 s in the bundled spec) and opened the incident
    assertThat(line(status.out(), "  data_vault.s_users ")).contains("VIOLATED  lag 36").contains("> max 90 s, since");
    assertThat(line(status.out(), "  data_vault.h_users ")).contains("OK        lag 0 s (max 120 s)");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> cli("status").out(), out -> out.contains("OPEN freshness_violated data_vault.s_users since"));
  }

  @Test
  void statusWithoutTrinoSaysSoInOneLineAndStillShowsTheRest() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Result status = cli("status", "--set", "lakehouse.endpoints.trino.port=" + closed);
    assertThat(status.exit()).as(status.err()).isZero();
    List<String> lines = status.out().lines().toList();
    assertThat(lines).filteredOn(l -> l.startsWith("assets")).singleElement().satisfies(l -> assertThat(l)
        .startsWith("assets: Trino at jdbc:trino://127.0.0.1:" + closed + "/iceberg does not answer (")
        .contains("start the stack with ./lakehouse up"));
    assertThat(lines).contains("services:", "workflows:", "materializer:", "ingestion health:");
    assertThat(line(status.out(), "  trino ")).endsWith("DOWN (not answering)").contains(":" + closed);

    Result json = cli("status", "--json", "--set", "lakehouse.endpoints.trino.port=" + closed);
    assertThat(json.exit()).isZero();
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(tree.get("assets").isNull()).isTrue();
    assertThat(tree.get("assetsProblem").asText()).contains("does not answer");
    assertThat(tree.get("workflows").get("materializer").asText()).isEqualTo("not started");
  }
}
