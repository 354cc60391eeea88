package dev.lakehouse.workflows.impl;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSeverity;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.LakehouseWorkflows;
import dev.lakehouse.workflows.activities.AssetCheckActivities;
import dev.lakehouse.workflows.activities.AssetCheckReport;
import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.RunSearchAttributes;
import dev.lakehouse.workflows.assets.AssetGraph;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/** One in-memory Temporal test environment (time skipping) per test. */
abstract class WorkflowTestSupport {
  /** The checkout's pipeline without its user models (the recorded histories predate them). */
  static final PipelineSpec SPEC = SpecLoader.load().withUserModels(java.util.List.of());
  static final AssetGraph GRAPH = AssetGraph.fromSpec(SPEC);
  /** The spec's: Automation starts the workflows there. */
  static final String TASK_QUEUE = SPEC.endpoints().temporal().taskQueue();

  TestWorkflowEnvironment env;
  WorkflowClient client;
  /**
   * Registered by {@link #start}: every check passes unless a test stubs {@code evaluate} (or, for the recorded
   * histories from before results were written at a run's end, {@code check}) otherwise; {@code record} does nothing.
   */
  final AssetCheckActivities checks = mock(AssetCheckActivities.class, withSettings().withoutAnnotations()
      .defaultAnswer(inv -> List.of("check", "evaluate").contains(inv.getMethod().getName())
          ? passing(inv.getArgument(0)) : null));

  /** One passing built-in check of {@code asset}. */
  static AssetCheckReport passing(String asset) {
    return new AssetCheckReport(asset, List.of(new AssetCheckResult(asset, "unique key", CheckKind.UNIQUE,
        CheckSeverity.ERROR, true, 0, List.of(), null)));
  }

  /** Starts an environment whose worker has every workflow, the passing checks, plus what {@code more} registers. */
  void start(Consumer<Worker> more) {
    startCustom(w -> {
      LakehouseWorkflows.register(w, GRAPH);
      w.registerActivitiesImplementations(checks);
      more.accept(w);
    });
  }

  void startCustom(Consumer<Worker> registration) {
    env = TestWorkflowEnvironment.newInstance();
    RunSearchAttributes.ALL.forEach(k -> env.registerSearchAttribute(k.getName(), k.getValueType()));
    Worker worker = env.newWorker(TASK_QUEUE);
    registration.accept(worker);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void closeEnvironment() {
    if (env != null) {
      env.close();
    }
  }
}
