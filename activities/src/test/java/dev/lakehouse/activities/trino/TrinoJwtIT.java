package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SecuritySpec;
import dev.lakehouse.spec.TrinoClient;
import dev.lakehouse.stack.Clients;
import dev.lakehouse.stack.junit.OwnStack;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Trino client of the lakehouse with a bearer token ({@code lakehouse.security.trino.access-token-path})
 * against a real Trino with HTTPS and JWT authentication: a stack of its own (s3, iceberg-rest, trino) whose Trino
 * verifies tokens with an RSA public key made here ({@code jwt-key-path}); the tokens are signed here with the JDK.
 */
class TrinoJwtIT {
  private static final String USER = "lakehouse";
  private static Path dir;
  private static KeyPair trinoKey;
  private static String token;
  private static OwnStack own;
  private static PipelineSpec spec;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createDirectories(OwnStack.stateDir("trino-jwt-client")); // outside the state dir, which is purged
    Path certificate = dir.resolve("trino-https-cert.pem");
    Files.deleteIfExists(certificate); // a previous run's: the stack overwrites only its current one
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    trinoKey = rsa.generateKeyPair();
    Path publicKey = Files.writeString(dir.resolve("jwt-public.pem"), "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(trinoKey.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    token = jwt(trinoKey.getPrivate(), USER, 3600);
    Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
    own = OwnStack.start("trino-jwt", List.of("trino"), Map.of(SecuritySpec.ACCESS_TOKEN_ENV, tokenFile.toString(),
        "LAKEHOUSE_TRINO_JWT_KEY", publicKey.toString(), "LAKEHOUSE_TRINO_TRUSTSTORE", certificate.toString(),
        "LAKEHOUSE_TRINO_USER", USER));
    spec = own.spec();
  }

  @AfterAll
  static void stop() {
    if (own != null) {
      own.close();
    }
  }

  @Test
  void theTokenRunsQueriesOverHttps() throws Exception {
    TrinoClient client = spec.trino();
    assertThat(client.url()).startsWith("https://");
    TrinoConnections trino = new TrinoConnections(client);
    assertThat(trino.query("SELECT current_user")).containsExactly(List.of(USER));
    assertThat(trino.query("SHOW SCHEMAS FROM iceberg")).contains(List.of("information_schema"));
  }

  @Test
  void noTokenATokenOfAnotherKeyAndAnExpiredTokenAreRefusedWithOneLine() throws Exception {
    TrinoClient anonymous = withToken(Optional.empty());
    assertThatThrownBy(() -> new TrinoConnections(anonymous).query("SELECT 1"))
        .satisfies(e -> System.out.println("no token -> " + e.getMessage()))
        .hasMessageContaining("Trino refused the credentials").hasMessageContaining(SecuritySpec.ACCESS_TOKEN_ENV);

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String forged = jwt(rsa.generateKeyPair().getPrivate(), USER, 3600);
    TrinoClient other = withToken(Optional.of(Files.writeString(dir.resolve("forged"), forged)));
    assertThatThrownBy(() -> new TrinoConnections(other).query("SELECT 1")).isInstanceOf(SQLException.class)
        .satisfies(e -> {
          System.out.println("another key's token -> " + e.getMessage());
          assertThat(e.getMessage()).startsWith("Trino at " + other.url() + " as " + USER
              + ": Trino refused the credentials").contains("lakehouse.security.trino.access-token-path ("
              + SecuritySpec.ACCESS_TOKEN_ENV + ")").doesNotContain("\n").doesNotContain(forged);
          ApplicationFailure failure = TrinoErrors.of("data_vault.s_users", "materialize", e);
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("refused the credentials")
              .contains(SecuritySpec.ACCESS_TOKEN_ENV).doesNotContain(forged);
        });

    String expired = jwt(trinoKey.getPrivate(), USER, -3600);
    TrinoClient late = withToken(Optional.of(Files.writeString(dir.resolve("expired"), expired)));
    assertThatThrownBy(() -> new TrinoConnections(late).query("SELECT 1"))
        .hasMessageContaining("Trino refused the credentials");
  }

  @Test
  void aRotatedTokenIsTakenByTheNextConnectionWithoutARestart() throws Exception {
    Path file = Files.writeString(dir.resolve("rotating"), jwt(trinoKey.getPrivate(), USER, -3600));
    TrinoConnections trino = new TrinoConnections(withToken(Optional.of(file)));
    assertThatThrownBy(() -> trino.query("SELECT 1")).hasMessageContaining("Trino refused the credentials");
    Files.writeString(file, jwt(trinoKey.getPrivate(), USER, 600)); // what a token issuer's agent does
    assertThat(trino.query("SELECT current_user")).containsExactly(List.of(USER));
    Files.delete(file);
    assertThatThrownBy(() -> trino.query("SELECT 1")).isInstanceOf(SQLException.class)
        .hasMessageContaining("cannot read Trino's bearer token from lakehouse.security.trino.access-token-path")
        .hasMessageContaining("NoSuchFileException");
  }

  @Test
  void theTrinoCliOfLakehouseTrinoSendsTheTokenFromAConfigFileNotItsArgv() throws Exception {
    Path jar = own.stack().context().service("trino-cli").resolve("trino-cli.jar");
    List<String> argv = new ArrayList<>(Clients.ClientCommand.trinoCli(own.stack(), jar));
    ProcessBuilder pb = new ProcessBuilder().redirectErrorStream(true);
    while (argv.get(0).startsWith(Clients.ClientCommand.ENV_PREFIX)) { // what the launcher script does
      String line = argv.remove(0).substring(Clients.ClientCommand.ENV_PREFIX.length());
      assertThat(line).doesNotContain(token);
      pb.environment().put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
    }
    assertThat(String.join(" ", argv)).doesNotContain(token).doesNotContain("--access-token");
    Path config = Path.of(pb.environment().get("TRINO_CONFIG"));
    assertThat(Files.getPosixFilePermissions(config)).containsExactlyInAnyOrder(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    argv.addAll(List.of("--execute", "SELECT 'cli as ' || current_user"));
    Process p = pb.command(argv).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as(out).contains("cli as " + USER);
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void theTokenIsInNoArgvNoLogAndNoConfigOfTrino() throws Exception {
    assertThat(own.argvAndLogs("trino")).contains("TrinoServer").doesNotContain(token);
    assertThat(Files.readString(own.stack().context().conf("trino").resolve("config.properties")))
        .contains("http-server.authentication.type=JWT").doesNotContain(token);
    assertThat(spec.toString()).doesNotContain(token);
  }

  private static TrinoClient withToken(Optional<Path> file) {
    SecuritySpec.TrinoAuth auth = spec.security().trino();
    return new TrinoClient(spec.endpoints().trino(), new SecuritySpec.TrinoAuth(Optional.empty(), true,
        auth.truststorePath(), Optional.empty(), file.map(Path::toString), Optional.empty()));
  }

  /** An RS256 JWT for {@code subject}, expiring {@code seconds} from now (negative: expired), signed by the JDK. */
  static String jwt(PrivateKey key, String subject, long seconds) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long now = Instant.now().getEpochSecond();
    String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64.encodeToString(("{\"sub\":\"" + subject + "\",\"iat\":" + Math.min(now, now + seconds)
        + ",\"exp\":" + (now + seconds) + "}").getBytes(StandardCharsets.UTF_8));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key);
    rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + b64.encodeToString(rs256.sign());
  }
}
