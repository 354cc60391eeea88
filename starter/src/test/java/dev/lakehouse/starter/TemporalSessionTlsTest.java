package dev.lakehouse.starter;

import static dev.lakehouse.temporal.TlsTestServer.auth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.SecuritySpec;
import dev.lakehouse.temporal.TlsTestServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI's and the console's connection to a Temporal server that requires mutual TLS, with the spec's
 * {@code lakehouse.security.temporal}, as the worker connects.
 */
class TemporalSessionTlsTest {
  static TlsTestServer server;

  @BeforeAll
  static void startTlsServer() throws Exception {
    server = new TlsTestServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  String target() {
    return "127.0.0.1:" + server.port();
  }

  @Test
  void theSpecsCertificatesAndApiKeyConnectAndTheNamespaceIsChecked() throws Exception {
    server.authorizations().clear();
    try (TemporalSession s = TemporalSession.connect(target(), "default", Duration.ofSeconds(10),
        auth("client.pem", "client.key", "ca.pem", null, "k-cli-7"))) {
      assertThat(s.target()).isEqualTo(target());
    }
    assertThat(server.authorizations()).contains("Bearer k-cli-7");
  }

  @Test
  void withoutTheSpecsTlsTheServerIsUnreachableExitCode3() {
    assertThatThrownBy(() -> TemporalSession.connect(target(), "default", Duration.ofSeconds(5),
        SecuritySpec.TemporalAuth.NONE)).isInstanceOfSatisfying(CliException.class,
            e -> assertThat(e.exitCode()).isEqualTo(CliException.TEMPORAL_UNREACHABLE));
  }

  @Test
  void anUnreadableCertificateFileIsOneLineExitCode2() {
    SecuritySpec.TemporalAuth missing = new SecuritySpec.TemporalAuth(Optional.empty(), Optional.empty(),
        Optional.of("/nonexistent/ca.pem"), Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> TemporalSession.connect(target(), "default", Duration.ofSeconds(5), missing))
        .isInstanceOfSatisfying(CliException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(2);
          assertThat(e.getMessage()).contains("lakehouse.security.temporal.ca-cert names no readable file")
              .doesNotContain("\n");
        });
  }
}
