package dev.lakehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SpecLoaderTest {

  private static Config base() {
    return ConfigFactory.parseResources("lakehouse.conf");
  }

  /** The bundled spec with {@code edit} applied (other tests of the package use it too). */
  static PipelineSpec load(UnaryOperator<Config> edit) {
    return SpecLoader.fromConfig(edit.apply(base()), Map.of(), "test");
  }

  static SpecException problem(UnaryOperator<Config> edit) {
    try {
      load(edit);
    } catch (SpecException e) {
      return e;
    }
    throw new AssertionError("spec was accepted");
  }

  @Test
  void defaultSpecLoadsFromTheTopLevelFile() {
    PipelineSpec spec = SpecLoader.load();

    assertThat(spec.source()).isEqualTo(new SourceSpec("bank-connector", "public", "bank", "bank_pub", "bank_slot"));
    assertThat(spec.sourceDatabase()).isEqualTo("bank");
    assertThat(spec.tables()).extracting(TableSpec::name).containsExactly("accounts", "users");
    TableSpec users = spec.table("users").orElseThrow();
    assertThat(users.primaryKey()).containsExactly("id");
    assertThat(users.columns()).containsExactly(new ColumnSpec("id", ColumnType.of(ColumnType.Kind.UUID)),
        new ColumnSpec("email", ColumnType.of(ColumnType.Kind.VARCHAR)),
        new ColumnSpec("name", ColumnType.of(ColumnType.Kind.VARCHAR)),
        new ColumnSpec("created_at", ColumnType.of(ColumnType.Kind.DATE)));
    ColumnType balance = spec.table("accounts").orElseThrow().column("balance").orElseThrow().type();
    assertThat(balance).isEqualTo(ColumnType.decimal(15, 2));
    assertThat(balance).hasToString("decimal(15,2)");
    assertThat(spec.topic(users)).isEqualTo("bank.public.users");

    assertThat(spec.hub("h_users").orElseThrow()).isEqualTo(new HubSpec("h_users", "users", List.of("id"), List.of()));
    assertThat(spec.link("l_users_accounts").orElseThrow()).isEqualTo(new LinkSpec("l_users_accounts", "accounts",
        List.of(new LinkSpec.Reference("user_id", "h_users"), new LinkSpec.Reference("id", "h_accounts")), List.of()));
    assertThat(spec.satellite("s_accounts").orElseThrow()).isEqualTo(new SatelliteSpec("s_accounts", "h_accounts",
        "accounts", List.of("currency", "balance", "created_at"), List.of()));

    Schedules s = spec.schedules();
    assertThat(s.sensorInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.flinkCheckpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.healthCron()).isEqualTo("* * * * *");
    assertThat(s.materializerRunsPerExecution()).isEqualTo(50);
    assertThat(s.materializerSignalsPerExecution()).isEqualTo(1000);
    assertThat(s.materializerRunsInFlight()).isEqualTo(2);
    assertThat(s.materializerRetry()).isEqualTo(
        new Schedules.MaterializerRetry(3, Duration.ofSeconds(30), Duration.ofMinutes(5)));
    assertThat(s.maintenance().vault()).isEqualTo(
        new Schedules.MaintenanceSpec("0 1 * * *", "256MB", Duration.ofDays(7), Duration.ofDays(7)));
    assertThat(s.maintenance().rawParsed()).isEqualTo(
        new Schedules.MaintenanceSpec("0 2 * * *", "128MB", Duration.ofDays(14), Duration.ofDays(14)));
    assertThat(s.maintenance().dropExtendedStatsCron()).isEqualTo("0 1 * * 1");

    assertThat(spec.worker()).isEqualTo(new WorkerSpec(false, Duration.ofSeconds(30), Duration.ofSeconds(30)));
  }

  @Test
  void endpointsExposeDerivedUrlsAndTakeOverrides() {
    PipelineSpec spec = SpecLoader.load(Map.of("lakehouse.endpoints.temporal.port", 17233,
        "lakehouse.endpoints.trino.port", "18080"));
    Endpoints e = spec.endpoints();
    assertThat(e.temporal().target()).isEqualTo("127.0.0.1:17233");
    assertThat(e.trino().jdbcUrl()).isEqualTo("jdbc:trino://127.0.0.1:18080/iceberg");
    assertThat(e.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/bank");
    assertThat(e.connect().url()).isEqualTo("http://127.0.0.1:8083");
    assertThat(e.flink().sqlGatewayUrl()).isEqualTo("http://127.0.0.1:8082");
    assertThat(e.icebergRest().url()).isEqualTo("http://127.0.0.1:8181");
    assertThat(e.s3().warehouse()).isEqualTo("s3://warehouse");
    assertThat(e.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(e.temporal().taskQueue()).isEqualTo("lakehouse");
    assertThat(e.s3().toString()).doesNotContain("password");
    assertThat(e.postgres().toString()).doesNotContain("password=password");
  }

  @Test
  void aServiceHostOverridesTheSharedHostForThatServiceOnly() {
    PipelineSpec spec = SpecLoader.load(Map.of("lakehouse.endpoints.postgres.host", "postgres",
        "lakehouse.endpoints.flink.sql-gateway-host", "flink-sql-gateway"));
    Endpoints e = spec.endpoints();
    assertThat(e.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://postgres:5432/bank");
    assertThat(e.flink().sqlGatewayUrl()).isEqualTo("http://flink-sql-gateway:8082");
    assertThat(e.flink().url()).isEqualTo("http://127.0.0.1:8081");
    assertThat(e.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
  }

  @Test
  void unknownColumnInSatellite() {
    SpecException e = problem(c -> c.withValue("lakehouse.satellites.s_users.columns",
        ConfigValueFactory.fromIterable(List.of("email", "phone"))));
    assertThat(e.problems()).containsExactly(
        "lakehouse.satellites.s_users.columns[1]: unknown column 'phone' in table 'users' (known: created_at, email, id, name)");
  }

  @Test
  void missingPrimaryKey() {
    SpecException e = problem(c -> c.withoutPath("lakehouse.tables.accounts.primary-key"));
    assertThat(e.problems()).containsExactly("lakehouse.tables.accounts.primary-key: missing primary key");
  }

  @Test
  void linkToUnknownHub() {
    SpecException e = problem(c -> c.withValue("lakehouse.links.l_users_accounts.references",
        ConfigValueFactory.fromIterable(List.of(Map.of("column", "accounts.user_id", "hub", "h_people"),
            Map.of("column", "accounts.id", "hub", "h_accounts")))));
    assertThat(e.problems()).containsExactly(
        "lakehouse.links.l_users_accounts.references[0].hub: link to an unknown hub 'h_people' (known: h_accounts, h_users)");
  }

  @Test
  void aModelsColumnsComeFromOneTable() {
    SpecException e = problem(c -> c
        .withValue("lakehouse.hubs.h_users.business-key", ConfigValueFactory.fromIterable(List.of("users.id",
            "accounts.id", "users")))
        .withValue("lakehouse.links.l_users_accounts.references", ConfigValueFactory.fromIterable(List.of(
            Map.of("column", "accounts.user_id", "hub", "h_users"), Map.of("column", "users.id", "hub", "h_accounts"),
            Map.of("column", "people.id", "hub", "h_users")))));
    assertThat(e.problems()).containsExactly(
        "lakehouse.hubs.h_users.business-key[1]: all business key columns must come from one table ('users'),"
            + " got 'accounts'",
        "lakehouse.hubs.h_users.business-key[2]: 'users' is not of the form table.column",
        "lakehouse.links.l_users_accounts.references[1].column: all link columns must come from one table"
            + " ('accounts'), got 'users'",
        "lakehouse.links.l_users_accounts.references[2].column: unknown table 'people' (known: accounts, users)");
  }

  @Test
  void cycleThroughDependsOn() {
    SpecException e = problem(c -> c
        .withValue("lakehouse.hubs.h_users.depends-on", ConfigValueFactory.fromIterable(List.of("s_users")))
        .withValue("lakehouse.satellites.s_users.depends-on", ConfigValueFactory.fromIterable(List.of("h_users"))));
    assertThat(e.problems()).containsExactly("lakehouse.hubs.h_users.depends-on: cycle: h_users -> s_users -> h_users");
  }

  @Test
  void badCron() {
    SpecException e = problem(c -> c.withValue("lakehouse.schedules.health-cron",
        ConfigValueFactory.fromAnyRef("*/0 25 * * *")));
    assertThat(e.problems()).containsExactly(
        "lakehouse.schedules.health-cron: bad cron '*/0 25 * * *': minute: bad step '0' in '*/0'",
        "lakehouse.schedules.health-cron: bad cron '*/0 25 * * *': hour: 25 is outside 0-23");
  }

  @Test
  void theFullChecksCronIsOptionalAndValidatedWhenSet() {
    assertThat(SpecLoader.load().schedules().checksFullCron()).isEqualTo("0 3 * * *");
    assertThat(SpecLoader.load().schedules().checksFullScheduled()).isTrue();
    PipelineSpec older = load(c -> c.withoutPath("lakehouse.schedules.checks-full-cron"));
    assertThat(older.schedules().checksFullCron()).isEmpty();
    assertThat(older.schedules().checksFullScheduled()).isFalse();
    assertThat(SpecLoader.load(Map.of("lakehouse.schedules.checks-full-cron", " ")).schedules()
        .checksFullScheduled()).isFalse();
    SpecException e = problem(c -> c.withValue("lakehouse.schedules.checks-full-cron",
        ConfigValueFactory.fromAnyRef("0 27 * * *")));
    assertThat(e.problems()).containsExactly("lakehouse.schedules.checks-full-cron: bad cron '0 27 * * *': hour: 27"
        + " is outside 0-23 (or \"\" for none)");
  }

  @Test
  void runsInFlightOutsideOneToFour() {
    SpecException e = problem(c -> c.withValue("lakehouse.schedules.materializer-runs-in-flight",
        ConfigValueFactory.fromAnyRef(0)));
    assertThat(e.problems()).containsExactly(
        "lakehouse.schedules.materializer-runs-in-flight: must be between 1 and 4, got 0");
    assertThat(SpecLoader.load(Map.of("lakehouse.schedules.materializer-runs-in-flight", 1)).schedules()
        .materializerRunsInFlight()).isEqualTo(1);
  }

  @Test
  void aSpecWrittenBeforeTheOptionalKeysExistedGetsTheirDefaults() {
    PipelineSpec older = load(c -> c.withoutPath("lakehouse.schedules.materializer-runs-in-flight")
        .withoutPath("lakehouse.worker.model-batch-max-rows").withoutPath("lakehouse.worker.model-compact-every")
        .withoutPath("lakehouse.schedules.maintenance.expire-model-snapshots-older-than"));
    assertThat(older.schedules().materializerRunsInFlight()).isEqualTo(Schedules.DEFAULT_MATERIALIZER_RUNS_IN_FLIGHT);
    assertThat(older.worker().modelBatchMaxRows()).isEqualTo(WorkerSpec.DEFAULT_MODEL_BATCH_MAX_ROWS);
    assertThat(older.worker().modelCompactEvery()).isEqualTo(WorkerSpec.DEFAULT_MODEL_COMPACT_EVERY);
    assertThat(older.schedules().maintenance().modelSnapshotRetention())
        .isEqualTo(Schedules.DEFAULT_MODEL_SNAPSHOT_RETENTION);
  }

  @Test
  void theModelTablesSnapshotRetentionIsADurationAndPositive() {
    String key = "lakehouse.schedules.maintenance.expire-model-snapshots-older-than";
    assertThat(load(c -> c.withValue(key, ConfigValueFactory.fromAnyRef("6h"))).schedules().maintenance()
        .modelSnapshotRetention()).isEqualTo(java.time.Duration.ofHours(6));
    assertThatThrownBy(() -> load(c -> c.withValue(key, ConfigValueFactory.fromAnyRef("0s"))))
        .hasMessageContaining(key).hasMessageContaining("must be positive");
  }

  @Test
  void modelCompactionCanBeTurnedOffButNotNegative() {
    assertThat(load(c -> c.withValue("lakehouse.worker.model-compact-every", ConfigValueFactory.fromAnyRef(0)))
        .worker().modelCompactEvery()).isZero();
    assertThatThrownBy(() -> load(c -> c.withValue("lakehouse.worker.model-compact-every",
        ConfigValueFactory.fromAnyRef(-1))))
        .hasMessageContaining("lakehouse.worker.model-compact-every").hasMessageContaining("got -1");
  }

  @Test
  void unsafeIdentifier() {
    SpecException e = problem(c -> c.withValue("lakehouse.source.slot", ConfigValueFactory.fromAnyRef("bank; drop table x")));
    assertThat(e.problems()).containsExactly(
        "lakehouse.source.slot: unsafe identifier 'bank; drop table x' (allowed: [a-z_][a-z0-9_]*)");
  }

  @Test
  void hostileTableAndModelNamesAreRejectedBeforeAnySqlIsMade() {
    SpecException e = problem(c -> c
        .withValue("lakehouse.tables.\"users; DROP TABLE x --\"", c.getValue("lakehouse.tables.users"))
        .withValue("lakehouse.hubs.\"h_users\\\" OR 1=1\"", c.getValue("lakehouse.hubs.h_users")));
    assertThat(e.problems()).contains(
        "lakehouse.tables.users; DROP TABLE x --: unsafe identifier 'users; DROP TABLE x --' (allowed: [a-z_][a-z0-9_]*)");
    assertThat(e.getMessage()).contains("unsafe identifier 'h_users\" OR 1=1'");
  }

  @Test
  void everyCredentialIsOverriddenByItsEnvironmentVariable() {
    // ${?VAR} looks in the config's root before the environment: these overrides stand in for the variables
    PipelineSpec spec = SpecLoader.load(Map.of("LAKEHOUSE_POSTGRES_USER", "app", "LAKEHOUSE_POSTGRES_PASSWORD",
        "pg-secret", "LAKEHOUSE_S3_ACCESS_KEY", "s3-key", "LAKEHOUSE_S3_SECRET_KEY", "s3-secret",
        "LAKEHOUSE_TRINO_USER", "analyst"));
    Endpoints e = spec.endpoints();
    assertThat(List.of(e.postgres().user(), e.postgres().password(), e.s3().accessKey(), e.s3().secretKey(),
        e.trino().user())).containsExactly("app", "pg-secret", "s3-key", "s3-secret", "analyst");
  }

  @Test
  void coordinatorLimitsAndRetriesTakeTheirEnvironmentVariables() {
    PipelineSpec spec = SpecLoader.load(Map.of("LAKEHOUSE_MATERIALIZER_SIGNALS_PER_EXECUTION", "200",
        "LAKEHOUSE_MATERIALIZER_RETRIES", "0", "LAKEHOUSE_MATERIALIZER_RETRY_INITIAL_BACKOFF", "10s",
        "LAKEHOUSE_MATERIALIZER_RETRY_MAX_BACKOFF", "1m"));
    assertThat(spec.schedules().materializerSignalsPerExecution()).isEqualTo(200);
    assertThat(spec.schedules().materializerRetry()).isEqualTo(
        new Schedules.MaterializerRetry(0, Duration.ofSeconds(10), Duration.ofMinutes(1)));
  }

  @Test
  void badRetrySettingsAreReported() {
    SpecException e = problem(c -> c
        .withValue("lakehouse.schedules.materializer-retry.retries", ConfigValueFactory.fromAnyRef(-1))
        .withValue("lakehouse.schedules.materializer-retry.max-backoff", ConfigValueFactory.fromAnyRef("10s"))
        .withValue("lakehouse.schedules.materializer-signals-per-execution", ConfigValueFactory.fromAnyRef(0)));
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "lakehouse.schedules.materializer-signals-per-execution: must be positive, got 0",
        "lakehouse.schedules.materializer-retry.retries: must not be negative, got -1",
        "lakehouse.schedules.materializer-retry.max-backoff: must not be shorter than initial-backoff (PT30S), got PT10S");
  }

  @Test
  void severalProblemsGiveOneExceptionListingEveryPath() {
    assertThatThrownBy(() -> load(c -> c
        .withoutPath("lakehouse.tables.users.primary-key")
        .withValue("lakehouse.satellites.s_accounts.columns", ConfigValueFactory.fromIterable(List.of("iban")))
        .withValue("lakehouse.schedules.maintenance.vault.cron", ConfigValueFactory.fromAnyRef("@daily"))
        .withValue("lakehouse.tables.accounts.columns", ConfigValueFactory.fromIterable(List.of(
            Map.of("name", "id", "type", "uuid"), Map.of("name", "User-Id", "type", "money"))))))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith("invalid pipeline spec (test): ")
        .hasMessageContaining("lakehouse.tables.users.primary-key: missing primary key")
        .hasMessageContaining("lakehouse.tables.accounts.columns[1].name: unsafe identifier 'User-Id'")
        .hasMessageContaining("lakehouse.tables.accounts.columns[1].type: unknown column type 'money'")
        .hasMessageContaining("lakehouse.satellites.s_accounts.columns[0]: unknown column 'iban' in table 'accounts'")
        .hasMessageContaining("lakehouse.schedules.maintenance.vault.cron: bad cron '@daily'")
        .hasMessageContaining("lakehouse.links.l_users_accounts.references[0].column: unknown column 'user_id' in table 'accounts'");
  }

  @Test
  void cronValidatorAcceptsTheUsualForms() {
    assertThat(CronExpression.problems("* * * * *")).isEmpty();
    assertThat(CronExpression.problems("0 1 * * MON")).isEmpty();
    assertThat(CronExpression.problems("*/15 0-6,22-23 1,15 JAN-MAR 1-5")).isEmpty();
    assertThat(CronExpression.problems("0 0 * * 7")).isEmpty();
    assertThat(CronExpression.problems("* * * *")).containsExactly(
        "expected 5 fields (minute hour day-of-month month day-of-week), got 4");
    assertThat(CronExpression.problems("@every 10s")).hasSize(1);
    assertThat(CronExpression.problems("60 * * * *")).containsExactly("minute: 60 is outside 0-59");
    assertThat(CronExpression.problems("* * 0 * *")).containsExactly("day-of-month: 0 is outside 1-31");
    assertThat(CronExpression.problems("* * * * 5-1")).containsExactly("day-of-week: range '5-1' goes backwards");
    assertThat(CronExpression.problems("x * * * *")).containsExactly("minute: 'x' is not a number, range, list or *");
  }
}
