package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The last-resort Temporal (Java test server, forced here): says so, binds 127.0.0.1, runs a workflow. */
class TemporalFallbackIT {

  @Test
  void testServerFallbackRunsAWorkflow() throws Exception {
    Path state = Paths.get(System.getProperty("lakehouse.stack.state", "target/stack-it") + "-temporal-fallback");
    SpecSource source = SpecLoader.locate(System.getenv());
    PipelineSpec spec = SpecLoader.load(source, System.getenv(), Map.of());
    List<String> out = new CopyOnWriteArrayList<>();
    StackContext ctx = StackContext.of(spec.withEndpoints(FreePorts.assign(spec.endpoints())), source, state,
        StackFiles.locateServices(), line -> {
          out.add(line);
          System.out.println("[temporal-fallback] " + line);
        });
    Endpoints e = ctx.endpoints();
    Stack stack = new Stack(ctx, List.of(new TemporalService(TemporalService.Mode.TEST_SERVER)));
    stack.down();
    stack.purge();
    try {
      stack.up();
      assertThat(out).anySatisfy(l -> assertThat(l).contains("FALLING BACK to the Java test server"));
      assertThat(Procs.cmdline(stack.pid("temporal"))).contains(TemporalService.TEST_SERVER_MAIN);

      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(e.temporal().target()).build());
      WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(service));
      try {
        factory.newWorker("fallback").registerWorkflowImplementationTypes(TemporalIT.GreetingImpl.class);
        factory.start();
        TemporalIT.Greeting stub = factory.getWorkflowClient().newWorkflowStub(TemporalIT.Greeting.class,
            WorkflowOptions.newBuilder().setTaskQueue("fallback").setWorkflowId("fallback-it").build());
        assertThat(stub.greet("fallback")).isEqualTo("hello fallback");
      } finally {
        factory.shutdownNow();
        service.shutdownNow();
      }
      // no Web UI in this mode
      try (Socket s = new Socket()) {
        assertThat(canConnect(s, e.host(), e.temporal().uiPort())).isFalse();
      }
    } finally {
      stack.down();
    }
  }

  private static boolean canConnect(Socket s, String host, int port) {
    try {
      s.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (Exception ex) {
      return false;
    }
  }
}
