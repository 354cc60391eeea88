package dev.lakehouse.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.activities.apply.SpecApplyActivitiesImpl;
import dev.lakehouse.activities.connect.ConnectActivitiesImpl;
import dev.lakehouse.activities.flink.FlinkActivitiesImpl;
import dev.lakehouse.activities.iceberg.IcebergCatalogs;
import dev.lakehouse.activities.iceberg.RawTables;
import dev.lakehouse.activities.iceberg.TableColumns;
import dev.lakehouse.activities.trino.ModelActivitiesImpl;
import dev.lakehouse.models.IngestSql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.workflows.activities.MaterializeContext;
import dev.lakehouse.workflows.activities.ModelActivities;
import dev.lakehouse.workflows.activities.SpecApplyActivities;
import dev.lakehouse.workflows.apply.ApplyAction;
import dev.lakehouse.workflows.apply.ApplyActionKind;
import dev.lakehouse.workflows.apply.ApplyPlan;
import dev.lakehouse.workflows.apply.ApplySystem;
import dev.lakehouse.workflows.apply.SpecPlanner;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code lakehouse apply} on the real local stack, with the activities of {@code spec-apply} called in the
 * workflow's order: the bundled spec runs, the transactions example (a new table, {@code users.phone}) is applied
 * while a steady load writes to {@code users}, then removed again with --allow-removal. Checked: the publication and
 * the connector's include list follow the spec, the slot and the streamed tables' offsets are kept (no re-snapshot),
 * the job is redeployed through a savepoint with every {@code users} record in its raw table exactly once, the new
 * table is ingested from its topic's start, and the columns are added to the parsed table and the satellite.
 */
@ExtendWith(LakehouseStackExtension.class)
@Order(3) // classes share one stack: this one adds a source table and removes it from the spec again
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyIT {
  private static final Duration LANDING = Duration.ofSeconds(150);
  private static final Path EXAMPLE = Path.of("../examples/transactions");
  private final HttpClient http = HttpClient.newHttpClient();

  private final List<TestActivityEnvironment> environments = new ArrayList<>();
  private PipelineSpec spec;
  private PipelineSpec example;
  private long snapshotReads;
  private long applyMillis;

  @AfterAll
  void closeEnvironments() {
    environments.forEach(TestActivityEnvironment::close);
  }

  /** An activity as Temporal runs it (heartbeats, the data converter) on a worker with {@code impl}. */
  private <T> T stub(Class<T> type, Object impl) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    environments.add(env);
    env.registerActivitiesImplementations(impl);
    return env.newActivityStub(type, ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  /** {@code spec-apply}'s activities on a worker that runs {@code workerSpec}. */
  private SpecApplyActivities apply(PipelineSpec workerSpec) {
    return stub(SpecApplyActivities.class, new SpecApplyActivitiesImpl(workerSpec));
  }

  private void materialize(PipelineSpec workerSpec, String model, String run) {
    System.out.println("materialized " + model + ": " + stub(ModelActivities.class, new ModelActivitiesImpl(workerSpec))
        .materialize(model, new MaterializeContext(run, "", false)));
  }

  @BeforeAll
  void setUp() {
    Map<String, Object> overrides = new HashMap<>(LakehouseStackExtension.configOverrides());
    overrides.put("lakehouse.schedules.flink-checkpoint-interval", "3s");
    spec = SpecLoader.load(overrides);
    example = SpecLoader.load(SpecSource.file(EXAMPLE.resolve("transactions.conf").toAbsolutePath().normalize()),
        Map.of(), overrides);
  }

  @Test
  @Order(1)
  void theBundledSpecRunsAndAnUnchangedSpecHasNothingToDo() throws Exception {
    // rows from before the connector exists reach Kafka through its initial snapshot (op r)
    sql("INSERT INTO users (email, name) SELECT 'apply-before-' || i || '@it', 'before ' || i"
        + " FROM generate_series(1, 3) AS i ON CONFLICT (email) DO NOTHING");
    try (RESTCatalog catalog = IcebergCatalogs.open(spec.endpoints())) {
      RawTables.ensureNamespaces(catalog);
      RawTables.ensureTables(catalog, spec);
    }
    ConnectActivitiesImpl connect = new ConnectActivitiesImpl(spec);
    connect.upsertConnector();
    connect.awaitRunning();
    new FlinkActivitiesImpl(spec).ensureIngestJob();
    await().atMost(LANDING).pollInterval(Duration.ofSeconds(2)).until(() -> rawCount("users") >= 3);
    materialize(spec, "parsed_data.parsed_users", "apply-it-1");
    materialize(spec, "data_vault.s_users", "apply-it-1");
    snapshotReads = count("SELECT count(*) FROM iceberg.raw_data.users WHERE op = 'r'");

    ApplyPlan plan = plan(apply(spec), spec, false);
    assertThat(plan.lines()).containsExactly(ApplyPlan.NOTHING_TO_DO);
  }

  @Test
  @Order(2)
  void aTableTheSourceLacksIsRefusedAndNothingChanges() throws Exception {
    sql("DROP TABLE IF EXISTS transactions");
    ApplyPlan plan = plan(apply(spec), example, false);
    assertThat(plan.refusals()).singleElement().asString()
        .startsWith("table transactions does not exist in the source database");
    assertThat(plan.actions()).isEmpty();
  }

  @Test
  @Order(3)
  void theExampleIsAppliedUnderLoadWithoutLossOrDuplicates() throws Exception {
    sql(Files.readString(EXAMPLE.resolve("transactions.sql")));
    // rows the new table holds before the apply: only the incremental snapshot the apply signals captures them
    sql("INSERT INTO accounts (user_id, currency, balance) SELECT id, 'CHF', 5.00 FROM users"
        + " WHERE email = 'apply-before-2@it'");
    sql("INSERT INTO transactions (id, account_id, amount, kind) SELECT gen_random_uuid(), a.id, t.amount, 'old ' || t.n"
        + " FROM accounts a JOIN users u ON u.id = a.user_id AND u.email = 'apply-before-2@it',"
        + " (VALUES (1, 1.00), (2, 2.00), (3, 3.00)) AS t (n, amount)");
    List<String> oldRows = sqlList("SELECT id::text FROM transactions WHERE kind LIKE 'old %' ORDER BY 1");
    assertThat(oldRows).hasSize(3);
    String oldJob = new FlinkActivitiesImpl(spec).jobStatus().jobId();
    SpecApplyActivities apply = apply(spec);
    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger written = new AtomicInteger();
    Thread load = new Thread(() -> steadyLoad(loading, written), "apply-it-load");
    load.start();
    List<String> changes;
    try {
      ApplyPlan plan = plan(apply, example, false);
      System.out.println("plan:\n" + String.join("\n", plan.lines()));
      assertThat(plan.refused()).isFalse();
      assertThat(plan.actions()).extracting(ApplyAction::kind).contains(ApplyActionKind.PUBLICATION_ADD_TABLE,
          ApplyActionKind.CONNECTOR_INCLUDE_TABLE, ApplyActionKind.RAW_TABLE_CREATE, ApplyActionKind.PARSED_ADD_COLUMN,
          ApplyActionKind.SATELLITE_ADD_COLUMN, ApplyActionKind.INGEST_JOB_REDEPLOY);
      long started = System.nanoTime();
      changes = converge(apply, example, plan);
      applyMillis = (System.nanoTime() - started) / 1_000_000;
    } finally {
      Thread.sleep(3_000); // writes after the new job runs too
      loading.set(false);
      load.join();
    }
    System.out.println("applied:\n" + String.join("\n", changes) + "\nload: " + written.get() + " writes to users");
    assertThat(written.get()).isPositive();

    assertThat(sqlList("SELECT tablename FROM pg_publication_tables WHERE pubname = 'bank_pub' ORDER BY 1"))
        .contains("accounts", "transactions", "users");
    assertThat(new ConnectActivitiesImpl(spec).includedTables()).contains(List.of("accounts", "transactions", "users"));
    assertThat(sqlList("SELECT slot_name FROM pg_replication_slots")).containsExactly("bank_slot");
    JsonNode jobs = getJson(spec.endpoints().flink().url() + "/jobs/overview").path("jobs");
    List<String> alive = new ArrayList<>();
    for (JsonNode j : jobs) {
      if (j.path("jid").asText().equals(oldJob)) {
        assertThat(j.path("state").asText()).as("the old job, stopped with a savepoint").isEqualTo("FINISHED");
      }
      if (IngestSql.isIngestJob(j.path("name").asText()) && "RUNNING".equals(j.path("state").asText())) {
        alive.add(j.path("name").asText());
      }
    }
    assertThat(alive).containsExactly(IngestSql.jobName(example));

    // the new table is ingested; changes to users go on, and none was lost or doubled across the redeploy
    sql("INSERT INTO accounts (user_id, currency, balance) SELECT id, 'EUR', 100.00 FROM users"
        + " WHERE email = 'apply-before-1@it'");
    sql("INSERT INTO transactions (id, account_id, amount, kind) SELECT gen_random_uuid(), a.id, t.amount, t.kind"
        + " FROM accounts a JOIN users u ON u.id = a.user_id AND u.email = 'apply-before-1@it',"
        + " (VALUES (10.50, 'deposit'), (-3.25, 'withdrawal')) AS t (amount, kind)");
    sql("UPDATE users SET phone = '+41 00 000 00 00' WHERE email = 'apply-before-1@it'");
    // a change that leaves every satellite column as it was (phone stays NULL): no new satellite row
    sql("UPDATE users SET name = name WHERE email = 'apply-before-3@it'");
    await().atMost(LANDING).pollInterval(Duration.ofSeconds(2)).until(() -> rawCount("transactions") >= 2);
    await().atMost(LANDING).pollInterval(Duration.ofSeconds(2))
        .until(() -> offsetsAndCounts("users").keySet().equals(RawChecks.nonNullOffsets(spec, "bank.public.users")));
    // for docs/benchmarks.md (printed, not asserted): how long the switch took, and how late the users changes
    // written during it reached the raw table (source commit -> Flink read; a run then takes them to the vault)
    System.out.println("bench: apply of the example converged in " + applyMillis + " ms; max commit -> raw delay of"
        + " the users changes written during it: " + count("SELECT CAST(max(to_unixtime(ingested_at) * 1000"
        + " - source_ts_ms) AS bigint) FROM iceberg.raw_data.users WHERE json_extract_scalar(data, '$.email')"
        + " LIKE 'apply-load-%'") + " ms over " + written.get() + " changes");
    Map<Long, Long> byOffset = offsetsAndCounts("users");
    assertThat(byOffset.values()).as("every users record once").allMatch(n -> n == 1);
    assertThat(byOffset.keySet()).isEqualTo(RawChecks.nonNullOffsets(spec, "bank.public.users"));
    assertThat(count("SELECT count(*) FROM iceberg.raw_data.users WHERE op = 'r'")).as("no re-snapshot")
        .isEqualTo(snapshotReads);
    assertThat(count("SELECT count(*) FROM iceberg.raw_data.transactions WHERE op = 'c'")).isEqualTo(2);
    await().atMost(LANDING).pollInterval(Duration.ofSeconds(2)).until(() -> rawCount("transactions") >= 5);
    assertThat(sqlTrino("SELECT id || ' ' || op || ' ' || CAST(count(*) AS varchar) FROM (SELECT"
        + " json_extract_scalar(data, '$.id') AS id, op FROM iceberg.raw_data.transactions"
        + " WHERE json_extract_scalar(data, '$.kind') LIKE 'old %') GROUP BY id, op ORDER BY 1"))
        .as("every row from before the apply in raw once, from the incremental snapshot")
        .containsExactlyElementsOf(oldRows.stream().map(id -> id + " r 1").toList());

    try (RESTCatalog catalog = IcebergCatalogs.open(spec.endpoints())) {
      Map<String, List<String>> columns = TableColumns.of(catalog,
          List.of("parsed_data.parsed_users", "data_vault.s_users"));
      assertThat(columns.get("parsed_data.parsed_users")).endsWith("phone");
      assertThat(columns.get("data_vault.s_users")).contains("phone");
    }
    // the worker reloaded with the example (simulated: activities on its spec) has nothing left to do
    assertThat(plan(apply(example), example, false).lines())
        .containsExactly(ApplyPlan.NOTHING_TO_DO);
    await().atMost(LANDING).pollInterval(Duration.ofSeconds(2)).until(() -> count("SELECT count(*) FROM"
        + " iceberg.raw_data.users WHERE op = 'u' AND json_extract_scalar(data, '$.email') = 'apply-before-3@it'") == 1);
    Map<String, Long> before = satelliteRows();
    materialize(example, "parsed_data.parsed_users", "apply-it-2");
    materialize(example, "data_vault.s_users", "apply-it-2");
    assertThat(sqlTrino("SELECT phone FROM iceberg.parsed_data.parsed_users WHERE email = 'apply-before-1@it'"
        + " AND phone IS NOT NULL")).contains("+41 00 000 00 00");
    Map<String, Long> after = satelliteRows();
    assertThat(after.get("apply-before-1@it")).as("phone set: one new row").isEqualTo(before.get("apply-before-1@it") + 1);
    assertThat(after.get("apply-before-2@it")).as("no change").isEqualTo(before.get("apply-before-2@it"));
    assertThat(after.get("apply-before-3@it")).as("a change of nothing the satellite carries, phone NULL")
        .isEqualTo(before.get("apply-before-3@it"));

    // the snapshot's reads carry no LSN: they reach parsed_data and the vault once each, as LSN 0
    // (docs/models.md#snapshot-reads-without-an-lsn), next to the two streamed inserts
    for (String model : List.of("parsed_data.parsed_transactions", "data_vault.h_transactions",
        "data_vault.s_transactions")) {
      materialize(example, model, "apply-it-3");
    }
    assertThat(count("SELECT count(*) FROM iceberg.parsed_data.rejected_transactions")).as("rejects").isZero();
    assertThat(sqlTrino("SELECT id || ' ' || op || ' ' || CAST(source_lsn AS varchar)"
        + " FROM iceberg.parsed_data.parsed_transactions WHERE kind LIKE 'old %' ORDER BY 1"))
        .containsExactlyElementsOf(oldRows.stream().map(id -> id + " r 0").toList());
    assertThat(count("SELECT count(*) FROM iceberg.parsed_data.parsed_transactions WHERE op = 'c'")).isEqualTo(2);
    assertThat(sqlTrino("SELECT id FROM iceberg.data_vault.h_transactions ORDER BY 1"))
        .as("the hub: the three snapshotted keys and the two inserted, once each").hasSize(5)
        .containsAll(oldRows);
    assertThat(sqlTrino("SELECT h.id || ' ' || s.kind || ' ' || CAST(s.amount AS varchar)"
        + " FROM iceberg.data_vault.s_transactions s JOIN iceberg.data_vault.h_transactions h"
        + " ON h.h_transactions_hk = s.h_transactions_hk WHERE s.kind LIKE 'old %' ORDER BY 1"))
        .as("the satellite: one row per snapshotted row, its values")
        .containsExactlyInAnyOrderElementsOf(sqlList("SELECT id::text || ' ' || kind || ' ' || amount::text"
            + " FROM transactions WHERE kind LIKE 'old %'"));
  }

  @Test
  @Order(4)
  void removingTheTableNeedsAllowRemovalAndKeepsItsData() throws Exception {
    SpecApplyActivities apply = apply(example);
    ApplyPlan refused = plan(apply, spec, false);
    assertThat(refused.refusals()).anyMatch(r -> r.startsWith("table transactions is no longer in the spec"));
    ApplyPlan plan = plan(apply, spec, true);
    assertThat(plan.actions()).extracting(ApplyAction::kind).contains(ApplyActionKind.CONNECTOR_EXCLUDE_TABLE,
        ApplyActionKind.INGEST_JOB_REDEPLOY, ApplyActionKind.WORKER_RELOAD);
    converge(apply, spec, plan);
    assertThat(new ConnectActivitiesImpl(spec).includedTables()).contains(List.of("accounts", "users"));
    assertThat(new FlinkActivitiesImpl(spec).jobStatus().pipelineName()).isEqualTo(IngestSql.jobName(spec));
    assertThat(rawCount("transactions")).as("its data is kept").isGreaterThanOrEqualTo(2);
  }

  /**
   * What an apply that failed between its connector update and the snapshot signal leaves (or the ingestion setup
   * of a worker whose spec has a new table): the table captured, its snapshot owed. The next apply plans it.
   */
  @Test
  @Order(5)
  void aSnapshotOwedSinceAConnectorUpdateIsPlannedByTheNextApply() throws Exception {
    new ConnectActivitiesImpl(example).upsertConnector();
    assertThat(new ConnectActivitiesImpl(spec).includedTables()).contains(List.of("accounts", "transactions", "users"));
    SpecApplyActivities apply = apply(example);
    ApplyPlan owed = plan(apply, example, false);
    assertThat(owed.actions()).filteredOn(a -> a.kind().name().startsWith("CONNECTOR_"))
        .extracting(a -> a.kind() + " " + a.target()).containsExactly("CONNECTOR_SNAPSHOT_TABLE transactions");
    assertThat(apply.convergeConnector(example.structure(), List.of("transactions")))
        .anyMatch(c -> c.startsWith("signalled an incremental snapshot of transactions"));
    assertThat(plan(apply, example, false).actions()).as("paid by the signal")
        .noneMatch(a -> a.kind().name().startsWith("CONNECTOR_"));
    // nobody writes to the source meanwhile: the snapshot ends only because the step emits transactions
    // (docs/apply.md#a-snapshot-in-a-quiet-source)
    assertThat(apply.awaitSnapshots(example.structure(), List.of("transactions")))
        .singleElement().asString().startsWith("snapshot of transactions read to its end");
  }

  private static ApplyPlan plan(SpecApplyActivities apply, PipelineSpec desired, boolean allowRemoval) {
    return SpecPlanner.plan(desired.structure(), apply.observe(desired.structure()), allowRemoval);
  }

  /** What SpecApplyWorkflowImpl does with a plan, step by step. */
  private static List<String> converge(SpecApplyActivities apply, PipelineSpec desired, ApplyPlan plan) {
    List<String> changes = new ArrayList<>();
    if (!plan.of(ApplySystem.SOURCE).isEmpty()) {
      changes.addAll(apply.convergeSource(desired.structure()));
    }
    if (!plan.of(ApplySystem.DEBEZIUM).isEmpty()) {
      changes.addAll(apply.convergeConnector(desired.structure(), plan.of(ApplySystem.DEBEZIUM).stream()
          .filter(a -> a.kind() == ApplyActionKind.CONNECTOR_SNAPSHOT_TABLE).map(ApplyAction::target).toList()));
    }
    if (!plan.of(ApplySystem.ICEBERG).isEmpty()) {
      changes.addAll(apply.convergeIceberg(desired.structure(), plan.of(ApplySystem.ICEBERG)));
    }
    if (!plan.of(ApplySystem.FLINK).isEmpty()) {
      changes.addAll(apply.convergeIngestJob(desired.structure()));
    }
    List<String> snapshot = plan.of(ApplySystem.DEBEZIUM).stream()
        .filter(a -> a.kind() == ApplyActionKind.CONNECTOR_SNAPSHOT_TABLE).map(ApplyAction::target).toList();
    if (!snapshot.isEmpty()) {
      changes.addAll(apply.awaitSnapshots(desired.structure(), snapshot));
    }
    return changes;
  }

  /** One insert or update of users every 100 ms until stopped. */
  private void steadyLoad(AtomicBoolean loading, AtomicInteger written) {
    int i = 0;
    while (loading.get()) {
      try {
        if (i % 2 == 0) {
          sql("INSERT INTO users (email, name) VALUES ('apply-load-" + i + "@it', 'load " + i + "')");
        } else {
          sql("UPDATE users SET name = 'load " + i + " renamed' WHERE email = 'apply-load-" + (i - 1) + "@it'");
        }
        written.incrementAndGet();
        i++;
        Thread.sleep(100);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private Connection postgres() throws Exception {
    var pg = spec.endpoints().postgres();
    return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
  }

  private void sql(String script) throws Exception {
    try (Connection c = postgres(); Statement s = c.createStatement()) {
      for (String statement : script.split(";\\s*\n")) {
        String code = statement.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n");
        if (!code.isBlank()) {
          s.execute(code);
        }
      }
    }
  }

  private List<String> sqlList(String query) throws Exception {
    try (Connection c = postgres(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private List<String> sqlTrino(String query) throws Exception {
    try (Connection c = RawChecks.trino(spec); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private long count(String query) throws Exception {
    return Long.parseLong(sqlTrino(query).get(0));
  }

  private long rawCount(String table) throws Exception {
    return count("SELECT count(*) FROM iceberg.raw_data." + table);
  }

  /** Rows of {@code data_vault.s_users} per email of the test's first users. */
  private Map<String, Long> satelliteRows() throws Exception {
    Map<String, Long> out = new HashMap<>();
    try (Connection c = RawChecks.trino(spec); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT email, count(*) FROM iceberg.data_vault.s_users"
            + " WHERE email LIKE 'apply-before-%' GROUP BY email")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  /** Rows per Kafka offset of partition 0 of a raw table. */
  private Map<Long, Long> offsetsAndCounts(String table) throws Exception {
    Map<Long, Long> out = new HashMap<>();
    for (Long offset : RawChecks.rawOffsets(spec, table)) {
      out.merge(offset, 1L, Long::sum);
    }
    return out;
  }

  private JsonNode getJson(String url) throws Exception {
    return new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }
}
