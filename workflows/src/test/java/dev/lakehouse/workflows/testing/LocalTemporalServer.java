package dev.lakehouse.workflows.testing;

import dev.lakehouse.workflows.RunSearchAttributes;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import com.google.protobuf.util.Durations;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.testservice.v1.SleepRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's in-process test server behind a real gRPC port on 127.0.0.1 (the SDK's own port-bound
 * variant binds every interface). Real time, no time skipping: it behaves like a dev server. Shared by the
 * worker and CLI tests through this module's test-jar. The runs' search attributes are registered at start.
 */
public final class LocalTemporalServer implements AutoCloseable {
  private final TestServicesStarter services;
  private final Server server;

  public LocalTemporalServer() throws IOException {
    services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    server = builder.build().start();
    registerSearchAttributes();
  }

  /** As the local stack's dev server is started with them: a run's start needs them. */
  private void registerSearchAttributes() {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget(target()).validateAndBuildWithDefaults());
    try {
      AddSearchAttributesRequest.Builder add = AddSearchAttributesRequest.newBuilder().setNamespace("default");
      RunSearchAttributes.ALL.forEach(k -> add.putSearchAttributes(k.getName(), k.getValueType()));
      operator.blockingStub().addSearchAttributes(add.build());
    } finally {
      operator.shutdownNow();
    }
  }

  public int port() {
    return server.getPort();
  }

  /** Advances the server's clock by {@code d} (timers and crons due in between fire), then locks it again. */
  public void skip(Duration d) {
    var stubs = TestServiceStubs.newServiceStubs(
        TestServiceStubsOptions.newBuilder().setTarget(target()).validateAndBuildWithDefaults());
    try {
      stubs.blockingStub().unlockTimeSkippingWithSleep(
          SleepRequest.newBuilder().setDuration(Durations.fromMillis(d.toMillis())).build());
    } finally {
      stubs.shutdownNow();
    }
  }

  public String target() {
    return "127.0.0.1:" + port();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    services.close();
  }
}
