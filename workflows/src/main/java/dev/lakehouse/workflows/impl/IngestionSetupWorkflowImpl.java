package dev.lakehouse.workflows.impl;

import dev.lakehouse.workflows.IngestionSetupWorkflow;
import dev.lakehouse.workflows.SetupReport;
import dev.lakehouse.workflows.activities.ActivityOptionsCatalog;
import dev.lakehouse.workflows.activities.CatalogActivities;
import dev.lakehouse.workflows.activities.ConnectActivities;
import dev.lakehouse.workflows.activities.ConnectorStatus;
import dev.lakehouse.workflows.activities.FlinkActivities;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import io.temporal.workflow.Workflow;
import java.util.List;

public class IngestionSetupWorkflowImpl implements IngestionSetupWorkflow {
  private final CatalogActivities catalog =
      Workflow.newActivityStub(CatalogActivities.class, ActivityOptionsCatalog.quick());
  private final ConnectActivities connect =
      Workflow.newActivityStub(ConnectActivities.class, ActivityOptionsCatalog.quick());
  private final ConnectActivities connectAwait =
      Workflow.newActivityStub(ConnectActivities.class, ActivityOptionsCatalog.awaiting());
  private final FlinkActivities flink =
      Workflow.newActivityStub(FlinkActivities.class, ActivityOptionsCatalog.awaiting());

  @Override
  public SetupReport run() {
    List<String> namespaces = catalog.ensureNamespaces();
    List<String> rawTables = catalog.ensureRawTables();
    connect.upsertConnector();
    ConnectorStatus connector = connectAwait.awaitRunning();
    FlinkJobStatus job = flink.ensureIngestJob();
    Workflow.getLogger(IngestionSetupWorkflowImpl.class).info("ingestion set up: connector {}, flink job {}",
        connector.state(), job.state());
    return new SetupReport(namespaces, rawTables, connector, job);
  }
}
