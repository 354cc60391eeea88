package dev.lakehouse.workflows;

import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.impl.AssetChecksWorkflowImpl;
import dev.lakehouse.workflows.impl.IncidentsWorkflowImpl;
import dev.lakehouse.workflows.impl.IngestionHealthWorkflowImpl;
import dev.lakehouse.workflows.impl.IngestionSetupWorkflowImpl;
import dev.lakehouse.workflows.impl.MaintenanceWorkflowImpl;
import dev.lakehouse.workflows.impl.MaterializeWorkflowImpl;
import dev.lakehouse.workflows.impl.MaterializerWorkflowImpl;
import dev.lakehouse.workflows.impl.ScheduledRunWorkflowImpl;
import dev.lakehouse.workflows.impl.SensorWorkflowImpl;
import dev.lakehouse.workflows.impl.SpecApplyWorkflowImpl;
import io.temporal.worker.Worker;

/** Registers every workflow implementation on a worker: the worker process, tests and replay all use this. */
public final class LakehouseWorkflows {
  private LakehouseWorkflows() {}

  public static void register(Worker worker, AssetGraph graph) {
    worker.registerWorkflowImplementationTypes(
        IngestionSetupWorkflowImpl.class,
        IngestionHealthWorkflowImpl.class,
        SensorWorkflowImpl.class,
        MaterializeWorkflowImpl.class,
        MaintenanceWorkflowImpl.class,
        IncidentsWorkflowImpl.class,
        AssetChecksWorkflowImpl.class,
        SpecApplyWorkflowImpl.class,
        ScheduledRunWorkflowImpl.class);
    worker.registerWorkflowImplementationFactory(MaterializerWorkflow.class, () -> new MaterializerWorkflowImpl(graph));
  }
}
