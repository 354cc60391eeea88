package dev.lakehouse.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.SecuritySpec;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker's TLS to Temporal against a real TLS server: the SDK's Java test server's services behind a gRPC
 * server that requires a client certificate signed by the test CA (src/test/resources/tls: a throwaway CA, a
 * server certificate for localhost, 127.0.0.1 and temporal.test, a client certificate; no secret). The
 * dev server the stack runs ({@code temporal server start-dev} v1.5.1) has no TLS flags, so this is the only
 * TLS server the tests have.
 */
class TemporalTlsOptionsTest {
  static TestServicesStarter services;
  static Server server;
  static final List<String> AUTHORIZATION = new CopyOnWriteArrayList<>();
  static final Metadata.Key<String> AUTHORIZATION_KEY = Metadata.Key.of("authorization",
      Metadata.ASCII_STRING_MARSHALLER);

  @BeforeAll
  static void startTlsServer() throws Exception {
    services = new TestServicesStarter(false, 0);
    ServerInterceptor recordAuthorization = new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
          ServerCallHandler<Q, A> next) {
        String value = headers.get(AUTHORIZATION_KEY);
        if (value != null) {
          AUTHORIZATION.add(value);
        }
        return next.startCall(call, headers);
      }
    };
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(GrpcSslContexts.forServer(tls("server.pem"), tls("server.key")).trustManager(tls("ca.pem"))
            .clientAuth(ClientAuth.REQUIRE).build());
    services.getServices().forEach(s -> b.addService(ServerInterceptors.intercept(s, recordAuthorization)));
    server = b.build().start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    services.close();
  }

  static File tls(String name) throws URISyntaxException {
    return new File(TemporalTlsOptionsTest.class.getResource("/tls/" + name).toURI());
  }

  static SecuritySpec.TemporalAuth auth(String cert, String key, String ca, String serverName, String apiKey)
      throws URISyntaxException {
    return new SecuritySpec.TemporalAuth(Optional.ofNullable(cert == null ? null : tls(cert).getPath()),
        Optional.ofNullable(key == null ? null : tls(key).getPath()), Optional.ofNullable(ca == null ? null
        : tls(ca).getPath()), Optional.ofNullable(serverName), Optional.ofNullable(apiKey));
  }

  /** GetSystemInfo over stubs built with {@code auth}, to {@code host}:the server's port. */
  static void call(String host, SecuritySpec.TemporalAuth auth) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(TemporalTlsOptions.apply(
        WorkflowServiceStubsOptions.newBuilder().setTarget(host + ":" + server.getPort()), auth).build());
    try {
      stubs.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } finally {
      stubs.shutdownNow();
    }
  }

  @Test
  void mutualTlsWithTheClientCertificateAndTheCaConnects() throws Exception {
    call("127.0.0.1", auth("client.pem", "client.key", "ca.pem", null, null));
    call("localhost", auth("client.pem", "client.key", "ca.pem", null, null));
  }

  @Test
  void theServerNameIsWhatTheCertificateIsCheckedAgainst() throws Exception {
    call("127.0.0.1", auth("client.pem", "client.key", "ca.pem", "temporal.test", null));
    assertThatThrownBy(() -> call("127.0.0.1", auth("client.pem", "client.key", "ca.pem", "other.test", null)))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void withoutTheClientCertificateOrTheCaTheServerIsNotReached() {
    // the server requires a client certificate
    assertThatThrownBy(() -> call("127.0.0.1", auth(null, null, "ca.pem", null, null)))
        .isInstanceOf(StatusRuntimeException.class);
    // the JVM's trust store does not know the test CA
    assertThatThrownBy(() -> call("127.0.0.1", auth("client.pem", "client.key", null, null, null)))
        .isInstanceOf(StatusRuntimeException.class);
    // plain text to a TLS server
    assertThatThrownBy(() -> call("127.0.0.1", SecuritySpec.TemporalAuth.NONE))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void anApiKeyIsSentAsABearerTokenOverTls() throws Exception {
    AUTHORIZATION.clear();
    call("127.0.0.1", auth("client.pem", "client.key", "ca.pem", null, "k-test-123"));
    assertThat(AUTHORIZATION).contains("Bearer k-test-123");
  }

  @Test
  void nothingSetLeavesThePlainTextOptionsOfTheDevServer() {
    WorkflowServiceStubsOptions options = TemporalTlsOptions.apply(WorkflowServiceStubsOptions.newBuilder()
        .setTarget("127.0.0.1:7233"), SecuritySpec.TemporalAuth.NONE).build();
    assertThat(options.getSslContext()).isNull();
    assertThat(options.getChannelInitializer()).isNull();
  }

  @Test
  void aFileThatIsNotThereIsOneLineNamingTheKey() {
    SecuritySpec.TemporalAuth missing = new SecuritySpec.TemporalAuth(Optional.empty(), Optional.empty(),
        Optional.of("/nonexistent/ca.pem"), Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> TemporalTlsOptions.sslContext(missing)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lakehouse.security.temporal.ca-cert names no readable file: /nonexistent/ca.pem")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
