package dev.lakehouse.workflows.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.spec.SpecStructure;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.activities.SpecApplyActivities;
import dev.lakehouse.workflows.apply.ApplyActionKind;
import dev.lakehouse.workflows.apply.ApplyReport;
import dev.lakehouse.workflows.apply.ApplyRequest;
import dev.lakehouse.workflows.apply.ObservedState;
import dev.lakehouse.workflows.testing.ObservedStates;
import dev.lakehouse.workflows.apply.SpecApplyWorkflow;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

class SpecApplyWorkflowTest extends WorkflowTestSupport {
  private final SpecApplyActivities activities = mock(SpecApplyActivities.class, withSettings().withoutAnnotations());

  private ApplyReport apply(ObservedState observed, SpecStructure desired, boolean dryRun) {
    when(activities.observe(any())).thenReturn(observed);
    when(activities.convergeSource(any())).thenReturn(List.of("source changed"));
    when(activities.convergeConnector(any(), anyList())).thenReturn(List.of("connector changed"));
    when(activities.convergeIceberg(any(), anyList())).thenReturn(List.of("iceberg changed"));
    when(activities.convergeIngestJob(any())).thenReturn(List.of("job changed"));
    when(activities.awaitSnapshots(any(), anyList())).thenReturn(List.of("snapshot read"));
    start(w -> w.registerActivitiesImplementations(activities));
    SpecApplyWorkflow workflow = client.newWorkflowStub(SpecApplyWorkflow.class,
        Automation.options(SPEC, Lakehouse.SPEC_APPLY_ID));
    return workflow.apply(new ApplyRequest(desired, dryRun, false));
  }

  @Test
  void aDryRunObservesAndPlansButConvergesNothing() {
    ApplyReport report = apply(ObservedStates.beforeExample(), ObservedStates.EXAMPLE, true);
    assertThat(report.dryRun()).isTrue();
    assertThat(report.plan().has(ApplyActionKind.PUBLICATION_ADD_TABLE)).isTrue();
    assertThat(report.changes()).isEmpty();
    verify(activities).observe(ObservedStates.EXAMPLE);
    verify(activities, never()).convergeSource(any());
    verify(activities, never()).convergeIngestJob(any());
  }

  @Test
  void anApplyConvergesSourceConnectorIcebergThenFlinkThenAwaitsTheSnapshots() {
    ApplyReport report = apply(ObservedStates.beforeExample(), ObservedStates.EXAMPLE, false);
    assertThat(report.changes()).containsExactly("source changed", "connector changed", "iceberg changed",
        "job changed", "snapshot read");
    Histories.recordIfRequested(client, Lakehouse.SPEC_APPLY_ID, "spec-apply");
    InOrder order = inOrder(activities);
    order.verify(activities).convergeSource(ObservedStates.EXAMPLE);
    order.verify(activities).convergeConnector(ObservedStates.EXAMPLE, List.of("transactions"));
    order.verify(activities).convergeIceberg(any(), anyList());
    order.verify(activities).convergeIngestJob(ObservedStates.EXAMPLE);
    order.verify(activities).awaitSnapshots(ObservedStates.EXAMPLE, List.of("transactions"));
  }

  @Test
  void anUnchangedSpecConvergesNothing() {
    ApplyReport report = apply(ObservedStates.converged(ObservedStates.CURRENT), ObservedStates.CURRENT, false);
    assertThat(report.plan().nothingToDo()).isTrue();
    verify(activities, never()).convergeSource(any());
    verify(activities, never()).convergeConnector(any(), anyList());
    verify(activities, never()).convergeIceberg(any(), anyList());
    verify(activities, never()).convergeIngestJob(any());
    verify(activities, never()).awaitSnapshots(any(), anyList());
  }

  @Test
  void aRefusedPlanConvergesNothing() {
    ObservedState missing = new ObservedState(ObservedStates.CURRENT,
        ObservedStates.sourceTables(ObservedStates.CURRENT.tableNames()), true,
        ObservedStates.CURRENT.tableNames(), ObservedStates.CURRENT.tableNames(), "aaaaaaaa", "bbbbbbbb",
        ObservedStates.converged(ObservedStates.CURRENT).icebergColumns(), List.of());
    ApplyReport report = apply(missing, ObservedStates.EXAMPLE, false);
    assertThat(report.plan().refusals()).singleElement().asString().startsWith("table transactions does not exist");
    verify(activities, never()).convergeSource(any());
    verify(activities, never()).convergeIngestJob(any());
  }
}
