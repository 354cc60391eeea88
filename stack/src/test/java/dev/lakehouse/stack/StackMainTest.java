package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `./lakehouse up | status ...` with what a user gets wrong: one line on stderr, no stack trace, exit code 2.
 * Every case fails before a service could start (names and settings are checked first).
 */
class StackMainTest {
  @TempDir
  Path home;

  record Result(int exit, String out, String err) {}

  private Result run(Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("LAKEHOUSE_HOME", home.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = StackMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertOneLine(Result r) {
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).hasLineCount(1).startsWith("lakehouse: ").doesNotContain("\tat ", "Exception");
  }

  @Test
  void anUnknownServiceListsTheKnownOnes() {
    Result r = run(Map.of(), "up", "bogus");
    assertOneLine(r);
    assertThat(r.err()).isEqualTo("lakehouse: unknown service 'bogus': the services are s3, iceberg-rest, postgres,"
        + " kafka, connect, temporal, flink, trino" + System.lineSeparator());
  }

  @Test
  void aSyntaxErrorInTheSpecNamesFileAndLine() throws IOException {
    Path spec = home.resolve("lakehouse.conf");
    Files.writeString(spec, "lakehouse {\n  endpoints {\n    host = 127.0.0.1\n    postgres { port = 5432\n}\n");
    Result r = run(Map.of("LAKEHOUSE_SPEC", spec.toString()), "up", "postgres");
    assertOneLine(r);
    assertThat(r.err()).startsWith("lakehouse: invalid pipeline spec (" + spec + "): syntax error at line ");
  }

  @Test
  void aSpecThatDoesNotLoadIsOneLine() {
    Result r = run(Map.of("LAKEHOUSE_POSTGRES_PORT", "not-a-port"), "status");
    assertOneLine(r);
    assertThat(r.err()).endsWith("): lakehouse.endpoints.postgres.port: 'not-a-port' has type STRING rather than NUMBER"
        + System.lineSeparator());
    Result missing = run(Map.of("LAKEHOUSE_SPEC", home.resolve("nope.conf").toString()), "status");
    assertOneLine(missing);
    assertThat(missing.err()).contains("LAKEHOUSE_SPEC names no readable file");
  }

  @Test
  void aBadTemporalModeSaysTheAllowedValues() {
    Result r = run(Map.of("LAKEHOUSE_TEMPORAL", "docker"), "up", "temporal");
    assertOneLine(r);
    assertThat(r.err()).isEqualTo("lakehouse: LAKEHOUSE_TEMPORAL='docker' is not a Temporal mode: use auto (the"
        + " default: the temporal CLI's dev server, else the Java test server), cli or test-server"
        + System.lineSeparator());
  }

  @Test
  void theTemporalModeTakesTheDocumentedSpellings() {
    assertThat(TemporalService.Mode.parse(null)).isEqualTo(TemporalService.Mode.AUTO);
    assertThat(TemporalService.Mode.parse(" ")).isEqualTo(TemporalService.Mode.AUTO);
    assertThat(TemporalService.Mode.parse("cli")).isEqualTo(TemporalService.Mode.CLI);
    assertThat(TemporalService.Mode.parse("TEST-SERVER")).isEqualTo(TemporalService.Mode.TEST_SERVER);
    assertThat(TemporalService.Mode.parse("test_server")).isEqualTo(TemporalService.Mode.TEST_SERVER);
  }

  @Test
  void aNonLoopbackHostIsRefusedBeforeAnythingStarts() {
    Result r = run(Map.of("LAKEHOUSE_HOST", "0.0.0.0"), "up", "postgres");
    assertOneLine(r);
    assertThat(r.err()).startsWith("lakehouse: the local stack refuses host 0.0.0.0 (LAKEHOUSE_HOST)")
        .contains("--expose", "LAKEHOUSE_EXPOSE=true");
    assertThat(home.resolve("run")).doesNotExist();
    // status, logs and down start nothing: they are not refused (a stack started with --expose can be stopped)
    assertThat(run(Map.of("LAKEHOUSE_HOST", "0.0.0.0"), "logs", "postgres").err()).doesNotContain("refuses");
  }

  @Test
  void exposeLetsTheHostThroughWithAWarningListingTheOpenServices() {
    StackMain main = new StackMain(Map.of("LAKEHOUSE_HOME", home.toString(), "LAKEHOUSE_HOST", "0.0.0.0"));
    java.util.List<String> out = new java.util.ArrayList<>();
    Stack viaFlag = main.stack(java.util.List.of("postgres"), Map.of("lakehouse.security.expose", "true"), true);
    Stack stack = new Stack(new StackContext(viaFlag.context().spec(), viaFlag.context().specSource(), home, home,
        home, out::add), viaFlag.services());
    stack.checkExposure();
    assertThat(out).singleElement().asString().startsWith("WARNING: exposed on 0.0.0.0")
        .contains("postgres", "kafka", "trino", "temporal");
    // the same spec without the flag is refused by Stack.up() itself (the JUnit extension, bench, reliability)
    Stack refused = main.stack(java.util.List.of("postgres"));
    assertThat(org.assertj.core.api.Assertions.catchThrowable(refused::checkExposure))
        .isInstanceOf(StackUsageException.class).hasMessageStartingWith("the local stack refuses host 0.0.0.0");
  }

  @Test
  void psqlGetsThePasswordInItsEnvironmentNeverInItsArgv() {
    String password = "pw-for-psql-only-" + System.nanoTime();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Result r;
    try {
      PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
      System.setOut(capture); // the client command prints on System.out for the launcher script
      System.setErr(capture);
      r = run(Map.of("LAKEHOUSE_POSTGRES_PASSWORD", password), "client-command", "psql");
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    java.util.List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    if (r.exit() == 0) { // psql on PATH: env lines for the launcher to export, then the argv
      assertThat(lines.get(0)).isEqualTo("env:PGPASSWORD=" + password);
      assertThat(lines.subList(1, lines.size())).isNotEmpty().allSatisfy(a -> assertThat(a).doesNotContain(password)
          .doesNotStartWith("env:"));
      assertThat(lines.get(1)).endsWith("/psql");
    } else { // no psql: the hint names the spec key, not the password
      assertThat(lines).singleElement().asString().contains("lakehouse.endpoints.postgres.password")
          .doesNotContain(password);
    }
  }
}
