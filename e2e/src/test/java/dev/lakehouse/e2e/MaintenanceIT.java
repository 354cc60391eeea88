package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
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
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each maintenance workflow of the automation (the inputs its crons get from the spec) run once, now, on the
 * lakehouse the previous tests filled: no operation fails, and every table reads back the same rows.
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
      var m = spec.schedules().maintenance();
      List<MaintenanceInput> inputs = List.of(Automation.maintenanceInput("vault", m.vault()),
          Automation.maintenanceInput("raw_parsed", m.rawParsed()),
          Automation.extendedStatsInput());
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
    } finally {
      Automation.setPaused(worker.client(), spec, false);
    }
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
