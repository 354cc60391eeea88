package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SecuritySpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import dev.lakehouse.spec.TrinoClient;
import dev.lakehouse.stack.FreePorts;
import dev.lakehouse.stack.Procs;
import dev.lakehouse.stack.Services;
import dev.lakehouse.stack.Stack;
import dev.lakehouse.stack.StackContext;
import dev.lakehouse.stack.StackFiles;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
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
  private static Stack stack;
  private static PipelineSpec spec;

  @BeforeAll
  static void start() throws Exception {
    Path state = Paths.get(System.getProperty("lakehouse.stack.state", "target/stack-it") + "-trino-https")
        .toAbsolutePath();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LAKEHOUSE_TRINO_PASSWORD", PASSWORD);
    env.put("LAKEHOUSE_TRINO_TRUSTSTORE", state.resolveSibling(state.getFileName() + "-trino.pem").toString());
    SpecSource source = SpecLoader.locate(System.getenv());
    PipelineSpec base = SpecLoader.load(source, env, Map.of());
    StackContext ctx = StackContext.of(base.withEndpoints(FreePorts.assign(base.endpoints())), source, state,
        StackFiles.locateServices(), line -> System.out.println("[trino-https] " + line));
    stack = new Stack(ctx, Services.select(List.of("trino")));
    stack.down();
    stack.purge();
    stack.up();
    spec = ctx.spec();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.down();
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
    Path config = stack.context().conf("trino").resolve("config.properties");
    int httpPort = Files.readAllLines(config).stream().filter(l -> l.startsWith("http-server.http.port="))
        .map(l -> Integer.parseInt(l.substring(l.indexOf('=') + 1))).findFirst().orElseThrow();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            "http://" + spec.endpoints().host() + ":" + httpPort + "/v1/statement"))
        .header("X-Trino-User", spec.endpoints().trino().user()).POST(HttpRequest.BodyPublishers.ofString("SELECT 1"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isIn(401, 403);
  }

  @Test
  void thePasswordIsInNoArgvAndNoLog() throws Exception {
    assertThat(Procs.cmdline(stack.pid("trino"))).contains("TrinoServer").doesNotContain(PASSWORD);
    try (Stream<Path> logs = Files.list(stack.context().home().resolve("logs"))) {
      for (Path log : logs.toList()) {
        assertThat(Files.readString(log)).as(log.toString()).doesNotContain(PASSWORD);
      }
    }
    assertThat(Files.readString(stack.context().conf("trino").resolve("password.db")))
        .startsWith(spec.endpoints().trino().user() + ":10000:").doesNotContain(PASSWORD);
  }

  private static TrinoClient with(Optional<String> password, Optional<String> truststore) {
    return new TrinoClient(spec.endpoints().trino(),
        new SecuritySpec.TrinoAuth(password, true, truststore, Optional.empty()));
  }
}
