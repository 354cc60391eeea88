package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.testing.LocalTemporalServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shaded jar as ./lakehouse runs it: help, a signal to a live server, and an unreachable server. */
class CliJarIT {
  static final Path JAR = Paths.get(System.getProperty("lakehouse.cliJar", "target/lakehouse-cli.jar"));

  record Run(int exit, String out, String err) {}

  static Run java(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    // the spec bundled in the jar: no LAKEHOUSE_SPEC, and no checkout above the working directory
    pb.environment().remove("LAKEHOUSE_SPEC");
    pb.directory(new File(System.getProperty("java.io.tmpdir")));
    Process p = pb.start();
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void helpListsTheCommands() throws Exception {
    Run r = java("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("assets", "lineage", "run", "backfill", "pause", "resume", "status", "automation");
  }

  @Test
  void signalsALiveServerAndReadsTheQueueBack() throws Exception {
    try (LocalTemporalServer server = new LocalTemporalServer()) {
      // a paused coordinator keeps the request queued, so status needs no materialization to have happened
      Run pause = java("pause", "--temporal", server.target());
      assertThat(pause.exit()).as(pause.err()).isZero();
      Run run = java("run", "--select", "data_vault.s_users+", "--temporal", server.target());
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).contains("requested 'data_vault.s_users+'");
      // no worker: the coordinator cannot answer its query, and status says so in one line
      Run status = java("status", "--temporal", server.target());
      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.out()).contains("materializer                       running")
          .contains("is the worker running?");
    }
  }

  @Test
  void unreachableTemporalExits3WithOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Run r = java("status", "--temporal", "127.0.0.1:" + port);
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err().strip()).startsWith("lakehouse: cannot reach Temporal at 127.0.0.1:" + port)
        .doesNotContain("\n");
    assertThat(r.out()).isEmpty();
  }
}
