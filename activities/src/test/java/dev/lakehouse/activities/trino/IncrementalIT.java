package dev.lakehouse.activities.trino;

import static dev.lakehouse.activities.trino.RawEvent.row;
import static dev.lakehouse.activities.trino.SeedScenarioIT.assertSameTables;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.Plan;
import dev.lakehouse.workflows.activities.MaterializeResult;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exactness of the incremental input (docs/architecture.md#incremental-materialization) on real Trino. */
class IncrementalIT {
  static final String PARSED_USERS = "parsed_data.parsed_users";
  Harness h;

  @BeforeEach
  void reset() throws Exception {
    h = new Harness(ItStack.spec());
    h.reset();
  }

  /**
   * T1 writes Bruce early (LSN ...400) and commits late; T2 writes Clark later (LSN ...500) and commits first.
   * Debezium emits in commit order, so Clark lands and is loaded first; an LSN watermark would then drop Bruce.
   */
  @Test
  void laterCommitWithSmallerLsnIsNotLost() throws Exception {
    RawEvent clark = SeedScenario.event("users", 0, 5, "c", row("id", SeedScenario.CLARK, "email", "clark@kent.com",
        "name", "Clark Kent", "created_at", 20781));
    RawEvent bruce = SeedScenario.event("users", 1, 4, "c", row("id", SeedScenario.BRUCE, "email", "bruce@wayne.com",
        "name", "Bruce W", "created_at", 20781));
    h.insert(List.of(clark));
    h.runAll(false);
    h.insert(List.of(bruce));
    List<MaterializeResult> second = h.runAll(false);
    assertThat(second).filteredOn(r -> r.assetKey().equals(PARSED_USERS)).singleElement()
        .satisfies(r -> assertThat(r.rowsOut()).isEqualTo(1));
    assertThat(h.read("data_vault.h_users")).hasSize(2);
    assertThat(h.read("data_vault.s_users")).hasSize(2);
    assertSameTables(h.readAll(), h.oracle.tables(List.of(clark, bruce)));
  }

  @Test
  void sameEventsAtNewOffsetsAddNoRows() throws Exception {
    List<RawEvent> events = SeedScenario.events();
    h.insert(events);
    h.runAll(false);
    Map<String, List<List<String>>> once = h.readAll();

    // Debezium after a crash: the same changes again, at new offsets, landing later
    List<RawEvent> again = new ArrayList<>();
    Instant later = SeedScenario.T0.plusSeconds(600);
    for (RawEvent e : events) {
      again.add(e.redelivered(e.offset() + 10, later));
    }
    h.insert(again);
    List<MaterializeResult> rerun = h.runAll(false);
    assertThat(rerun).filteredOn(r -> r.assetKey().startsWith("parsed_data.")).allSatisfy(r -> {
      assertThat(r.rowsIn()).isPositive();
      assertThat(r.rowsOut()).isZero();
    });
    assertThat(rerun).allSatisfy(r -> assertThat(r.rowsOut()).as(r.assetKey()).isZero());
    assertSameTables(h.readAll(), once);
  }

  /**
   * A full refresh by a runner that ran the models before replaces only their own tables (no DDL of schemas,
   * upstream tables, views or the ops table) and plans from the reset row it just wrote: the rebuilt tables equal
   * the oracle, and the next incremental run reads only what came after.
   */
  @Test
  void aFullRefreshAfterIncrementalRunsRebuildsTheSameTablesAndTheNextRunGoesOn() throws Exception {
    List<RawEvent> events = SeedScenario.events();
    h.insert(events.subList(0, events.size() / 2));
    h.runAll(false);
    h.insert(events.subList(events.size() / 2, events.size()));
    h.runAll(false);
    List<MaterializeResult> full = h.runAll(true);
    assertThat(full).filteredOn(r -> r.assetKey().startsWith("parsed_data."))
        .allSatisfy(r -> assertThat(r.rowsIn()).as(r.assetKey()).isPositive());
    assertSameTables(h.readAll(), h.oracle.tables(events));

    RawEvent late = SeedScenario.event("users", 5, 9, "u", row("id", SeedScenario.BRUCE, "email",
        "bruce@wayne.com", "name", "Bruce Wayne II", "created_at", 20781));
    h.insert(List.of(late));
    List<MaterializeResult> next = h.runAll(false);
    assertThat(next).filteredOn(r -> r.assetKey().equals(PARSED_USERS)).singleElement()
        .satisfies(r -> assertThat(r.rowsIn()).isEqualTo(1));
    List<RawEvent> all = new ArrayList<>(events);
    all.add(late);
    assertSameTables(h.readAll(), h.oracle.tables(all));
  }

  @Test
  void unparsableRowsAreRejectedAndTheRunSucceeds() throws Exception {
    Instant at = SeedScenario.T0.plusSeconds(30);
    List<RawEvent> events = new ArrayList<>(SeedScenario.events());
    events.add(new RawEvent("accounts", 3, "c", "{\"id\": \"7c1e2a4b-", 24_000_901L, 900L, at.toEpochMilli(), at));
    events.add(new RawEvent("accounts", 4, "c", RawEvent.image(row("user_id", SeedScenario.BRUCE, "currency", "EUR",
        "balance", "1.00")), 24_000_902L, 900L, at.toEpochMilli(), at));
    events.add(new RawEvent("accounts", 5, "u", RawEvent.image(row("id", SeedScenario.ACCOUNT_BRUCE, "user_id",
        SeedScenario.BRUCE, "currency", "EUR", "balance", "12,50")), 24_000_903L, 900L, at.toEpochMilli(), at));
    events.add(new RawEvent("accounts", 6, null, "not a debezium envelope", null, null, null, at));
    h.insert(events);
    List<MaterializeResult> results = h.runAll(false);
    assertThat(results).filteredOn(r -> r.assetKey().equals("parsed_data.parsed_accounts")).singleElement()
        .satisfies(r -> {
          assertThat(r.rowsIn()).isEqualTo(7);
          assertThat(r.rowsOut()).isEqualTo(3);
          assertThat(r.rowsRejected()).isEqualTo(4);
        });
    assertThat(h.read("parsed_data.rejected_accounts")).extracting(r -> r.get(0)).containsExactlyInAnyOrder(
        "malformed JSON", "missing key: id", "bad value for balance (decimal(15,2))",
        "not a Debezium change event (no op)");
    assertSameTables(h.readAll(), h.oracle.tables(events));
    // the vault is the seed's: the bad rows reached neither parsed nor vault
    SeedScenario.expectedVault().forEach((table, rows) -> {
      try {
        assertThat(h.read(table)).as(table).containsExactlyInAnyOrderElementsOf(rows);
      } catch (java.sql.SQLException e) {
        throw new AssertionError(e);
      }
    });
    // a full refresh re-reads them: rejects are not duplicated
    h.run("parsed_data.parsed_accounts");
    h.runner.materialize("parsed_data.parsed_accounts", "it-full", true);
    assertThat(h.read("parsed_data.rejected_accounts")).hasSize(4);
  }

  /**
   * A source column whose type changed (docs/silent-loss.md#schema-change-policies): Debezium sends the new type's
   * representation and the parse model reads it as the spec's type. What no longer casts is quarantined with its
   * column and type, and so is a decimal with more fraction digits than the spec's scale (never rounded); what casts
   * exactly is accepted.
   */
  @Test
  void valuesOfAChangedSourceTypeAreReadAsTheSpecsTypeOrQuarantined() throws Exception {
    List<RawEvent> events = new ArrayList<>(SeedScenario.events());
    Map<String, Map<String, Object>> changed = new java.util.LinkedHashMap<>();
    // numeric(15,2) -> numeric(20,4): 123.4567 is not a decimal(15,2): quarantined, not rounded
    changed.put("a0000000-0000-4000-8000-000000000001", row("balance", "123.4567"));
    // numeric(15,2) -> numeric(20,2): a value with more integer digits than the spec's precision
    changed.put("a0000000-0000-4000-8000-000000000002", row("balance", "12345678901234.56"));
    // numeric -> integer: a JSON number
    changed.put("a0000000-0000-4000-8000-000000000003", row("balance", 7));
    // date -> timestamp: Debezium sends microseconds, no day count
    changed.put("a0000000-0000-4000-8000-000000000004", row("created_at", 1_733_443_200_000_000L));
    // date -> text holding an ISO date
    changed.put("a0000000-0000-4000-8000-000000000005", row("created_at", "2024-12-06"));
    // uuid -> text
    changed.put("a0000000-0000-4000-8000-000000000006", row("user_id", "customer-42"));
    int n = 0;
    for (var e : changed.entrySet()) {
      Map<String, Object> image = row("id", e.getKey(), "user_id", SeedScenario.BRUCE, "currency", "EUR", "balance",
          "1.00", "created_at", 20_000);
      image.putAll(e.getValue());
      events.add(SeedScenario.event("accounts", 10 + n, 30 + n, "c", image));
      n++;
    }
    h.insert(events);
    h.runAll(false);
    assertThat(h.read("parsed_data.rejected_accounts")).extracting(r -> r.get(0)).containsExactlyInAnyOrder(
        "bad value for balance (decimal(15,2))", "bad value for balance (decimal(15,2))",
        "bad value for created_at (date)", "bad value for user_id (uuid)");
    assertThat(h.query("SELECT CAST(id AS varchar), CAST(balance AS varchar), CAST(created_at AS varchar) FROM"
        + " iceberg.parsed_data.parsed_accounts WHERE CAST(id AS varchar) LIKE 'a0000000-%'"))
        .containsExactlyInAnyOrder(
            List.of("a0000000-0000-4000-8000-000000000003", "7.00", "2024-10-04"),
            List.of("a0000000-0000-4000-8000-000000000005", "1.00", "2024-12-06"));
    assertSameTables(h.readAll(), h.oracle.tables(events));
  }

  /** The MERGEs commit, then the worker dies before the watermark row: the re-run writes nothing twice. */
  @Test
  void crashBetweenModelCommitAndWatermarkWritesNothingTwice() throws Exception {
    List<RawEvent> events = SeedScenario.events();
    h.insert(events.subList(0, 4));
    h.runAll(false);
    h.insert(events.subList(4, events.size()));
    // every model's statements of the next run, without the ops row: what a crash leaves behind
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      for (String m : h.models()) {
        ModelSql.Model model = h.sql.model(m);
        Plan plan = h.runner.plan(model, st);
        for (ModelStatement s : model.load(plan.batch())) {
          st.execute(s.sql());
        }
      }
    }
    // the retry: same range, nothing new written
    List<MaterializeResult> retry = h.runAll(false);
    assertThat(retry).allSatisfy(r -> {
      assertThat(r.rowsIn()).as(r.assetKey()).isPositive();
      assertThat(r.rowsOut()).as(r.assetKey()).isZero();
    });
    assertSameTables(h.readAll(), h.oracle.tables(events));
  }

  /**
   * A run that leaves its record apart (the materialize workflow writes it beside the model's checks) has committed
   * its MERGEs but not moved the watermark: a run before the record is written reads the same range and writes
   * nothing twice; the record written twice (a retry after a commit of unknown outcome) is one row.
   */
  @Test
  void aRecordLeftApartMovesTheWatermarkOnceWrittenAndOnlyOnce() throws Exception {
    List<RawEvent> events = SeedScenario.events();
    h.insert(events);
    MaterializeResult first = h.runner.materialize(PARSED_USERS, "apart", false, true, ModelRunner.Listener.NONE);
    assertThat(first.rowsOut()).isPositive();
    assertThat(first.record()).isNotNull();
    assertThat(first.record().inputRanges()).isEqualTo(first.inputRanges());

    MaterializeResult again = h.runner.materialize(PARSED_USERS, "apart-again", false, true,
        ModelRunner.Listener.NONE);
    assertThat(again.rowsIn()).isEqualTo(first.rowsIn());
    assertThat(again.rowsOut()).isZero();
    h.runner.record(again.record(), ModelRunner.Listener.NONE);
    h.runner.record(again.record(), ModelRunner.Listener.NONE);
    assertThat(h.trino.query("SELECT count(*) FROM iceberg.ops.materializations WHERE asset = '" + PARSED_USERS
        + "' AND run_id LIKE 'apart%'")).containsExactly(List.of("1"));
    assertThat(h.run(PARSED_USERS).rowsIn()).isZero();
    h.runAll(false);
    assertSameTables(h.readAll(), h.oracle.tables(events));
  }

  /**
   * A runner plans from the watermark its last run left, checked against {@code ops.materializations} in the same
   * query. When another worker ran the models since, or a full refresh died after its {@code reset} row, the check
   * fails and the run plans from the actual watermark: nothing read twice, nothing skipped.
   */
  @Test
  void watermarkMovedByAnotherWorkerIsTheOneUsed() throws Exception {
    List<RawEvent> events = SeedScenario.events();
    h.insert(events.subList(0, 4));
    h.runAll(false); // h.runner now expects the watermarks of this run
    h.insert(events.subList(4, events.size()));
    ModelRunner other = new ModelRunner(h.sql, h.trino, java.time.Clock.systemUTC());
    for (String m : h.models()) {
      other.materialize(m, "other-worker", false);
    }
    // the first runner's expectation is stale: it must find nothing new, not re-read the other worker's range
    assertThat(h.runAll(false)).allSatisfy(r -> assertThat(r.rowsIn()).as(r.assetKey()).isZero());
    assertSameTables(h.readAll(), h.oracle.tables(events));

    // a full refresh by another worker that died right after its reset row: the next run here reads everything
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      st.execute(dev.lakehouse.models.OpsSql.insert(ModelStatement.Role.RESET, new dev.lakehouse.models.OpsSql.Row(
          PARSED_USERS, "other-worker-full", dev.lakehouse.models.OpsSql.Status.RESET, true,
          dev.lakehouse.models.InputRange.empty(), 0, 0, 0, Instant.now(), Instant.now())).sql());
    }
    long users = events.stream().filter(e -> e.table().equals("users")).count();
    MaterializeResult reread = h.run(PARSED_USERS);
    assertThat(reread.rowsIn()).isEqualTo(users);
    assertThat(reread.rowsOut()).isZero();
    assertSameTables(h.readAll(), h.oracle.tables(events));
  }

  /** MaterializeWorkflow runs independent models in parallel: first runs race on DDL and the ops table. */
  @Test
  void vaultModelsInParallelOnFreshTables() throws Exception {
    List<RawEvent> events = SeedScenario.events();
    h.insert(events);
    h.run("parsed_data.parsed_users");
    h.run("parsed_data.parsed_accounts");
    List<String> vault = h.models().stream().filter(m -> m.startsWith("data_vault.")).toList();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(vault.size());
    try {
      List<java.util.concurrent.Future<MaterializeResult>> runs = new ArrayList<>();
      for (String m : vault) {
        runs.add(pool.submit(() -> h.runner.materialize(m, "parallel", false)));
      }
      for (java.util.concurrent.Future<MaterializeResult> f : runs) {
        assertThat(f.get().rowsOut()).isPositive();
      }
    } finally {
      pool.shutdownNow();
    }
    assertSameTables(h.readAll(), h.oracle.tables(events));
    assertThat(h.count("ops.materializations")).isEqualTo(2 + vault.size());
  }

  /**
   * A topic that gains a partition after the models ran: its rows, from offset 0, are read by the next run beside
   * the rows above the watermark of the partition the models knew (the plan reads the two in separate branches).
   */
  @Test
  void aPartitionTheTopicGainsIsReadFromItsFirstOffset() throws Exception {
    List<RawEvent> first = SeedScenario.events();
    h.insert(first);
    h.runAll(false);
    RawEvent clarkRenamed = SeedScenario.event("users", 1, 0, 9, "u", row("id", SeedScenario.CLARK,
        "email", "clark@dailyplanet.com", "name", "Clark Kent", "created_at", SeedScenario.CREATED));
    RawEvent bruceRenamed = SeedScenario.event("users", 5, 10, "u", row("id", SeedScenario.BRUCE,
        "email", "bruce@wayne.com", "name", "Batman", "created_at", SeedScenario.CREATED));
    h.insert(List.of(clarkRenamed, bruceRenamed));
    List<MaterializeResult> second = h.runAll(false);
    assertThat(second).filteredOn(r -> r.assetKey().equals(PARSED_USERS)).singleElement()
        .satisfies(r -> assertThat(r.rowsIn()).isEqualTo(2));
    List<RawEvent> all = new ArrayList<>(first);
    all.addAll(List.of(clarkRenamed, bruceRenamed));
    assertSameTables(h.readAll(), h.oracle.tables(all));
    assertThat(h.runAll(false)).allSatisfy(r -> assertThat(r.rowsIn()).as(r.assetKey()).isZero());
  }

  /**
   * A backlog over {@code model-batch-max-rows} runs as consecutive bounded batches, each recorded like a run: the
   * tables are the oracle's, the run reports every row it read, and a later run reads nothing again.
   */
  @Test
  void aBacklogOverTheBatchLimitRunsInBoundedBatchesExactly() throws Exception {
    List<RawEvent> events = Workloads.generate(42, 300);
    h.insert(events.subList(0, 150));
    h.insert(events.subList(150, events.size())); // two raw commits, like two checkpoints
    ModelRunner small = new ModelRunner(new ModelSql(ItStack.spec(Map.of("lakehouse.worker.model-batch-max-rows",
        "40"))), h.trino, java.time.Clock.systemUTC());
    long users = events.stream().filter(e -> e.table().equals("users")).count();
    List<MaterializeResult> results = new ArrayList<>();
    for (String m : h.models()) {
      results.add(small.materialize(m, "it-bounded", false));
    }
    assertThat(results.get(h.models().indexOf(PARSED_USERS)).rowsIn()).isEqualTo(users);
    assertSameTables(h.readAll(), h.oracle.tables(events));
    assertThat(h.count("ops.materializations WHERE asset = '" + PARSED_USERS + "' AND run_id = 'it-bounded'"))
        .as("one record per bounded batch").isGreaterThanOrEqualTo(users / 40);
    assertThat(h.runAll(false)).allSatisfy(r -> assertThat(r.rowsIn()).as(r.assetKey()).isZero());
  }
}
