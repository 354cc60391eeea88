package dev.lakehouse.temporal;

import static dev.lakehouse.temporal.TlsTestServer.auth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.SecuritySpec;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS and the API key to Temporal against a real TLS server ({@link TlsTestServer}). */
class TemporalTlsTest {
  static TlsTestServer server;

  @BeforeAll
  static void startTlsServer() throws Exception {
    server = new TlsTestServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** GetSystemInfo over stubs built with {@code auth}, to {@code host}:the server's port. */
  static void call(String host, SecuritySpec.TemporalAuth auth) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(TemporalTls.apply(
        WorkflowServiceStubsOptions.newBuilder().setTarget(host + ":" + server.port()), auth).build());
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
    server.authorizations().clear();
    call("127.0.0.1", auth("client.pem", "client.key", "ca.pem", null, "k-test-123"));
    assertThat(server.authorizations()).contains("Bearer k-test-123");
  }

  @Test
  void nothingSetLeavesThePlainTextOptionsOfTheDevServer() {
    WorkflowServiceStubsOptions options = TemporalTls.apply(WorkflowServiceStubsOptions.newBuilder()
        .setTarget("127.0.0.1:7233"), SecuritySpec.TemporalAuth.NONE).build();
    assertThat(options.getSslContext()).isNull();
    assertThat(options.getChannelInitializer()).isNull();
  }

  @Test
  void aFileThatIsNotThereIsOneLineNamingTheKey() {
    SecuritySpec.TemporalAuth missing = new SecuritySpec.TemporalAuth(Optional.empty(), Optional.empty(),
        Optional.of("/nonexistent/ca.pem"), Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> TemporalTls.sslContext(missing)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lakehouse.security.temporal.ca-cert names no readable file: /nonexistent/ca.pem")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
