package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files and settings of the local Trino's HTTPS, password or JWT, and its S3 keys (TrinoPasswordIT, TrinoJwtIT
 * and S3DefaultChainIT run Trino on them).
 */
class TrinoHttpsTest {
  @TempDir
  Path dir;

  private StackContext context(Map<String, String> env) {
    PipelineSpec spec = SpecLoader.load(SpecSource.bundled(), env, Map.of());
    return StackContext.of(spec, SpecSource.bundled(), dir.resolve("home"), dir.resolve("services"), line -> { });
  }

  @Test
  void writesTheKeyStoreTheCertificateAndAHashedPasswordFile() throws Exception {
    Path cert = dir.resolve("client/trino.pem");
    StackContext ctx = context(Map.of("LAKEHOUSE_TRINO_PASSWORD", "tp-93ab", "LAKEHOUSE_TRINO_TRUSTSTORE",
        cert.toString()));
    Path etc = ctx.conf("trino");
    List<String> config = TrinoHttps.configure(ctx, etc, 18081);
    assertThat(config).contains("http-server.http.port=18081", "http-server.https.enabled=true",
        "http-server.https.port=" + ctx.endpoints().trino().port(), "http-server.authentication.type=PASSWORD",
        "http-server.authentication.allow-insecure-over-http=false");
    assertThat(String.join("\n", config)).doesNotContain("tp-93ab");
    assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(etc.resolve("password.db")))
        .matches(ctx.endpoints().trino().user() + ":10000:[0-9a-f]{32}:[0-9a-f]{64}\n");
    // a restart replaces the stack's own certificate with the new one
    String first = Files.readString(cert);
    TrinoHttps.configure(ctx, etc, 18081);
    assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----").isNotEqualTo(first);
  }

  @Test
  void refusesToOverwriteAFileItDidNotWriteOrToServeWithoutATrustStorePath() throws Exception {
    Path ca = Files.writeString(dir.resolve("my-ca.pem"), "a CA of someone's own\n");
    StackContext foreign = context(Map.of("LAKEHOUSE_TRINO_PASSWORD", "p", "LAKEHOUSE_TRINO_TRUSTSTORE",
        ca.toString()));
    assertThatThrownBy(() -> TrinoHttps.configure(foreign, foreign.conf("trino"), 18081))
        .isInstanceOf(StackUsageException.class).hasMessageContaining("holds a file the local stack did not write");
    assertThat(Files.readString(ca)).isEqualTo("a CA of someone's own\n");

    StackContext none = context(Map.of("LAKEHOUSE_TRINO_PASSWORD", "p"));
    assertThatThrownBy(() -> TrinoHttps.configure(none, none.conf("trino"), 18081))
        .isInstanceOf(StackUsageException.class).hasMessageContaining("set lakehouse.security.trino.truststore-path");
  }

  @Test
  void theCertificateNamesTheHostAndLoopback() {
    assertThat(TrinoHttps.subjectAlternativeNames("127.0.0.1")).isEqualTo("ip:127.0.0.1,dns:localhost");
    assertThat(TrinoHttps.subjectAlternativeNames("10.1.2.3")).isEqualTo("ip:127.0.0.1,dns:localhost,ip:10.1.2.3");
    assertThat(TrinoHttps.subjectAlternativeNames("trino.internal")).endsWith(",dns:trino.internal");
  }

  @Test
  void withATokenTrinoVerifiesJwtWithTheKeyOfTheSpecAndKeepsNoPasswordFile() throws Exception {
    Path key = Files.writeString(dir.resolve("jwt.pem"), "-----BEGIN PUBLIC KEY-----\n...\n");
    StackContext ctx = context(Map.of("LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE", dir.resolve("token").toString(),
        "LAKEHOUSE_TRINO_JWT_KEY", key.toString(), "LAKEHOUSE_TRINO_TRUSTSTORE", dir.resolve("c.pem").toString()));
    Path etc = ctx.conf("trino");
    List<String> config = TrinoHttps.configure(ctx, etc, 18081);
    assertThat(config).contains("http-server.https.enabled=true", "http-server.authentication.type=JWT",
        "http-server.authentication.jwt.key-file=" + key.toAbsolutePath(),
        "http-server.authentication.allow-insecure-over-http=false")
        .noneMatch(l -> l.startsWith("password-authenticator"));
    assertThat(etc.resolve("password.db")).doesNotExist();

    StackContext noKey = context(Map.of("LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE", "/t", "LAKEHOUSE_TRINO_TRUSTSTORE",
        dir.resolve("c2.pem").toString()));
    assertThatThrownBy(() -> TrinoHttps.configure(noKey, noKey.conf("trino"), 18081))
        .isInstanceOf(StackUsageException.class).hasMessageContaining("set lakehouse.security.trino.jwt-key-path");
  }

  @Test
  void withTheDefaultChainNoClientConfigHoldsTheS3Keys() {
    StackContext chain = context(Map.of("LAKEHOUSE_S3_CREDENTIALS", "default-chain", "LAKEHOUSE_S3_SECRET_KEY",
        "s3-secret-7f"));
    assertThat(TrinoService.catalogProperties(chain.endpoints())).contains("s3.endpoint=", "s3.region=")
        .doesNotContain("s3.aws-access-key", "s3.aws-secret-key", "s3-secret-7f");
    assertThat(S3Service.clientEnv(chain.endpoints())).containsEntry("AWS_SECRET_ACCESS_KEY", "s3-secret-7f")
        .containsEntry("AWS_ACCESS_KEY_ID", chain.endpoints().s3().accessKey());
    StackContext plain = context(Map.of("LAKEHOUSE_S3_SECRET_KEY", "s3-secret-7f"));
    assertThat(TrinoService.catalogProperties(plain.endpoints())).contains("s3.aws-secret-key=s3-secret-7f");
    assertThat(S3Service.clientEnv(plain.endpoints())).isEmpty();
  }
}
