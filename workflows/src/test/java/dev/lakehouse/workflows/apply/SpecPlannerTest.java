package dev.lakehouse.workflows.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.ColumnSpec;
import dev.lakehouse.spec.ColumnType;
import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.SpecStructure;
import dev.lakehouse.spec.TableSpec;
import dev.lakehouse.workflows.automation.Change;
import dev.lakehouse.workflows.testing.ObservedStates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecPlannerTest {
  private static final SpecStructure CURRENT = ObservedStates.CURRENT;
  private static final SpecStructure EXAMPLE = ObservedStates.EXAMPLE;

  private static ObservedState converged(SpecStructure structure) {
    return ObservedStates.converged(structure);
  }

  private static List<SourceTableState> sourceTables(List<String> names) {
    return ObservedStates.sourceTables(names);
  }

  private static ObservedState beforeExample() {
    return ObservedStates.beforeExample();
  }

  private static List<String> kinds(ApplyPlan plan) {
    return plan.actions().stream().map(a -> a.kind() + " " + a.target() + (a.detail().isEmpty() ? "" : " " + a.detail()))
        .toList();
  }

  @Test
  void anUnchangedSpecHasNothingToDo() {
    ApplyPlan plan = SpecPlanner.plan(CURRENT, converged(CURRENT), false);
    assertThat(plan.nothingToDo()).isTrue();
    assertThat(plan.lines()).containsExactly(ApplyPlan.NOTHING_TO_DO);
  }

  @Test
  void theExampleAddsATableAndAColumnToEverySystemInOrder() {
    ApplyPlan plan = SpecPlanner.plan(EXAMPLE, beforeExample(), false);
    assertThat(plan.refused()).isFalse();
    assertThat(kinds(plan)).containsExactly(
        "PUBLICATION_ADD_TABLE transactions",
        "CONNECTOR_INCLUDE_TABLE transactions config updated in place",
        "CONNECTOR_SNAPSHOT_TABLE transactions its existing rows, as op=r events",
        "RAW_TABLE_CREATE raw_data.transactions",
        "PARSED_ADD_COLUMN parsed_data.parsed_users phone varchar",
        "SATELLITE_ADD_COLUMN data_vault.s_users phone varchar",
        "INGEST_JOB_REDEPLOY lakehouse-ingest-bbbbbbbb statement set aaaaaaaa -> bbbbbbbb, stop with savepoint,"
            + " resume from its offsets",
        "WORKER_RELOAD worker asset graph and models from the applied spec");
    assertThat(plan.lines()).contains("source (PostgreSQL):", "  + add to publication transactions",
        "flink (ingest job):", "  + add column data_vault.s_users: phone varchar");
  }

  @Test
  void theAutomationsChangesAreTheTemporalGroupAndItsUnchangedOnesAreLeftOut() {
    ApplyPlan plan = SpecPlanner.plan(EXAMPLE, beforeExample(), false).withTemporal(TemporalActions.of(List.of(
        new Change(Change.Target.SENSOR, "sensor-raw_data.users", Change.Action.UNCHANGED, "every 5s"),
        new Change(Change.Target.SENSOR, "sensor-raw_data.transactions", Change.Action.CREATE, "started, every 5s"),
        new Change(Change.Target.SENSOR, "sensor-raw_data.old", Change.Action.DELETE,
            "stopped (its table is not in the spec)"),
        new Change(Change.Target.SENSOR, "sensor-raw_data.accounts", Change.Action.UPDATE, "interval 5s → 2s"),
        new Change(Change.Target.SCHEDULE, "maintenance-vault", Change.Action.UPDATE, "cron 0 3 * * * → 0 4 * * *"),
        new Change(Change.Target.SCHEDULE, "ingestion-health", Change.Action.UNCHANGED, "cron * * * * *"))));
    List<String> lines = plan.lines();
    assertThat(lines.subList(lines.indexOf("temporal (schedules, sensors, worker):"), lines.size())).containsExactly(
        "temporal (schedules, sensors, worker):",
        "  + reload worker: asset graph and models from the applied spec",
        "  + start sensor sensor-raw_data.transactions: every 5s",
        "  - stop sensor sensor-raw_data.old: its table is not in the spec",
        "  ~ update sensor sensor-raw_data.accounts: interval 5s → 2s",
        "  ~ update schedule maintenance-vault: cron 0 3 * * * → 0 4 * * *");
  }

  @Test
  void aScheduleChangeAloneIsSomethingToDoAndARefusedPlanGetsNoTemporalActions() {
    List<ApplyAction> cron = TemporalActions.of(List.of(new Change(Change.Target.SCHEDULE, "ingestion-health",
        Change.Action.UPDATE, "input changed (thresholds, policies or models)")));
    ApplyPlan unchanged = SpecPlanner.plan(CURRENT, converged(CURRENT), false);
    assertThat(unchanged.withTemporal(cron).nothingToDo()).isFalse();
    assertThat(unchanged.withTemporal(cron).lines()).containsExactly("temporal (schedules, sensors, worker):",
        "  ~ update schedule ingestion-health: input changed (thresholds, policies or models)");
    assertThat(unchanged.withTemporal(TemporalActions.of(List.of(new Change(Change.Target.SCHEDULE,
        "ingestion-health", Change.Action.UNCHANGED, "cron * * * * *")))).nothingToDo()).isTrue();

    ObservedState noTable = new ObservedState(CURRENT, sourceTables(CURRENT.tableNames()), true,
        CURRENT.tableNames(), CURRENT.tableNames(), "aaaaaaaa", "bbbbbbbb", Map.of(), List.of());
    ApplyPlan refused = SpecPlanner.plan(EXAMPLE, noTable, false);
    assertThat(refused.refused()).isTrue();
    assertThat(refused.withTemporal(cron).actions()).isEmpty();
  }

  @Test
  void aFreshStackCreatesThePublicationConnectorAndJob() {
    ObservedState fresh = new ObservedState(CURRENT, sourceTables(CURRENT.tableNames()), false, List.of(), null,
        null, "aaaaaaaa", Map.of(), List.of());
    ApplyPlan plan = SpecPlanner.plan(CURRENT, fresh, false);
    assertThat(kinds(plan)).containsExactly(
        "PUBLICATION_CREATE publication",
        "PUBLICATION_ADD_TABLE accounts",
        "PUBLICATION_ADD_TABLE users",
        "CONNECTOR_CREATE connector table.include.list [accounts, users]",
        "RAW_TABLE_CREATE raw_data.accounts",
        "RAW_TABLE_CREATE raw_data.users",
        "INGEST_JOB_SUBMIT lakehouse-ingest-aaaaaaaa");
  }

  @Test
  void aJobSubmittedBeforeFingerprintsIsRedeployed() {
    ObservedState now = converged(CURRENT);
    ObservedState legacy = new ObservedState(CURRENT, now.sourceTables(), true, now.publicationTables(),
        now.connectorTables(), "", "aaaaaaaa", now.icebergColumns(), List.of());
    assertThat(kinds(SpecPlanner.plan(CURRENT, legacy, false))).singleElement().asString()
        .startsWith("INGEST_JOB_REDEPLOY lakehouse-ingest-aaaaaaaa statement set unversioned -> aaaaaaaa");
  }

  @Test
  void aCapturedTableWhoseSnapshotWasNeverSignalledIsSnapshottedAndNothingElse() {
    ObservedState done = converged(EXAMPLE);
    ObservedState pending = new ObservedState(EXAMPLE, done.sourceTables(), true, done.publicationTables(),
        done.connectorTables(), done.ingestFingerprint(), done.desiredIngestFingerprint(), done.icebergColumns(),
        List.of("transactions"));
    assertThat(kinds(SpecPlanner.plan(EXAMPLE, pending, false))).containsExactly("CONNECTOR_SNAPSHOT_TABLE"
        + " transactions its existing rows, as op=r events (captured since a connector update, never snapshotted)");
    assertThat(SpecPlanner.plan(EXAMPLE, done, false).actions()).isEmpty();
    // a pending table the connector does not capture (yet) is included and snapshotted once
    ObservedState notIncluded = new ObservedState(CURRENT, sourceTables(EXAMPLE.tableNames()), true,
        done.publicationTables(), CURRENT.tableNames(), "aaaaaaaa", "aaaaaaaa", done.icebergColumns(),
        List.of("transactions"));
    assertThat(kinds(SpecPlanner.plan(EXAMPLE, notIncluded, false))).filteredOn(k -> k.contains("transactions")
        && k.startsWith("CONNECTOR_")).containsExactly("CONNECTOR_INCLUDE_TABLE transactions config updated in place",
        "CONNECTOR_SNAPSHOT_TABLE transactions its existing rows, as op=r events");
  }

  @Test
  void aCapturedTableTheWorkersSpecAlreadyLacksIsARemovalToo() {
    // ./lakehouse up with a spec in use without transactions: the worker runs it, its setup kept the table captured
    ObservedState now = converged(CURRENT);
    ObservedState stillCaptured = new ObservedState(CURRENT, now.sourceTables(), true, EXAMPLE.tableNames(),
        EXAMPLE.tableNames(), "aaaaaaaa", "aaaaaaaa", now.icebergColumns(), List.of());
    ApplyPlan refused = SpecPlanner.plan(CURRENT, stillCaptured, false);
    assertThat(refused.actions()).isEmpty();
    assertThat(refused.refusals()).containsExactly("table transactions is no longer in the spec (the connector still"
        + " captures it): pass --allow-removal to stop ingesting it (its raw, parsed and vault data are kept)");
    assertThat(kinds(SpecPlanner.plan(CURRENT, stillCaptured, true)))
        .containsExactly("CONNECTOR_EXCLUDE_TABLE transactions no longer captured; its data is kept");
  }

  @Test
  void aTableMissingInTheSourceIsRefusedAndNothingIsPlanned() {
    ObservedState now = converged(CURRENT);
    ObservedState noTransactions = new ObservedState(CURRENT, sourceTables(CURRENT.tableNames()), true,
        now.publicationTables(), now.connectorTables(), "aaaaaaaa", "bbbbbbbb", now.icebergColumns(), List.of());
    ApplyPlan plan = SpecPlanner.plan(EXAMPLE, noTransactions, false);
    assertThat(plan.actions()).isEmpty();
    assertThat(plan.refusals()).containsExactly("table transactions does not exist in the source database: create"
        + " it there first (apply never creates source tables), or remove lakehouse.tables.transactions from the"
        + " spec");
  }

  @Test
  void aTableWithoutPrimaryKeyIsRefusedAndOneWithoutFullReplicaIdentityNoted() {
    ObservedState before = beforeExample();
    List<SourceTableState> source = new ArrayList<>(sourceTables(CURRENT.tableNames()));
    source.add(new SourceTableState("transactions", true, false, true));
    ApplyPlan noKey = SpecPlanner.plan(EXAMPLE, withSource(before, source), false);
    assertThat(noKey.refusals()).singleElement().asString().startsWith("table transactions has no primary key");

    source.set(source.size() - 1, new SourceTableState("transactions", true, true, false));
    ApplyPlan partial = SpecPlanner.plan(EXAMPLE, withSource(before, source), false);
    assertThat(partial.refused()).isFalse();
    assertThat(partial.notes()).singleElement().asString().startsWith("table transactions is not REPLICA IDENTITY FULL");
  }

  private static ObservedState withSource(ObservedState o, List<SourceTableState> source) {
    return new ObservedState(o.applied(), source, o.publication(), o.publicationTables(), o.connectorTables(),
        o.ingestFingerprint(), o.desiredIngestFingerprint(), o.icebergColumns(), o.snapshotsPending());
  }

  @Test
  void aTypeChangeIsRefused() {
    SpecStructure changed = replaceTable(CURRENT, "users", t -> new TableSpec(t.name(), t.primaryKey(),
        t.columns().stream().map(c -> c.name().equals("created_at")
            ? new ColumnSpec(c.name(), ColumnType.of(ColumnType.Kind.TIMESTAMP)) : c).toList()));
    ApplyPlan plan = SpecPlanner.plan(changed, converged(CURRENT), false);
    assertThat(plan.refusals()).containsExactly("column users.created_at changes type date -> timestamp: the"
        + " stored rows keep date; use a new column, or change it and run backfill --full-refresh on its models");
    assertThat(plan.actions()).isEmpty();
  }

  @Test
  void aRemovedTableOrColumnNeedsAllowRemoval() {
    SpecStructure withoutAccounts = new SpecStructure(List.of(CURRENT.table("users").orElseThrow()),
        CURRENT.hubs().stream().filter(h -> h.table().equals("users")).toList(), List.of(),
        CURRENT.satellites().stream().filter(s -> s.table().equals("users")).toList());
    ApplyPlan refused = SpecPlanner.plan(withoutAccounts, converged(CURRENT), false);
    assertThat(refused.refusals()).containsExactly("table accounts is no longer in the spec: pass --allow-removal"
        + " to stop ingesting it (its raw, parsed and vault data are kept)");

    ObservedState now = converged(CURRENT);
    ObservedState sameJob = new ObservedState(now.applied(), now.sourceTables(), true, now.publicationTables(),
        now.connectorTables(), "aaaaaaaa", "cccccccc", now.icebergColumns(), List.of());
    ApplyPlan allowed = SpecPlanner.plan(withoutAccounts, sameJob, true);
    assertThat(kinds(allowed)).contains("CONNECTOR_EXCLUDE_TABLE accounts no longer captured; its data is kept");
    assertThat(allowed.lines()).contains("  - exclude table accounts: no longer captured; its data is kept");

    SpecStructure withoutName = replaceTable(CURRENT, "users", t -> new TableSpec(t.name(), t.primaryKey(),
        t.columns().stream().filter(c -> !c.name().equals("created_at")).toList()));
    SpecStructure satellite = new SpecStructure(withoutName.tables(), withoutName.hubs(), withoutName.links(),
        withoutName.satellites().stream().map(s -> s.name().equals("s_users")
            ? new SatelliteSpec(s.name(), s.parent(), s.table(), List.of("email", "name"), s.dependsOn()) : s)
            .toList());
    assertThat(SpecPlanner.plan(satellite, converged(CURRENT), false).refusals()).containsExactly(
        "column users.created_at is no longer in the spec: pass --allow-removal to stop filling it (its column and"
            + " data are kept)",
        "satellite s_users drops [created_at]: pass --allow-removal to stop carrying them (its hashdiff changes, so"
            + " each key's next change writes a new row)");
    assertThat(SpecPlanner.plan(satellite, converged(CURRENT), true).refused()).isFalse();
  }

  @Test
  void aSatelliteMayOnlyAppendColumns() {
    SpecStructure reordered = new SpecStructure(CURRENT.tables(), CURRENT.hubs(), CURRENT.links(),
        CURRENT.satellites().stream().map(s -> s.name().equals("s_users")
            ? new SatelliteSpec(s.name(), s.parent(), s.table(), List.of("name", "email", "created_at"), s.dependsOn())
            : s).toList());
    assertThat(SpecPlanner.plan(reordered, converged(CURRENT), false).refusals()).containsExactly(
        "satellite s_users reorders its columns [email, name, created_at] -> [name, email, created_at]: keep the"
            + " existing order and append new columns last (the hashdiff order)");
  }

  @Test
  void anAppliedExampleHasNothingToDo() {
    assertThat(SpecPlanner.plan(EXAMPLE, converged(EXAMPLE), false).nothingToDo()).isTrue();
  }

  private static SpecStructure replaceTable(SpecStructure s, String name,
      java.util.function.UnaryOperator<TableSpec> change) {
    return new SpecStructure(s.tables().stream().map(t -> t.name().equals(name) ? change.apply(t) : t).toList(),
        s.hubs(), s.links(), s.satellites());
  }
}
