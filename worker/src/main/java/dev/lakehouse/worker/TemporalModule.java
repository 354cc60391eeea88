package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecVersion;
import dev.lakehouse.temporal.TemporalTls;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.util.concurrent.TimeUnit;

/**
 * The connection to Temporal: service stubs to {@link WorkerConfig#temporalTarget()} (connected eagerly, so
 * an unreachable server fails the start with {@link TemporalUnavailableException}), a client on the
 * namespace (checked to exist, with the runs' search attributes registered) and the worker factory.
 */
public final class TemporalModule extends AbstractModule {

  @Provides
  @Singleton
  WorkflowServiceStubs serviceStubs(WorkerConfig config, PipelineSpec spec) {
    // TLS and an API key when lakehouse.security.temporal sets them (a shared server); plain text for the dev server
    WorkflowServiceStubsOptions options = TemporalTls.apply(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(config.temporalTarget()), spec.security().temporal())
        .build();
    // lazy stubs, then one call that waits for the channel up to the timeout (a server still starting is fine)
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options);
    try {
      stubs.blockingStub().withWaitForReady()
          .withDeadlineAfter(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      stubs.shutdownNow();
      throw new TemporalUnavailableException("cannot reach the Temporal server at " + config.temporalTarget()
          + " within " + config.connectTimeout().toSeconds() + "s (" + e.getStatus().getCode() + "). Start the"
          + " stack with ./lakehouse up, or point the worker at a running server (lakehouse.endpoints.temporal in"
          + " the spec, LAKEHOUSE_TEMPORAL_HOST / LAKEHOUSE_TEMPORAL_PORT).", e);
    }
    try {
      stubs.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder()
          .setNamespace(config.namespace()).build());
    } catch (StatusRuntimeException e) {
      stubs.shutdownNow();
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new TemporalUnavailableException("the Temporal server at " + config.temporalTarget()
            + " has no namespace '" + config.namespace() + "'. Create it (temporal operator namespace create "
            + config.namespace() + ") or change lakehouse.endpoints.temporal.namespace.", e);
      }
      throw new TemporalUnavailableException("the Temporal server at " + config.temporalTarget()
          + " did not answer DescribeNamespace(" + config.namespace() + "): " + e.getStatus(), e);
    }
    SearchAttributeRegistration.ensure(config.temporalTarget(), config.namespace(), spec.security().temporal());
    return stubs;
  }

  @Provides
  @Singleton
  WorkflowClient workflowClient(WorkflowServiceStubs stubs, WorkerConfig config, PipelineSpec spec) {
    return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
        .setNamespace(config.namespace())
        .setIdentity(identity(spec))
        .build());
  }

  /**
   * {@code <pid>@<host> spec <version>}: the SDK's default identity plus the version of the spec the worker built
   * its graph from, so {@code lakehouse status} reads which spec runs from the task queue's pollers.
   */
  static String identity(PipelineSpec spec) {
    return java.lang.management.ManagementFactory.getRuntimeMXBean().getName() + " " + SPEC_MARK
        + SpecVersion.of(spec);
  }

  /** What precedes the spec version in the worker's identity (read back by {@code lakehouse status}). */
  static final String SPEC_MARK = "spec ";

  @Provides
  @Singleton
  WorkerFactory workerFactory(WorkflowClient client) {
    return WorkerFactory.newInstance(client);
  }
}
