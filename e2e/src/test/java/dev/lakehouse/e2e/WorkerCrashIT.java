package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.StackEndpoints;
import dev.lakehouse.stack.WorkerProcess;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import dev.lakehouse.workflows.Lakehouse;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker as a separate process (the shaded jar, started as `./lakehouse up` starts it), SIGKILLed while a
 * model activity runs, then restarted: the interrupted run completes, and the vault holds every change exactly
 * once. Runs after {@link SeedScenarioIT} on the same stack (its vault is the starting point).
 */
@Order(2)
@ExtendWith(LakehouseStackExtension.class)
class WorkerCrashIT {
  static final String DIANA = "3c6f1d2e-8a4b-4c5d-9e6f-7a8b9c0d1e2f";
  static final String ACCOUNT_DIANA = "4d7e2f3a-9b5c-4d6e-8f70-8b9cad0e1f3a";
  static WorkerProcess worker;
  static WorkflowServiceStubs stubs;

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.stop();
    }
    if (stubs != null) {
      stubs.shutdownNow();
    }
  }

  @Test
  void killedWorkerMidMaterializationLosesAndDuplicatesNothing(Endpoints e) throws Exception {
    worker = new WorkerProcess(LakehouseStackExtension.stack());
    Map<String, String> env = Map.of("LAKEHOUSE_SENSOR_INTERVAL", "2s", "LAKEHOUSE_FLINK_CHECKPOINT_INTERVAL", "5s",
        "LAKEHOUSE_AUTOMATION", "on");
    worker.start(WorkerProcess.locateJar(), 240, env);
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(e.temporal().target()).build());

    // new changes on top of the seed scenario: a user and her account (then a balance update), Clark renamed
    try (Connection pg = StackEndpoints.openPostgres(e); Statement s = pg.createStatement()) {
      s.execute("INSERT INTO users (id, email, name) VALUES ('" + DIANA + "', 'diana@themyscira.org', 'Diana Prince')");
      s.execute("INSERT INTO accounts (id, user_id, currency, balance) VALUES ('" + ACCOUNT_DIANA + "', '" + DIANA
          + "', 'USD', 100.00)");
      s.execute("UPDATE accounts SET balance = 150.50 WHERE id = '" + ACCOUNT_DIANA + "'");
      s.execute("UPDATE users SET name = 'Clark J. Kent' WHERE id = '" + SeedScenarioIT.CLARK + "'");
    }

    // wait for a model activity in flight in a run started after the changes (one that reads them), then SIGKILL
    long t0 = System.nanoTime();
    long changedAtMillis = System.currentTimeMillis();
    String[] child = new String[1];
    PendingActivityInfo running = await("a model activity running").atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptions() // a child being started is NOT_FOUND for a moment
        .until(() -> runningModelActivity(child, changedAtMillis), Optional::isPresent).get();
    worker.kill();
    System.out.printf("SIGKILL %.1f s after the changes, while %s of %s ran (attempt %d)%n",
        (System.nanoTime() - t0) / 1e9, running.getActivityType().getName(), child[0], running.getAttempt());
    assertThat(worker.pid()).isEqualTo(-1);
    assertThat(describe(child[0]).getWorkflowExecutionInfo().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

    long t1 = System.nanoTime();
    worker.start(WorkerProcess.locateJar(), 240, env);
    await("the interrupted run " + child[0] + " completes").atMost(Duration.ofMinutes(6))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> describe(child[0]).getWorkflowExecutionInfo().getStatus(),
            st -> st != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    assertThat(describe(child[0]).getWorkflowExecutionInfo().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    System.out.printf("the interrupted run completed %.0f s after the restart%n", (System.nanoTime() - t1) / 1e9);

    Map<String, Long> want = Map.of("h_users", 4L, "h_accounts", 3L, "l_users_accounts", 3L, "s_users", 7L,
        "s_accounts", 5L);
    await("data_vault row counts " + want).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(3))
        .until(() -> Vault.counts(e), c -> c.equals(want));

    try (Connection trino = StackEndpoints.openTrino(e)) {
      // nothing twice: hub and link keys unique, one satellite row per (key, LSN), parsed rows unique per event
      assertThat(Vault.count(trino, "SELECT count(*) - count(DISTINCT h_users_hk) FROM data_vault.h_users")).isZero();
      assertThat(Vault.count(trino, "SELECT count(*) - count(DISTINCT l_users_accounts_hk) FROM data_vault.l_users_accounts"))
          .isZero();
      assertThat(Vault.count(trino, "SELECT count(*) FROM (SELECT h_users_hk, source_lsn FROM data_vault.s_users"
          + " GROUP BY 1, 2 HAVING count(*) > 1)")).isZero();
      assertThat(Vault.count(trino, "SELECT count(*) FROM (SELECT h_accounts_hk, source_lsn FROM data_vault.s_accounts"
          + " GROUP BY 1, 2 HAVING count(*) > 1)")).isZero();
      assertThat(Vault.count(trino, "SELECT count(*) FROM (SELECT id, source_lsn, op FROM parsed_data.parsed_users"
          + " GROUP BY 1, 2, 3 HAVING count(*) > 1)")).isZero();
      // nothing lost: the new rows, values included
      // created_at is PostgreSQL's current_date at insert (the run may straddle midnight): read it from the source
      Map<String, String> day = new java.util.HashMap<>();
      try (Connection pg = StackEndpoints.openPostgres(e)) {
        Vault.rows(pg, "SELECT id::text AS id, created_at::text AS d FROM users").forEach(r -> day.put(r.get("id"),
            r.get("d")));
      }
      assertThat(Vault.rows(trino, "SELECT h_users_hk, hashdiff, email, name, CAST(created_at AS varchar) AS created_at,"
          + " is_deleted, record_source, effective_from IS NOT NULL AND load_ts IS NOT NULL AS stamped"
          + " FROM data_vault.s_users WHERE h_users_hk IN ('" + Vault.hashKey(DIANA) + "', '"
          + Vault.hashKey(SeedScenarioIT.CLARK) + "') ORDER BY h_users_hk, source_lsn"))
          .extracting(r -> String.join(" ", r.values()))
          .containsExactlyElementsOf(SeedScenarioIT.sorted(List.of(
              SeedScenarioIT.user(SeedScenarioIT.CLARK, "clark@kent.com", "Clark Kent", day.get(SeedScenarioIT.CLARK),
                  false),
              SeedScenarioIT.user(SeedScenarioIT.CLARK, "clark@kent.com", "Clark J. Kent", day.get(SeedScenarioIT.CLARK),
                  false),
              SeedScenarioIT.user(DIANA, "diana@themyscira.org", "Diana Prince", day.get(DIANA), false))));
      assertThat(Vault.rows(trino, "SELECT h_accounts_hk, currency, CAST(balance AS varchar) AS balance"
          + " FROM data_vault.s_accounts WHERE h_accounts_hk = '" + Vault.hashKey(ACCOUNT_DIANA) + "' ORDER BY source_lsn"))
          .extracting(r -> r.get("currency") + " " + r.get("balance"))
          .containsExactly("USD 100.00", "USD 150.50");
      assertThat(Vault.rows(trino, "SELECT l_users_accounts_hk FROM data_vault.l_users_accounts WHERE h_accounts_hk = '"
          + Vault.hashKey(ACCOUNT_DIANA) + "'")).extracting(r -> r.get("l_users_accounts_hk"))
          .containsExactly(Vault.hashKey(DIANA, ACCOUNT_DIANA));
    }
  }

  /**
   * The STARTED materialize activity of the coordinator's running child started after {@code afterMillis}, if any
   * (the child's id goes to child[0]).
   */
  private Optional<PendingActivityInfo> runningModelActivity(String[] child, long afterMillis) {
    DescribeWorkflowExecutionResponse coordinator = describe(Lakehouse.MATERIALIZER_ID);
    for (var c : coordinator.getPendingChildrenList()) {
      DescribeWorkflowExecutionResponse d = describe(c.getWorkflowId());
      if (d.getWorkflowExecutionInfo().getStartTime().getSeconds() * 1000 < afterMillis) {
        continue; // a run that was already going: it cannot have read the changes
      }
      for (PendingActivityInfo a : d.getPendingActivitiesList()) {
        if (a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) {
          child[0] = c.getWorkflowId();
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  private DescribeWorkflowExecutionResponse describe(String workflowId) {
    return stubs.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace("default").setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
  }
}
