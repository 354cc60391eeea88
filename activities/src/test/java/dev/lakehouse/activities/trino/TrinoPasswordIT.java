package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SecuritySpec;
import dev.lakehouse.spec.TrinoClient;
import dev.lakehouse.stack.Clients;
import dev.lakehouse.stack.junit.OwnStack;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker's Trino connections ({@link TrinoConnections}, built by the spec's {@link TrinoClient}) against a real
 * Trino with HTTPS and a password file: a stack of its own (s3, iceberg-rest, trino) started with
 * {@code lakehouse.security.trino.password} and {@code truststore-path} set, as {@code ./lakehouse up} would.
 */
class TrinoPasswordIT {
  private static final String PASSWORD = "trino-pw-4d2a91";
  private static OwnStack own;
  private static PipelineSpec spec;

  @BeforeAll
  static void start() throws Exception {
    Path certificate = OwnStack.stateDir("trino-https-cert.pem"); // outside the state dir, which is purged
    Files.deleteIfExists(certificate); // a previous run's: the stack overwrites only its current one
    own = OwnStack.start("trino-https", List.of("trino"), Map.of("LAKEHOUSE_TRINO_PASSWORD", PASSWORD,
        "LAKEHOUSE_TRINO_TRUSTSTORE", certificate.toString()));
    spec = own.spec();
  }

  @AfterAll
  static void stop() {
    if (own != null) {
      own.close();
    }
  }

  @Test
  void theRightPasswordRunsQueriesOverHttps() throws Exception {
    TrinoClient client = spec.trino();
    assertThat(client.url()).startsWith("https://");
    TrinoConnections trino = new TrinoConnections(client);
    assertThat(trino.query("SELECT current_user")).containsExactly(List.of(client.user()));
    // the catalog works behind the login too
    assertThat(trino.query("SHOW SCHEMAS FROM iceberg")).contains(List.of("information_schema"));
  }

  @Test
  void aWrongPasswordFailsWithOneLineAndIsNotRetried() {
    TrinoClient wrong = with(Optional.of("not-" + PASSWORD), spec.security().trino().truststorePath());
    assertThatThrownBy(() -> new TrinoConnections(wrong).query("SELECT 1")).isInstanceOf(SQLException.class)
        .satisfies(e -> {
          System.out.println("wrong password -> " + e.getMessage());
          assertThat(e.getMessage()).startsWith("Trino at " + wrong.url() + " as " + wrong.user()
              + ": Trino refused the credentials").contains("LAKEHOUSE_TRINO_PASSWORD").doesNotContain("\n")
              .doesNotContain(PASSWORD);
          ApplicationFailure failure = TrinoErrors.of("data_vault.s_users", "materialize", e);
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("refused the credentials");
        });
  }

  @Test
  void noPasswordAndAnUntrustedCertificateAreRefused() {
    TrinoClient anonymous = with(Optional.empty(), spec.security().trino().truststorePath());
    assertThatThrownBy(() -> new TrinoConnections(anonymous).query("SELECT 1"))
        .hasMessageContaining("Trino refused the credentials");
    // the JVM's trust store does not know the stack's self-signed certificate
    TrinoClient untrusted = with(Optional.of(PASSWORD), Optional.empty());
    assertThatThrownBy(() -> new TrinoConnections(untrusted).query("SELECT 1"))
        .satisfies(e -> System.out.println("untrusted certificate -> " + e.getMessage()))
        .hasMessageContaining("TLS failed").hasMessageContaining("LAKEHOUSE_TRINO_TRUSTSTORE");
  }

  @Test
  void thePlainHttpListenerRunsNoQueryWithoutTheLogin() throws Exception {
    Path config = own.stack().context().conf("trino").resolve("config.properties");
    int httpPort = Files.readAllLines(config).stream().filter(l -> l.startsWith("http-server.http.port="))
        .map(l -> Integer.parseInt(l.substring(l.indexOf('=') + 1))).findFirst().orElseThrow();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            "http://" + spec.endpoints().host() + ":" + httpPort + "/v1/statement"))
        .header("X-Trino-User", spec.endpoints().trino().user()).POST(HttpRequest.BodyPublishers.ofString("SELECT 1"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isIn(401, 403);
  }

  @Test
  void theTrinoCliOfLakehouseTrinoLogsInWithThePasswordFromItsEnvironment() throws Exception {
    Path jar = own.stack().context().service("trino-cli").resolve("trino-cli.jar");
    List<String> argv = new ArrayList<>(Clients.ClientCommand.trinoCli(own.stack(), jar));
    ProcessBuilder pb = new ProcessBuilder().redirectErrorStream(true);
    // what the launcher script does with the leading env: lines
    while (argv.get(0).startsWith(Clients.ClientCommand.ENV_PREFIX)) {
      String line = argv.remove(0).substring(Clients.ClientCommand.ENV_PREFIX.length());
      pb.environment().put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
    }
    assertThat(argv).doesNotContain(PASSWORD).contains("--password", "--truststore-path");
    argv.addAll(List.of("--execute", "SELECT 'cli as ' || current_user"));
    Process p = pb.command(argv).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(out).as(out).contains("cli as " + spec.endpoints().trino().user());
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void thePasswordIsInNoArgvAndNoLog() throws Exception {
    assertThat(own.argvAndLogs("trino")).contains("TrinoServer").doesNotContain(PASSWORD);
    assertThat(Files.readString(own.stack().context().conf("trino").resolve("password.db")))
        .startsWith(spec.endpoints().trino().user() + ":10000:").doesNotContain(PASSWORD);
  }

  private static TrinoClient with(Optional<String> password, Optional<String> truststore) {
    return new TrinoClient(spec.endpoints().trino(),
        new SecuritySpec.TrinoAuth(password, true, truststore, Optional.empty()));
  }
}
