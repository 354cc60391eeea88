package dev.lakehouse.workflows.impl;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.LakehouseWorkflows;
import dev.lakehouse.workflows.RunSearchAttributes;
import dev.lakehouse.workflows.assets.AssetGraph;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/** One in-memory Temporal test environment (time skipping) per test. */
abstract class WorkflowTestSupport {
  static final PipelineSpec SPEC = SpecLoader.load();
  static final AssetGraph GRAPH = AssetGraph.fromSpec(SPEC);
  /** The spec's: Automation starts the workflows there. */
  static final String TASK_QUEUE = SPEC.endpoints().temporal().taskQueue();

  TestWorkflowEnvironment env;
  WorkflowClient client;

  /** Starts an environment whose worker has every workflow plus what {@code more} registers. */
  void start(Consumer<Worker> more) {
    startCustom(w -> {
      LakehouseWorkflows.register(w, GRAPH);
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
