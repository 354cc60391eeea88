package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.models.MaintenanceSql;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.Schedules;
import dev.lakehouse.stack.StackEndpoints;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.worker.LakehouseWorker;
import dev.lakehouse.worker.WorkerConfig;
import dev.lakehouse.worker.WorkerMain;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaintenanceInput;
import dev.lakehouse.workflows.MaintenanceReport;
import dev.lakehouse.workflows.MaintenanceWorkflow;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.automation.AutomationPlan;
import java.sql.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each maintenance workflow of the automation (the inputs its crons get from the spec, with a 1 s retention) run
 * once, now, on the lakehouse the previous tests filled: no operation fails, every table reads back the same rows,
 * the snapshots older than the run are expired and an orphan file is removed.
 */
@Order(4)
@ExtendWith(LakehouseStackExtension.class)
class MaintenanceIT {
  static final List<String> TABLES = List.of("raw_data.users", "raw_data.accounts", "parsed_data.parsed_users",
      "parsed_data.parsed_accounts", "data_vault.h_users", "data_vault.h_accounts", "data_vault.l_users_accounts",
      "data_vault.s_users", "data_vault.s_accounts", "ops.materializations", "ops.asset_checks");
  static LakehouseWorker worker;

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void everyMaintenanceWorkflowLeavesTheSameContent(Endpoints e) throws Exception {
    PipelineSpec spec = SeedScenarioIT.testSpec();
    worker = WorkerMain.create(WorkerMain.modules(spec, WorkerConfig.from(spec)));
    worker.start();
    // pause the coordinator so no materialization changes the tables meanwhile
    Automation.setPaused(worker.client(), spec, true);
    try {
      MaterializerWorkflow coordinator = worker.client().newWorkflowStub(MaterializerWorkflow.class,
          Lakehouse.MATERIALIZER_ID);
      await("no run in flight").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
          .until(() -> coordinator.status().running() == null);
      Map<String, List<Map<String, String>>> before = contents(e);
      // a lakehouse minutes old has nothing older than the spec's 7 and 14 days: with a 1 s retention the old
      // snapshots and an orphan file planted in a table's data directory must go
      Instant started = Instant.now();
      Map<String, Long> oldSnapshotsBefore = oldSnapshots(e, started);
      Map<String, Map<String, String>> lastFlinkCommits = lastFlinkCommits(e);
      Path orphan = plantOrphan(e, "data_vault.s_users");
      Thread.sleep(2000); // older than the retention
      var m = spec.schedules().maintenance();
      Duration retention = Duration.ofSeconds(1);
      List<MaintenanceInput> inputs = List.of(AutomationPlan.maintenanceInput("vault", shortRetention(m.vault(), retention)),
          AutomationPlan.maintenanceInput("raw_parsed", shortRetention(m.rawParsed(), retention)),
          AutomationPlan.extendedStatsInput(),
          // the frequent jobs: compaction of what only appends, every table's metadata cleanup, the models' expiry
          AutomationPlan.compactRawInput(m.rawParsed()), AutomationPlan.metadataCleanupInput(),
          AutomationPlan.expireModelsInput(spec), AutomationPlan.expireRawInput(spec));
      for (MaintenanceInput input : inputs) {
        long t = System.nanoTime();
        MaintenanceReport report = worker.client().newWorkflowStub(MaintenanceWorkflow.class,
            Automation.options(spec, "e2e-maintenance-" + input.group() + "-" + System.currentTimeMillis()))
            .run(input);
        System.out.printf("maintenance %s: %d operations done in %.0f s, failed %s%n", input.group(),
            report.done().size(), (System.nanoTime() - t) / 1e9, report.failed());
        assertThat(report.failed()).isEmpty();
        assertThat(report.done()).isNotEmpty();
      }
      assertThat(contents(e)).isEqualTo(before);
      Map<String, Long> oldSnapshotsAfter = oldSnapshots(e, started);
      System.out.printf("snapshots older than the maintenance: before %s, after %s%n", oldSnapshotsBefore,
          oldSnapshotsAfter);
      // only a table's current snapshot may remain of those (when OPTIMIZE had nothing to rewrite); of a raw table,
      // also the Flink sink's last commit and what came after it, less the margin
      assertThat(lastFlinkCommits).as("the raw tables' Flink sink's last commits").containsOnlyKeys("raw_data.users",
          "raw_data.accounts");
      for (Map.Entry<String, Long> old : oldSnapshotsAfter.entrySet()) {
        Map<String, String> flink = lastFlinkCommits.get(old.getKey());
        if (flink == null) {
          assertThat(old.getValue()).as(old.getKey()).isLessThanOrEqualTo(1);
        } else {
          Instant floor = Instant.ofEpochMilli(Long.parseLong(flink.get("committed_ms")))
              .minus(MaintenanceSql.FLINK_COMMIT_MARGIN);
          assertThat(oldSnapshots(e, floor.isBefore(started) ? floor : started).get(old.getKey()))
              .as("%s before its Flink floor %s", old.getKey(), floor).isLessThanOrEqualTo(1);
          assertThat(snapshotIds(e, old.getKey())).as("%s keeps the Flink sink's last commit", old.getKey())
              .contains(Long.parseLong(flink.get("snapshot_id")));
        }
      }
      assertThat(oldSnapshotsBefore.values().stream().mapToLong(Long::longValue).sum())
          .as("snapshots there were to expire").isGreaterThan(oldSnapshotsBefore.size());
      assertThat(orphan).as("orphan file removed").doesNotExist();
    } finally {
      Automation.setPaused(worker.client(), spec, false);
    }
  }

  private static Schedules.MaintenanceSpec shortRetention(Schedules.MaintenanceSpec m, Duration retention) {
    return new Schedules.MaintenanceSpec(m.cron(), m.optimizeFileSizeThreshold(), retention, retention);
  }

  /** Per maintained table (every table but ops'), its snapshots committed before {@code at}. */
  private static Map<String, Long> oldSnapshots(Endpoints e, Instant at) throws Exception {
    Map<String, Long> m = new LinkedHashMap<>();
    try (Connection trino = StackEndpoints.openTrino(e)) {
      for (String t : TABLES) {
        if (t.startsWith("ops.")) {
          continue;
        }
        String[] st = t.split("\\.");
        m.put(t, Vault.count(trino, "SELECT count(*) FROM " + st[0] + ".\"" + st[1] + "$snapshots\" WHERE committed_at"
            + " < from_iso8601_timestamp('" + at + "')"));
      }
    }
    return m;
  }

  /** Per table with one, the newest snapshot a Flink sink committed: snapshot_id and committed_ms (epoch millis). */
  private static Map<String, Map<String, String>> lastFlinkCommits(Endpoints e) throws Exception {
    Map<String, Map<String, String>> m = new LinkedHashMap<>();
    try (Connection trino = StackEndpoints.openTrino(e)) {
      for (String t : TABLES) {
        String[] st = t.split("\\.");
        List<Map<String, String>> rows = Vault.rows(trino, "SELECT CAST(snapshot_id AS varchar) AS snapshot_id,"
            + " CAST(CAST(to_unixtime(committed_at) * 1000 AS bigint) AS varchar) AS committed_ms FROM " + st[0]
            + ".\"" + st[1] + "$snapshots\""
            + " WHERE element_at(summary, 'flink.job-id') IS NOT NULL ORDER BY committed_at DESC LIMIT 1");
        if (!rows.isEmpty()) {
          m.put(t, rows.get(0));
        }
      }
    }
    return m;
  }

  private static List<Long> snapshotIds(Endpoints e, String table) throws Exception {
    String[] st = table.split("\\.");
    try (Connection trino = StackEndpoints.openTrino(e)) {
      return Vault.rows(trino, "SELECT CAST(snapshot_id AS varchar) AS id FROM " + st[0] + ".\"" + st[1]
          + "$snapshots\"").stream().map(r -> Long.parseLong(r.get("id"))).toList();
    }
  }

  /** A file no snapshot references, next to the data files of {@code table}, written straight into S3's storage. */
  private static Path plantOrphan(Endpoints e, String table) throws Exception {
    String dataFile;
    try (Connection trino = StackEndpoints.openTrino(e)) {
      dataFile = Vault.rows(trino, "SELECT \"$path\" AS path FROM " + table + " LIMIT 1").get(0).get("path");
    }
    assertThat(dataFile).startsWith("s3://" + e.s3().bucket() + "/");
    Path file = LakehouseStackExtension.stack().context().data("s3").resolve(dataFile.substring("s3://".length()));
    assertThat(file).as("the S3 storage path of %s", dataFile).exists();
    Path orphan = file.resolveSibling("orphan-" + UUID.randomUUID() + ".parquet");
    Files.writeString(orphan, "no snapshot references this file");
    return orphan;
  }

  /** Every row of every table, in a total order (all columns). */
  private static Map<String, List<Map<String, String>>> contents(Endpoints e) throws Exception {
    Map<String, List<Map<String, String>>> m = new LinkedHashMap<>();
    try (Connection trino = StackEndpoints.openTrino(e)) {
      for (String t : TABLES) {
        List<Map<String, String>> rows = Vault.rows(trino, "SELECT * FROM " + t);
        m.put(t, rows.stream().sorted(java.util.Comparator.comparing(Object::toString)).toList());
      }
    }
    return m;
  }
}
