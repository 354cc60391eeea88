package dev.lakehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lakehouse.security.trino.access-token-path}: a bearer token for every Trino client (TrinoJwtIT runs it). */
class TrinoTokenTest {
  @TempDir
  Path dir;

  private static PipelineSpec load(Map<String, String> env) {
    return SpecLoader.load(SpecSource.bundled(), env, Map.of());
  }

  @Test
  void theTokenIsReadFromItsFileAtEachConnectionAndTurnsHttpsOn() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "eyJ.first.sig\n");
    TrinoClient client = load(Map.of("LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE", token.toString(),
        "LAKEHOUSE_TRINO_TRUSTSTORE", "/c.pem")).trino();
    assertThat(client.url()).startsWith("https://");
    assertThat(client.jdbcProperties()).containsEntry("accessToken", "eyJ.first.sig").containsEntry("SSL", "true")
        .containsEntry("SSLTrustStorePath", "/c.pem").doesNotContainKey("password");
    // a rotated token: the next connection takes it, nothing to restart
    Files.writeString(token, "eyJ.second.sig");
    assertThat(client.jdbcProperties()).containsEntry("accessToken", "eyJ.second.sig");
    assertThat(client.toString()).doesNotContain("eyJ").contains(token.toString());
    assertThat(client.jdbcUrl()).doesNotContain("eyJ");
    assertThat(load(Map.of()).trino().jdbcProperties()).doesNotContainKey("accessToken");
  }

  @Test
  void aTokenWithAPasswordOrWithoutHttpsIsRefusedWithOneLine() {
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE", "/t", "LAKEHOUSE_TRINO_PASSWORD", "p")))
        .hasMessageContaining("lakehouse.security.trino.access-token-path: and password are both set");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE", "/t", "LAKEHOUSE_TRINO_SSL", "off")))
        .hasMessageContaining("lakehouse.security.trino.ssl: is off, but Trino accepts a bearer token over HTTPS"
            + " only");
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_TRINO_JWT_KEY", "/k.pem")))
        .hasMessageContaining("lakehouse.security.trino.jwt-key-path: is set without access-token-path");
  }

  @Test
  void anUnreadableOrEmptyTokenFileIsOneLineThatNamesTheKey() throws Exception {
    TrinoClient missing = load(Map.of("LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE", dir.resolve("none").toString())).trino();
    assertThatThrownBy(missing::jdbcProperties).isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot read Trino's bearer token from lakehouse.security.trino.access-token-path")
        .hasMessageContaining("LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE").hasMessageContaining("NoSuchFileException")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
        .satisfies(e -> assertThat(missing.authProblem(new Exception("wrapped", e))).hasValueSatisfying(m ->
            assertThat(m).contains("cannot read Trino's bearer token")));
    Path empty = Files.writeString(dir.resolve("empty"), "  \n");
    TrinoClient blank = load(Map.of("LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE", empty.toString())).trino();
    assertThatThrownBy(blank::jdbcProperties).hasMessageContaining("the file is empty");
  }

  @Test
  void refusedCredentialsNameTheKeyInUse() {
    Exception refused = new Exception("Error executing query", new Exception("Authentication failed: Unauthorized"));
    assertThat(load(Map.of("LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE", "/t")).trino().authProblem(refused))
        .hasValueSatisfying(m -> assertThat(m).contains("refused the credentials",
            "lakehouse.security.trino.access-token-path (LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE)")
            .doesNotContain("LAKEHOUSE_TRINO_PASSWORD"));
    assertThat(load(Map.of("LAKEHOUSE_TRINO_PASSWORD", "p")).trino().authProblem(refused))
        .hasValueSatisfying(m -> assertThat(m).contains("LAKEHOUSE_TRINO_PASSWORD")
            .doesNotContain("ACCESS_TOKEN"));
    // no credentials at all (or a caller that knows no spec): both keys
    assertThat(TrinoClient.authHint(refused)).hasValueSatisfying(m -> assertThat(m)
        .contains("LAKEHOUSE_TRINO_PASSWORD", "LAKEHOUSE_TRINO_ACCESS_TOKEN_FILE"));
  }
}
