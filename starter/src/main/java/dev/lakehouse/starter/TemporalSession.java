package dev.lakehouse.starter;

import dev.lakehouse.spec.SecuritySpec;
import dev.lakehouse.temporal.TemporalTls;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A connection to Temporal for one CLI command. Connecting makes one quick call without waiting for the
 * channel, so a refused connection fails at once and an unanswered one after {@code connectTimeout}; RPCs
 * and queries get short timeouts too, so no command hangs when the server or the worker is away.
 */
public final class TemporalSession implements AutoCloseable {
  static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

  private final String target;
  private final String namespace;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  private TemporalSession(String target, String namespace, WorkflowServiceStubs stubs) {
    this.target = target;
    this.namespace = namespace;
    this.stubs = stubs;
    this.client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  /**
   * Connects with the TLS and API key of {@code auth} ({@code lakehouse.security.temporal}, as the worker does); an
   * unreadable certificate or key file is one line, exit code 2.
   */
  public static TemporalSession connect(String target, String namespace, Duration connectTimeout,
      SecuritySpec.TemporalAuth auth) {
    WorkflowServiceStubsOptions.Builder options;
    try {
      options = TemporalTls.apply(WorkflowServiceStubsOptions.newBuilder()
          .setTarget(target)
          .setRpcTimeout(RPC_TIMEOUT)
          .setRpcQueryTimeout(QUERY_TIMEOUT), auth);
    } catch (IllegalArgumentException e) {
      throw new CliException("lakehouse: " + e.getMessage(), 2);
    }
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    try {
      stubs.blockingStub().withDeadlineAfter(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      stubs.shutdownNow();
      throw unreachable(target, e);
    } catch (RuntimeException e) {
      stubs.shutdownNow();
      throw new CliException("lakehouse: cannot use Temporal at " + target + ": " + e.getMessage()
          + ". Is --temporal host:port right?", CliException.TEMPORAL_UNREACHABLE);
    }
    try {
      stubs.blockingStub().withDeadlineAfter(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
    } catch (StatusRuntimeException e) {
      stubs.shutdownNow();
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new CliException("lakehouse: Temporal at " + target + " has no namespace '" + namespace
            + "' (create it with: temporal operator namespace create " + namespace + "; or pass --namespace)");
      }
      throw unreachable(target, e);
    }
    return new TemporalSession(target, namespace, stubs);
  }

  static CliException unreachable(String target, StatusRuntimeException e) {
    return new CliException("lakehouse: cannot reach Temporal at " + target + " (" + e.getStatus().getCode()
        + "). Start the stack with ./lakehouse up, or point the CLI at a running server with --temporal host:port.",
        CliException.TEMPORAL_UNREACHABLE);
  }

  public String target() {
    return target;
  }

  String namespace() {
    return namespace;
  }

  WorkflowServiceStubs stubs() {
    return stubs;
  }

  public WorkflowClient client() {
    return client;
  }

  @Override
  public void close() {
    stubs.shutdown();
    try {
      stubs.awaitTermination(2, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      stubs.shutdownNow();
    }
  }
}
