package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Temporal dev server: a workflow completes, `temporal workflow list` shows it, the Web UI answers. */
@ExtendWith(LakehouseStackExtension.class)
class TemporalIT {

  @WorkflowInterface
  public interface Greeting {
    @WorkflowMethod
    String greet(String name);
  }

  public static class GreetingImpl implements Greeting {
    @Override
    public String greet(String name) {
      return "hello " + name;
    }
  }

  @Test
  void workflowCompletesIsListedAndWebUiAnswers(Endpoints e) throws Exception {
    Its.requires("temporal");
    String queue = "it-" + UUID.randomUUID();
    String workflowId = "stack-it-" + UUID.randomUUID();
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(e.temporal().target()).build());
    WorkerFactory factory = null;
    try {
      WorkflowClient client = WorkflowClient.newInstance(service,
          WorkflowClientOptions.newBuilder().setNamespace(e.temporal().namespace()).build());
      factory = WorkerFactory.newInstance(client);
      Worker worker = factory.newWorker(queue);
      worker.registerWorkflowImplementationTypes(GreetingImpl.class);
      factory.start();
      Greeting stub = client.newWorkflowStub(Greeting.class,
          WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(workflowId).build());
      assertThat(stub.greet("stack")).isEqualTo("hello stack");
    } finally {
      if (factory != null) {
        factory.shutdownNow();
      }
      service.shutdownNow();
    }

    // the CLI the stack runs the server with also lists it (visibility in the SQLite store)
    Path cli = TemporalCli.locateOrBuild(s -> {});
    String listed = "";
    long deadline = System.currentTimeMillis() + 30_000;
    while (!listed.contains(workflowId) && System.currentTimeMillis() < deadline) {
      Process p = new ProcessBuilder(List.of(cli.toString(), "workflow", "list", "--address", e.temporal().target(),
          "--namespace", e.temporal().namespace(), "--query", "WorkflowId = '" + workflowId + "'"))
          .redirectErrorStream(true).start();
      listed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      Thread.sleep(500);
    }
    assertThat(listed).contains(workflowId).contains("Completed");

    var ui = Its.send("GET", e.temporal().uiUrl() + "/", null);
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(ui.body()).containsIgnoringCase("<html");
  }
}
