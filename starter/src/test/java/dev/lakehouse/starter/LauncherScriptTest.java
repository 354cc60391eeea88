package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./lakehouse} launcher's part of an apply (docs/apply.md#the-worker): the spec in use recorded in
 * {@code .lakehouse/spec-in-use} after a successful {@code apply --spec FILE}, read by every later command, and the
 * worker's {@code reload-worker} run after it. The real script runs; its {@code java} is a stand-in that records
 * each call (the arguments and the {@code LAKEHOUSE_SPEC} it was given) and fails {@code apply} on demand, so
 * nothing starts and no jar is needed.
 */
class LauncherScriptTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final String EXAMPLE = ROOT.resolve("examples/transactions/transactions.conf").toString();
  static final String BUNDLED = ROOT.resolve("lakehouse.conf").toString();

  @TempDir
  Path dir;
  Path home;
  Path calls;

  @BeforeEach
  void fakeJava() throws IOException {
    home = dir.resolve("home");
    calls = dir.resolve("calls");
    Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, """
        #!/usr/bin/env bash
        echo "${LAKEHOUSE_SPEC}|$*" >> "$FAKE_JAVA_CALLS"
        [[ "$3" == apply ]] && exit "${FAKE_APPLY_EXIT:-0}"
        exit 0
        """);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String jar : List.of("cli", "stack", "worker", "console", "bench")) {
      Files.writeString(dir.resolve(jar + ".jar"), ""); // present, so the script builds nothing
    }
  }

  record Run(int exit, String out, List<String> calls) {}

  private Run lakehouse(Map<String, String> env, String... args) throws Exception {
    Files.deleteIfExists(calls);
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("lakehouse").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().remove("LAKEHOUSE_SPEC");
    pb.environment().putAll(Map.of("LAKEHOUSE_HOME", home.toString(), "JAVA_HOME", dir.resolve("jdk").toString(),
        "LAKEHOUSE_CLI_JAR", dir.resolve("cli.jar").toString(), "LAKEHOUSE_STACK_JAR",
        dir.resolve("stack.jar").toString(), "FAKE_JAVA_CALLS", calls.toString()));
    pb.environment().putAll(Map.of("LAKEHOUSE_WORKER_JAR", dir.resolve("worker.jar").toString(),
        "LAKEHOUSE_CONSOLE_JAR", dir.resolve("console.jar").toString(),
        "LAKEHOUSE_BENCH_JAR", dir.resolve("bench.jar").toString()));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, Files.exists(calls) ? Files.readAllLines(calls) : List.of());
  }

  private String cli() {
    return "-jar " + dir.resolve("cli.jar");
  }

  private String stack() {
    return "-jar " + dir.resolve("stack.jar");
  }

  @Test
  void anApplyRecordsTheSpecInUseReloadsTheWorkerAndEveryLaterCommandReadsIt() throws Exception {
    Run apply = lakehouse(Map.of(), "apply", "--spec", "examples/transactions/transactions.conf");
    assertThat(apply.exit()).isZero();
    assertThat(apply.calls()).containsExactly(
        BUNDLED + "|" + cli() + " apply --spec examples/transactions/transactions.conf",
        EXAMPLE + "|" + stack() + " reload-worker");
    assertThat(apply.out()).contains("the spec in use is now " + EXAMPLE);
    assertThat(Files.readString(home.resolve("spec-in-use")).strip()).isEqualTo(EXAMPLE);

    assertThat(lakehouse(Map.of(), "status").calls()).containsExactly(EXAMPLE + "|" + stack() + " status",
        EXAMPLE + "|" + cli() + " status");
    assertThat(lakehouse(Map.of(), "up").calls()).as("up applies the spec in use, then reloads the worker")
        .containsExactly(EXAMPLE + "|" + stack() + " up", EXAMPLE + "|" + cli() + " apply --after-up",
            EXAMPLE + "|" + stack() + " reload-worker");
    assertThat(lakehouse(Map.of("LAKEHOUSE_SPEC", BUNDLED), "status").calls()).as("the environment wins")
        .endsWith(BUNDLED + "|" + cli() + " status");
    // the bench's stack of its own has the seed's tables, not those of the spec the local lakehouse runs
    assertThat(lakehouse(Map.of(), "bench", "--quick").calls())
        .containsExactly(BUNDLED + "|-jar " + dir.resolve("bench.jar") + " --quick");
    assertThat(lakehouse(Map.of("LAKEHOUSE_SPEC", EXAMPLE), "bench").calls()).as("unless the environment says")
        .containsExactly(EXAMPLE + "|-jar " + dir.resolve("bench.jar"));

    // applying the checkout's spec again goes back to it
    Run back = lakehouse(Map.of(), "apply", "--allow-removal", "--spec=lakehouse.conf");
    assertThat(back.calls()).endsWith(BUNDLED + "|" + stack() + " reload-worker");
    assertThat(Files.readString(home.resolve("spec-in-use")).strip()).isEqualTo(BUNDLED);
  }

  @Test
  void aDryRunOrAFailedApplyRecordsNothingAndReloadsNothing() throws Exception {
    Run dry = lakehouse(Map.of(), "apply", "--dry-run", "--spec", "examples/transactions/transactions.conf");
    assertThat(dry.calls()).containsExactly(BUNDLED + "|" + cli()
        + " apply --dry-run --spec examples/transactions/transactions.conf");
    assertThat(home.resolve("spec-in-use")).doesNotExist();

    Run refused = lakehouse(Map.of("FAKE_APPLY_EXIT", "2"), "apply", "--spec", "examples/transactions/transactions.conf");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.calls()).hasSize(1);
    assertThat(home.resolve("spec-in-use")).doesNotExist();

    Run up = lakehouse(Map.of("FAKE_APPLY_EXIT", "2"), "up");
    assertThat(up.exit()).as("up exits with apply's refusal").isEqualTo(2);
    assertThat(up.calls()).containsExactly(BUNDLED + "|" + stack() + " up", BUNDLED + "|" + cli() + " apply --after-up");
    assertThat(up.out()).contains("lakehouse up: the stack is up, but the spec in use was not applied");
  }

  @Test
  void aRecordedSpecThatIsGoneFallsBackToTheCheckoutsSpec() throws Exception {
    Files.createDirectories(home);
    Files.writeString(home.resolve("spec-in-use"), dir.resolve("deleted.conf") + "\n");
    assertThat(lakehouse(Map.of(), "status", "--json").calls()).containsExactly(BUNDLED + "|" + cli() + " status --json");
  }
}
