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

/** The files and settings of the local Trino's HTTPS and password (TrinoPasswordIT runs Trino on them). */
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
}
