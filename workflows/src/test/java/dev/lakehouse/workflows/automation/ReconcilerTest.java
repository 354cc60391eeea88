package dev.lakehouse.workflows.automation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.AssetChecksInput;
import dev.lakehouse.workflows.HealthInput;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.Trigger;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.assets.AssetKind;
import dev.lakehouse.workflows.assets.Selection;
import dev.lakehouse.workflows.automation.Change.Action;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  static final ScheduledJob VAULT = new ScheduledJob("maintenance-vault", "MaintenanceWorkflow", "in", "0 4 * * *",
      Duration.ofHours(6));
  static final ScheduledJob HEALTH = new ScheduledJob("ingestion-health", "IngestionHealthWorkflow",
      new HealthInput(60_000), "* * * * *", Duration.ofMinutes(1));

  static ObservedSchedule observed(String id, String cron, Object input, boolean paused, String note) {
    return new ObservedSchedule(id, cron, input, paused, note, true);
  }

  @Test
  void aMissingScheduleIsCreatedAndAnEqualOneIsUnchanged() {
    List<Change> changes = Reconciler.schedules(List.of(HEALTH, VAULT),
        Map.of("ingestion-health", observed("ingestion-health", "* * * * *", new HealthInput(60_000), false, "")));
    assertThat(changes).extracting(Change::line).containsExactly(
        "unchanged: schedule ingestion-health (cron * * * * *)",
        "schedule maintenance-vault: created, cron 0 4 * * *");
    assertThat(changes).extracting(Change::action).containsExactly(Action.UNCHANGED, Action.CREATE);
  }

  @Test
  void aChangedCronOrInputIsAnUpdateNamingOldAndNew() {
    List<Change> changes = Reconciler.schedules(List.of(VAULT, HEALTH), Map.of(
        "maintenance-vault", observed("maintenance-vault", "0 3 * * *", "in", false, null),
        "ingestion-health", observed("ingestion-health", "* * * * *", new HealthInput(30_000), false, null)));
    assertThat(changes).extracting(Change::line).containsExactly(
        "schedule maintenance-vault: cron 0 3 * * * → 0 4 * * *",
        "schedule ingestion-health: input changed (thresholds, policies or models)");
    assertThat(changes).allMatch(c -> c.action() == Action.UPDATE);
  }

  @Test
  void aScheduleWithoutTheCronMemoIsUpdatedSoItGetsOne() {
    assertThat(Reconciler.schedules(List.of(VAULT), Map.of("maintenance-vault",
        observed("maintenance-vault", null, "in", false, null))))
        .extracting(Change::line).containsExactly("schedule maintenance-vault: cron unknown → 0 4 * * *");
  }

  @Test
  void onlyAStopPauseIsUndoneAHandPauseStays() {
    assertThat(Reconciler.schedules(List.of(VAULT), Map.of("maintenance-vault",
        observed("maintenance-vault", "0 4 * * *", "in", true, Reconciler.STOP_NOTE))))
        .extracting(Change::action).containsExactly(Action.UNPAUSE);
    assertThat(Reconciler.schedules(List.of(VAULT), Map.of("maintenance-vault",
        observed("maintenance-vault", "0 4 * * *", "in", true, "disk full, ask ops"))))
        .extracting(Change::line).containsExactly(
            "unchanged: schedule maintenance-vault (cron 0 4 * * *, paused: disk full, ask ops)");
  }

  @Test
  void aStopPausedScheduleWithANewCronIsUpdatedAndUnpaused() {
    assertThat(Reconciler.schedules(List.of(VAULT), Map.of("maintenance-vault",
        observed("maintenance-vault", "0 1 * * *", "in", true, Reconciler.STOP_NOTE))))
        .extracting(Change::action).containsExactly(Action.UPDATE, Action.UNPAUSE);
  }

  @Test
  void onlyManagedSchedulesOutsideTheSpecAreDeleted() {
    List<Change> changes = Reconciler.schedules(List.of(VAULT), Map.of(
        "maintenance-vault", observed("maintenance-vault", "0 4 * * *", "in", false, null),
        "maintenance-old", observed("maintenance-old", "0 5 * * *", null, false, null),
        "someone-elses", new ObservedSchedule("someone-elses", null, null, false, null, false)));
    assertThat(changes).extracting(Change::line).containsExactly(
        "unchanged: schedule maintenance-vault (cron 0 4 * * *)",
        "schedule maintenance-old: deleted (not in the spec)");
  }

  @Test
  void sensorsStartWhenMissingAndGetANewIntervalBySignal() {
    List<SensorTarget> want = List.of(new SensorTarget("sensor-raw_data.a", "raw_data.a", 2_000, true),
        new SensorTarget("sensor-raw_data.b", "raw_data.b", 2_000, true),
        new SensorTarget("sensor-raw_data.c", "raw_data.c", 2_000, true),
        new SensorTarget("sensor-raw_data.d", "raw_data.d", 2_000, true));
    List<Change> changes = Reconciler.sensors(want, Map.of(
        "sensor-raw_data.a", new SensorTarget("sensor-raw_data.a", "raw_data.a", 5_000, true),
        "sensor-raw_data.b", new SensorTarget("sensor-raw_data.b", "raw_data.b", 2_000, true),
        "sensor-raw_data.c", new SensorTarget("sensor-raw_data.c", "raw_data.c", 0, true)));
    assertThat(changes).extracting(Change::line).containsExactly(
        "sensor sensor-raw_data.a: interval 5s → 2s",
        "unchanged: sensor sensor-raw_data.b (every 2s)",
        "sensor sensor-raw_data.c: interval unknown → 2s",
        "sensor sensor-raw_data.d: started, every 2s");
  }

  @Test
  void aSensorOfATableNoLongerInTheSpecIsStoppedAfterTheOthers() {
    List<Change> changes = Reconciler.sensors(List.of(new SensorTarget("sensor-raw_data.a", "raw_data.a", 2_000,
        true)), Map.of(
        "sensor-raw_data.z", new SensorTarget("sensor-raw_data.z", "raw_data.z", 2_000, true),
        "sensor-raw_data.a", new SensorTarget("sensor-raw_data.a", "raw_data.a", 2_000, true),
        "sensor-raw_data.old", new SensorTarget("sensor-raw_data.old", "raw_data.old", 2_000, false)));
    assertThat(changes).extracting(Change::line).containsExactly(
        "unchanged: sensor sensor-raw_data.a (every 2s)",
        "sensor sensor-raw_data.z: stopped (its table is not in the spec)");
    assertThat(changes.get(1).action()).isEqualTo(Action.DELETE);
  }

  @Test
  void durationsAreWrittenAsTheSpecWritesThem() {
    assertThat(Reconciler.duration(5_000)).isEqualTo("5s");
    assertThat(Reconciler.duration(90_000)).isEqualTo("1m30s");
    assertThat(Reconciler.duration(3_600_000)).isEqualTo("1h");
    assertThat(Reconciler.duration(250)).isEqualTo("250ms");
  }

  @Test
  void theBundledSpecWantsTenSchedulesWithFixedIdsAndOneSensorPerRawTable() {
    PipelineSpec spec = SpecLoader.load();
    assertThat(AutomationPlan.schedules(spec)).extracting(ScheduledJob::id).containsExactly(
        Lakehouse.INGESTION_HEALTH_ID, Lakehouse.MAINTENANCE_VAULT_ID, Lakehouse.MAINTENANCE_RAW_PARSED_ID,
        Lakehouse.MAINTENANCE_EXTENDED_STATS_ID, Lakehouse.MAINTENANCE_COMPACT_RAW_ID,
        Lakehouse.MAINTENANCE_METADATA_ID, Lakehouse.MAINTENANCE_EXPIRE_MODELS_ID,
        Lakehouse.MAINTENANCE_EXPIRE_RAW_ID, Lakehouse.CHECKS_FULL_ID,
        "schedule-marts.user_balances");
    assertThat(AutomationPlan.schedules(spec)).extracting(ScheduledJob::cron).containsExactly(
        spec.schedules().healthCron(), spec.schedules().maintenance().vault().cron(),
        spec.schedules().maintenance().rawParsed().cron(), spec.schedules().maintenance().dropExtendedStatsCron(),
        spec.schedules().maintenance().compactRawCron(), spec.schedules().maintenance().compactRawCron(),
        spec.schedules().maintenance().compactRawCron(), spec.schedules().maintenance().compactRawCron(),
        spec.schedules().checksFullCron(), "* * * * *");
    assertThat(AutomationPlan.expireModelsInput(spec)).satisfies(in -> {
      assertThat(in.group()).isEqualTo("models");
      assertThat(in.operations()).containsExactly("expire_snapshots");
      assertThat(in.expireSnapshotsRetention()).isEqualTo("PT1H");
    });
    assertThat(AutomationPlan.expireRawInput(spec)).satisfies(in -> {
      assertThat(in.group()).isEqualTo("raw");
      assertThat(in.operations()).containsExactly("expire_snapshots");
      assertThat(in.expireSnapshotsRetention()).isEqualTo("PT1H");
    });
    // the mart's schedule asks the coordinator for the mart and what is eager below it
    assertThat(AutomationPlan.modelSchedules(spec)).singleElement().satisfies(job -> {
      assertThat(job.workflowType()).isEqualTo("ScheduledRunWorkflow");
      assertThat(job.input()).isEqualTo(new MaterializeRequest("eager:marts.user_balances",
          "schedule schedule-marts.user_balances", Trigger.SCHEDULE));
    });
    assertThat(AutomationPlan.sensors(spec)).extracting(SensorTarget::id)
        .containsExactlyInAnyOrder("sensor-raw_data.users", "sensor-raw_data.accounts");
  }

  @Test
  void theFullChecksScheduleChecksEveryModelOverWholeTablesAndIsOffWithoutACron() {
    PipelineSpec spec = SpecLoader.load();
    ScheduledJob job = AutomationPlan.checksFullSchedule(spec).get(0);
    assertThat(job.id()).isEqualTo("checks-full");
    assertThat(job.workflowType()).isEqualTo("AssetChecksWorkflow");
    assertThat(job.catchupWindow()).isEqualTo(AutomationPlan.MAINTENANCE_CATCHUP);
    // what lakehouse checks --full sends without --select: every model, in plan order, whole tables
    assertThat(job.input()).isEqualTo(new AssetChecksInput(
        AssetGraph.fromSpec(spec).plan(Selection.orAllModels(null)).assetKeys(), true));
    assertThat(((AssetChecksInput) job.input()).assets()).contains("data_vault.s_users", "marts.user_balances")
        .hasSize(AssetGraph.fromSpec(spec).ofKind(AssetKind.MODEL).size());

    PipelineSpec off = SpecLoader.load(Map.of("lakehouse.schedules.checks-full-cron", ""));
    assertThat(AutomationPlan.schedules(off)).extracting(ScheduledJob::id).doesNotContain("checks-full");
    // a schedule the lakehouse made that the spec no longer wants is deleted by the next reconcile
    assertThat(Reconciler.schedules(AutomationPlan.schedules(off), Map.of("checks-full",
        observed("checks-full", "0 3 * * *", job.input(), false, null))))
        .filteredOn(c -> c.id().equals("checks-full")).extracting(Change::line)
        .containsExactly("schedule checks-full: deleted (not in the spec)");

    PipelineSpec weekly = SpecLoader.load(Map.of("lakehouse.schedules.checks-full-cron", "0 4 * * 0"));
    assertThat(Reconciler.schedules(AutomationPlan.checksFullSchedule(weekly), Map.of("checks-full",
        observed("checks-full", "0 3 * * *", job.input(), false, null))))
        .extracting(Change::line).containsExactly("schedule checks-full: cron 0 3 * * * → 0 4 * * 0");
  }

  @Test
  void aModelLeavingTheSpecChangesTheFullChecksInputSoTheScheduleIsUpdated() {
    PipelineSpec spec = SpecLoader.load();
    PipelineSpec fewer = spec.withUserModels(List.of());
    ScheduledJob now = AutomationPlan.checksFullSchedule(spec).get(0);
    assertThat(Reconciler.schedules(AutomationPlan.checksFullSchedule(fewer), Map.of("checks-full",
        observed("checks-full", now.cron(), now.input(), false, null))))
        .extracting(Change::line)
        .containsExactly("schedule checks-full: input changed (thresholds, policies or models)");
  }
}
