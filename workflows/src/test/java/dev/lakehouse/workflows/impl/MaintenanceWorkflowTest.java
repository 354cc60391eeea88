package dev.lakehouse.workflows.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.MaintenanceInput;
import dev.lakehouse.workflows.MaintenanceOperation;
import dev.lakehouse.workflows.MaintenanceReport;
import dev.lakehouse.workflows.MaintenanceWorkflow;
import dev.lakehouse.workflows.activities.FailureTypes;
import dev.lakehouse.workflows.activities.CatalogActivities;
import dev.lakehouse.workflows.activities.MaintenanceActivities;
import dev.lakehouse.workflows.activities.MaintenanceResult;
import dev.lakehouse.workflows.automation.AutomationPlan;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaintenanceWorkflowTest extends WorkflowTestSupport {
  private final MaintenanceActivities maintenance = mock(MaintenanceActivities.class,
      withSettings().withoutAnnotations());
  private final MaintenanceInput vault = AutomationPlan.maintenanceInput("vault", SPEC.schedules().maintenance().vault());

  private MaintenanceWorkflow stub(String workflowId) {
    return client.newWorkflowStub(MaintenanceWorkflow.class, Automation.options(SPEC, workflowId));
  }

  private void everyOperationSucceedsExceptOptimizeOf(String brokenTable) {
    when(maintenance.tables("vault")).thenReturn(List.of("data_vault.h_users", "data_vault.s_users"));
    when(maintenance.optimize(anyString(), anyString())).thenAnswer(inv -> {
      String table = inv.getArgument(0);
      if (table.equals(brokenTable)) {
        // retryable: the activity's retries run out first
        throw new IllegalStateException("Failed to commit Iceberg update to table " + table);
      }
      return new MaintenanceResult(table, MaintenanceOperation.OPTIMIZE.label(), "ok");
    });
    when(maintenance.expireSnapshots(anyString(), anyString())).thenAnswer(
        inv -> new MaintenanceResult(inv.getArgument(0), MaintenanceOperation.EXPIRE_SNAPSHOTS.label(), "ok"));
    when(maintenance.removeOrphanFiles(anyString(), anyString())).thenAnswer(
        inv -> new MaintenanceResult(inv.getArgument(0), MaintenanceOperation.REMOVE_ORPHAN_FILES.label(), "ok"));
  }

  @Test
  void aFailedOperationFailsTheRunAfterEveryOtherOperationRan() {
    everyOperationSucceedsExceptOptimizeOf("data_vault.s_users");
    start(w -> w.registerActivitiesImplementations(maintenance));

    assertThatThrownBy(() -> stub("maintenance-fail-test").run(vault))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> {
          ApplicationFailure failure = (ApplicationFailure) e.getCause();
          assertThat(failure.getType()).isEqualTo(FailureTypes.MAINTENANCE_FAILED);
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).isEqualTo("maintenance vault: 1 of 6 operations failed: "
              + "data_vault.s_users optimize: Failed to commit Iceberg update to table data_vault.s_users"
              + " (java.lang.IllegalStateException)");
          MaintenanceReport report = failure.getDetails().get(0, MaintenanceReport.class);
          assertThat(report.done()).hasSize(5);
          assertThat(report.failed()).hasSize(1);
        });
    int attempts = 3; // ActivityOptionsCatalog.maintenance()
    verify(maintenance, times(attempts)).optimize(eq("data_vault.s_users"), anyString());
    verify(maintenance).optimize(eq("data_vault.h_users"), anyString());
    for (String table : List.of("data_vault.h_users", "data_vault.s_users")) {
      verify(maintenance).expireSnapshots(eq(table), anyString());
      verify(maintenance).removeOrphanFiles(eq(table), anyString());
    }
    Histories.recordIfRequested(client, "maintenance-fail-test", "maintenance-failed-operation");
  }

  @Test
  void aRunWithoutFailuresCompletesWithItsReport() {
    everyOperationSucceedsExceptOptimizeOf("none");
    start(w -> w.registerActivitiesImplementations(maintenance));

    MaintenanceReport report = stub("maintenance-ok-test").run(vault);

    assertThat(report.failed()).isEmpty();
    assertThat(report.done()).hasSize(6);
  }

  @Test
  void theMetadataCleanupGoesThroughTheCatalogForEveryTableOfItsGroup() {
    CatalogActivities catalog = mock(CatalogActivities.class, withSettings().withoutAnnotations());
    when(maintenance.tables("all")).thenReturn(List.of("raw_data.users", "marts.user_balances"));
    when(catalog.cleanUpMetadata(anyString())).thenAnswer(
        inv -> new MaintenanceResult(inv.getArgument(0), MaintenanceOperation.METADATA_CLEANUP.label(), "set"));
    start(w -> w.registerActivitiesImplementations(maintenance, catalog));

    MaintenanceReport report = stub("maintenance-metadata-test").run(AutomationPlan.metadataCleanupInput());

    assertThat(report.failed()).isEmpty();
    assertThat(report.done()).extracting(MaintenanceResult::table).containsExactly("raw_data.users",
        "marts.user_balances");
    verify(catalog).cleanUpMetadata("raw_data.users");
    verify(catalog).cleanUpMetadata("marts.user_balances");
    verifyNoMoreInteractions(catalog);
  }
}

