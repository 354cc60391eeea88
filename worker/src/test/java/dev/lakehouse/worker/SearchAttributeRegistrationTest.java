package dev.lakehouse.worker;

import static dev.lakehouse.temporal.TlsTestServer.auth;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.SecuritySpec;
import dev.lakehouse.temporal.TlsTestServer;
import dev.lakehouse.workflows.RunSearchAttributes;
import io.temporal.common.SearchAttributeKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runs' search attributes registered on a Temporal server that requires mutual TLS and gets an API key. */
class SearchAttributeRegistrationTest {
  static TlsTestServer server;

  @BeforeAll
  static void startTlsServer() throws Exception {
    server = new TlsTestServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void theOperatorCallsUseTheSpecsTlsAndApiKey() throws Exception {
    server.authorizations().clear();
    // the Java test server cannot list search attributes: every one is added
    assertThat(SearchAttributeRegistration.ensure("127.0.0.1:" + server.port(), "default",
        auth("client.pem", "client.key", "ca.pem", null, "k-worker-5")))
        .containsExactlyInAnyOrderElementsOf(RunSearchAttributes.ALL.stream().map(SearchAttributeKey::getName)
            .toList());
    assertThat(server.authorizations()).contains("Bearer k-worker-5");
  }

  @Test
  void plainTextToATlsServerRegistersNothingAndDoesNotFail() {
    assertThat(SearchAttributeRegistration.ensure("127.0.0.1:" + server.port(), "default",
        SecuritySpec.TemporalAuth.NONE)).isEmpty();
  }
}
