package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.Demo;
import dev.lakehouse.stack.StackEndpoints;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.starter.CliRunner;
import dev.lakehouse.worker.LakehouseWorker;
import dev.lakehouse.worker.WorkerConfig;
import dev.lakehouse.worker.WorkerMain;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The product end to end: the whole local stack, the worker (in this JVM, wired exactly as WorkerMain wires it)
 * with the automation started at boot, the seed's SQL scenario applied to PostgreSQL; the Data Vault must then
 * hold exactly the expected rows, values included, and the CLI must show every model materialized.
 */
@Order(1)
@ExtendWith(LakehouseStackExtension.class)
class SeedScenarioIT {
  static final String BRUCE = "1b214475-9054-4f45-91f4-d111422a7b16";
  static final String CLARK = "dbddcfe3-a590-4358-958f-e8ed882df158";
  static final List<String> MODELS = List.of("parsed_data.parsed_users", "parsed_data.parsed_accounts",
      "data_vault.h_users", "data_vault.h_accounts", "data_vault.l_users_accounts", "data_vault.s_users",
      "data_vault.s_accounts");
  /** The spec's 7 models and the 2 user SQL models of transform/marts, which status lists after their upstream. */
  static final int MODELS_WITH_MARTS = MODELS.size() + 2;

  static PipelineSpec spec;
  static LakehouseWorker worker;

  /** The spec on the test stack's ports, with short sensor and checkpoint intervals for test speed. */
  static PipelineSpec testSpec() {
    Map<String, Object> o = new HashMap<>(LakehouseStackExtension.configOverrides());
    o.put("lakehouse.schedules.sensor-interval", "2s");
    o.put("lakehouse.schedules.flink-checkpoint-interval", "5s");
    return SpecLoader.load(o);
  }

  @BeforeAll
  static void startWorker() {
    spec = testSpec();
    WorkerConfig config = WorkerConfig.from(spec).withAutomation(true);
    worker = WorkerMain.create(WorkerMain.modules(spec, config));
    worker.start();
  }

  @AfterAll
  static void stopWorker() {
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void seedScenarioGivesExactlyTheExpectedVault(Endpoints e) throws Exception {
    long t0 = System.nanoTime();
    Demo.apply(e, spec.source().slot(), 600, System.out::println);
    System.out.printf("seed applied %.0f s after the worker started%n", (System.nanoTime() - t0) / 1e9);
    long t1 = System.nanoTime();
    Map<String, Long> want = Map.of("h_users", 3L, "h_accounts", 2L, "l_users_accounts", 2L, "s_users", 5L,
        "s_accounts", 3L);
    await("data_vault row counts " + want).atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(3))
        .until(() -> Vault.counts(e), c -> c.equals(want));
    System.out.printf("vault complete %.0f s after the seed was committed%n", (System.nanoTime() - t1) / 1e9);

    assertSeedVault(e);

    // the user SQL models of transform/ run after their refs: account_balance_changes in the runs the sensors
    // request (eager:raw_data.<t>), user_balances on its own schedule (config(cron=...), every minute)
    try (Connection trino = StackEndpoints.openTrino(e)) {
      await("the marts of transform/").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3))
          .ignoreExceptions()
          .until(() -> Vault.rows(trino, "SELECT user_id, currency, CAST(balance AS varchar) AS balance"
              + " FROM marts.user_balances ORDER BY user_id").stream().map(r -> String.join(" ", r.values())).toList(),
              rows -> rows.equals(List.of(BRUCE + " EUR 1001.25", CLARK + " EUR 3000.00")));
      await("marts.account_balance_changes").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3))
          .ignoreExceptions()
          .until(() -> Vault.rows(trino, "SELECT CAST(delta AS varchar) AS delta FROM marts.account_balance_changes"
              + " ORDER BY source_lsn").stream().map(r -> r.get("delta")).toList(),
              deltas -> deltas.equals(List.of("1001.25", "2500.00", "500.00")));
    }

    try (Connection trino = StackEndpoints.openTrino(e)) {
      assertThat(Vault.count(trino, "SELECT count(*) FROM parsed_data.rejected_users")).isZero();
      assertThat(Vault.count(trino, "SELECT count(*) FROM parsed_data.rejected_accounts")).isZero();
      List<Map<String, String>> ops = Vault.rows(trino, "SELECT asset, count(*) AS runs, sum(rows_rejected) AS rejected"
          + " FROM ops.materializations WHERE status = 'succeeded' GROUP BY asset");
      List<String> withMarts = new ArrayList<>(MODELS);
      withMarts.addAll(List.of("marts.user_balances", "marts.account_balance_changes"));
      assertThat(ops).extracting(r -> r.get("asset")).containsExactlyInAnyOrderElementsOf(withMarts);
      assertThat(ops).allSatisfy(r -> assertThat(r.get("rejected")).isEqualTo("0"));
    }

    // the CLI, in-process, against the same Temporal
    String temporal = "--temporal=" + e.temporal().target();
    CliRunner.Result assets = CliRunner.run("assets", temporal);
    System.out.println(assets.out());
    assertThat(assets.exitCode()).isZero();
    for (String model : MODELS) {
      assertThat(assets.out().lines().filter(l -> l.startsWith(model + " ")).findFirst())
          .hasValueSatisfying(l -> assertThat(l).doesNotContain("never").contains("rows"));
    }
    // Flink commits its Kafka offsets at checkpoints, so a health report taken between the seed's last change and
    // the next checkpoint still sees a lag: wait for a healthy report that also shows the lag caught up
    await("a healthy ingestion report with no Kafka lag").atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(10)).until(() -> CliRunner.run("status", temporal).out(),
            out -> out.contains("ingestion health:\n  healthy") && out.contains("kafka lag: 0"));
    CliRunner.Result status = CliRunner.run("status", temporal);
    System.out.println(status.out());
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("materializer:\n  active").contains("slot lag:").contains("kafka lag: 0");

    // the per-asset section reads Trino: point the CLI at this stack's ports
    List<String> args = new ArrayList<>(List.of("status", temporal));
    LakehouseStackExtension.configOverrides().forEach((k, v) -> args.add("--set=" + k + "=" + v));
    await("every model fresh in lakehouse status").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(5))
        .until(() -> CliRunner.run(args.toArray(String[]::new)).out(), out -> out.contains("  all " + MODELS_WITH_MARTS + " models fresh,"));
    CliRunner.Result assetsStatus = CliRunner.run(args.toArray(String[]::new));
    System.out.println(assetsStatus.out());
    assertThat(assetsStatus.exitCode()).isZero();
    List<String> lines = assetsStatus.out().lines().toList();
    int checksAt = lines.indexOf("checks (each model's latest check run, from ops.asset_checks):");
    assertThat(checksAt).as("a checks section").isPositive();
    List<String> assetLines = lines.subList(0, checksAt);
    int checksEnd = checksAt;
    while (checksEnd < lines.size() && !lines.get(checksEnd).isBlank()) {
      checksEnd++; // the section ends at a blank line (the freshness policies section lists the models again)
    }
    List<String> checkLines = lines.subList(checksAt, checksEnd);
    for (String model : MODELS) {
      // every run checked what it wrote; a link may have warned while its users had not loaded yet
      assertThat(checkLines).filteredOn(l -> l.startsWith("  " + model + " ")).singleElement()
          .satisfies(l -> assertThat(l).as(model + " checks").matches("  \\S+ +[1-9] checks?, .*"));
      // ASSET, LAST MATERIALIZATION, ROWS IN/OUT, REJECTED, FRESHNESS, RUN
      assertThat(assetLines).filteredOn(l -> l.startsWith("  " + model + " ")).singleElement().satisfies(l -> {
        String[] c = l.trim().split("\\s+");
        assertThat(c[1]).as(model + " last materialization").isNotEqualTo("never");
        assertThat(c[2]).as(model + " rows in/out").matches("[1-9][0-9]*/[0-9]+");
        assertThat(c[3]).as(model + " rejected").isEqualTo("0");
        assertThat(c[4]).as(model + " freshness").isEqualTo("fresh");
        assertThat(c[5]).as(model + " run id").startsWith(dev.lakehouse.workflows.Lakehouse.MATERIALIZER_ID + "-run-");
      });
    }
    assertThat(assetsStatus.out()).contains("  all " + MODELS_WITH_MARTS + " models fresh, 0 rows rejected")
        .contains("  no model has a failing error check");
    List<String> services = lines.subList(lines.indexOf("services:") + 1, lines.indexOf("workflows:") - 1);
    for (String service : List.of("postgres", "kafka", "connect", "flink", "iceberg-rest", "s3", "trino", "temporal")) {
      assertThat(services).filteredOn(l -> l.startsWith("  " + service + " ")).singleElement()
          .satisfies(l -> assertThat(l).endsWith(" up"));
    }
    List<String> jsonArgs = new ArrayList<>(args);
    jsonArgs.add("--json");
    CliRunner.Result json = CliRunner.run(jsonArgs.toArray(String[]::new));
    assertThat(json.exitCode()).isZero();
    com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(tree.get("assets")).hasSize(MODELS_WITH_MARTS).allSatisfy(a -> {
      assertThat(a.get("fresh").asBoolean()).as(a.toString()).isTrue();
      assertThat(a.get("rejected").asLong()).as(a.toString()).isZero();
    });

    // models sql --live reads the watermark the same way: every row is consumed, so the next run reads none
    List<String> sql = new ArrayList<>(List.of("models", "sql", "parsed_data.parsed_users", "--live"));
    LakehouseStackExtension.configOverrides().forEach((k, v) -> sql.add("--set=" + k + "=" + v));
    CliRunner.Result next = CliRunner.run(sql.toArray(String[]::new));
    assertThat(next.exitCode()).as(next.err()).isZero();
    assertThat(next.out()).contains("-- input rows: {\"").contains("WHERE FALSE");
  }

  /**
   * The vault of the seed scenario, every business column and hash computed here from the source rows: Bruce
   * inserted then renamed (2 s_users rows), Clark's account 2500.00 then 3000.00 (2 s_accounts rows), test@test.com
   * inserted then deleted (1 hub row, 2 s_users rows, the last is_deleted). Used by the crash test too.
   */
  static void assertSeedVault(Endpoints e) throws Exception {
    Map<String, String> day = new HashMap<>(); // created_at = PostgreSQL's current_date at insert, per row
    String accountBruce;
    String accountClark;
    try (Connection pg = StackEndpoints.openPostgres(e)) {
      Vault.rows(pg, "SELECT id::text AS id, created_at::text AS d FROM users UNION ALL"
          + " SELECT id::text, created_at::text FROM accounts").forEach(r -> day.put(r.get("id"), r.get("d")));
      accountBruce = Vault.rows(pg, "SELECT id::text AS id FROM accounts WHERE user_id = '" + BRUCE + "'").get(0).get("id");
      accountClark = Vault.rows(pg, "SELECT id::text AS id FROM accounts WHERE user_id = '" + CLARK + "'").get(0).get("id");
      assertThat(Vault.count(pg, "SELECT count(*) FROM users WHERE email = 'test@test.com'")).isZero();
    }
    try (Connection trino = StackEndpoints.openTrino(e)) {
      List<Map<String, String>> hUsers = Vault.rows(trino,
          "SELECT h_users_hk, id, record_source, load_ts IS NOT NULL AS loaded FROM data_vault.h_users");
      String test = hUsers.stream().map(r -> r.get("id")).filter(id -> !id.equals(BRUCE) && !id.equals(CLARK))
          .findFirst().orElseThrow();
      assertThat(hUsers).extracting(r -> r.get("h_users_hk") + " " + r.get("id") + " " + r.get("record_source") + " "
          + r.get("loaded")).containsExactlyInAnyOrder(
              Vault.hashKey(BRUCE) + " " + BRUCE + " bank.public.users true",
              Vault.hashKey(CLARK) + " " + CLARK + " bank.public.users true",
              Vault.hashKey(test) + " " + test + " bank.public.users true");
      assertThat(Vault.rows(trino, "SELECT h_accounts_hk, id, record_source FROM data_vault.h_accounts"))
          .extracting(r -> r.get("h_accounts_hk") + " " + r.get("id") + " " + r.get("record_source"))
          .containsExactlyInAnyOrder(
              Vault.hashKey(accountBruce) + " " + accountBruce + " bank.public.accounts",
              Vault.hashKey(accountClark) + " " + accountClark + " bank.public.accounts");
      assertThat(Vault.rows(trino, "SELECT l_users_accounts_hk, h_users_hk, h_accounts_hk FROM data_vault.l_users_accounts"))
          .extracting(r -> r.get("l_users_accounts_hk") + " " + r.get("h_users_hk") + " " + r.get("h_accounts_hk"))
          .containsExactlyInAnyOrder(
              Vault.hashKey(BRUCE, accountBruce) + " " + Vault.hashKey(BRUCE) + " " + Vault.hashKey(accountBruce),
              Vault.hashKey(CLARK, accountClark) + " " + Vault.hashKey(CLARK) + " " + Vault.hashKey(accountClark));
      // satellites: per key in LSN order
      assertThat(Vault.rows(trino, "SELECT h_users_hk, hashdiff, email, name, CAST(created_at AS varchar) AS created_at,"
          + " is_deleted, record_source, effective_from IS NOT NULL AND load_ts IS NOT NULL AS stamped"
          + " FROM data_vault.s_users ORDER BY h_users_hk, source_lsn"))
          .extracting(r -> String.join(" ", r.values()))
          .containsExactlyElementsOf(sorted(List.of(
              user(BRUCE, "bruce@wayne.com", "Bruce W", day.get(BRUCE), false),
              user(BRUCE, "bruce@wayne.com", "Bruce Wayne", day.get(BRUCE), false),
              user(CLARK, "clark@kent.com", "Clark Kent", day.get(CLARK), false),
              // test@test.com is deleted from the source; it was inserted right after Clark, same day
              user(test, "test@test.com", "test", day.get(CLARK), false),
              user(test, "test@test.com", "test", day.get(CLARK), true))));
      assertThat(Vault.rows(trino, "SELECT h_accounts_hk, hashdiff, currency, CAST(balance AS varchar) AS balance,"
          + " CAST(created_at AS varchar) AS created_at, is_deleted, record_source,"
          + " effective_from IS NOT NULL AND load_ts IS NOT NULL AS stamped"
          + " FROM data_vault.s_accounts ORDER BY h_accounts_hk, source_lsn"))
          .extracting(r -> String.join(" ", r.values()))
          .containsExactlyElementsOf(sorted(List.of(
              account(accountBruce, "1001.25", day.get(accountBruce)),
              account(accountClark, "2500.00", day.get(accountClark)),
              account(accountClark, "3000.00", day.get(accountClark)))));
    }
  }

  static String user(String id, String email, String name, String day, boolean deleted) {
    return String.join(" ", Vault.hashKey(id), Vault.hashDiff(email, name, day, String.valueOf(deleted)), email, name,
        day, String.valueOf(deleted), "bank.public.users", "true");
  }

  static String account(String id, String balance, String day) {
    return String.join(" ", Vault.hashKey(id), Vault.hashDiff("EUR", balance, day, "false"), "EUR", balance, day,
        "false", "bank.public.accounts", "true");
  }

  /** By hash key, keeping the given (commit) order within a key. */
  static List<String> sorted(List<String> rows) {
    return rows.stream().sorted(java.util.Comparator.comparing(r -> r.substring(0, 32))).toList();
  }
}
