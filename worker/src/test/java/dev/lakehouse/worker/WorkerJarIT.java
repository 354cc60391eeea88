package dev.lakehouse.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.testing.LocalTemporalServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as users run it: {@code java -jar lakehouse-worker.jar}, stopped by SIGTERM. */
class WorkerJarIT {
  static final Path JAR = Paths.get(System.getProperty("lakehouse.workerJar", "target/lakehouse-worker.jar"));

  @TempDir
  Path home;

  private Process start(int temporalPort, int connectTimeoutSeconds) throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(java, "-Xmx256m", "-jar", JAR.toString())))
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("stdout.txt").toFile());
    pb.environment().put("LAKEHOUSE_HOME", home.toString());
    pb.environment().put("LAKEHOUSE_TEMPORAL_PORT", String.valueOf(temporalPort));
    pb.environment().put("LAKEHOUSE_WORKER_CONNECT_TIMEOUT_SECONDS", String.valueOf(connectTimeoutSeconds));
    // the spec bundled in the jar: no LAKEHOUSE_SPEC, and no checkout above the working directory
    pb.environment().remove("LAKEHOUSE_SPEC");
    pb.directory(home.toFile());
    return pb.start();
  }

  private String stdout() throws IOException {
    return Files.readString(home.resolve("stdout.txt"));
  }

  @Test
  void pollsThenStopsGracefullyOnSigterm() throws Exception {
    try (LocalTemporalServer server = new LocalTemporalServer()) {
      // generous: a cold JVM on a loaded 2-core machine needs seconds for its first gRPC call
      Process p = start(server.port(), 60);
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!stdout().contains("worker polling task queue") && p.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertThat(stdout()).contains("worker polling task queue 'lakehouse' on 127.0.0.1:" + server.port());
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(40, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(stdout()).contains("shutting down").contains("worker stopped");
        // the rolling file under LAKEHOUSE_HOME/logs got the same lines
        assertThat(Files.readString(home.resolve("logs/worker.log"))).contains("worker stopped");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void exitsWith3AndAPlainMessageWhenTemporalIsDown() throws Exception {
    Process p = start(WorkerTest.freePort(), 3);
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(3);
      assertThat(stdout()).contains("cannot reach the Temporal server at 127.0.0.1:").contains("./lakehouse up")
          .doesNotContain("\tat ");
    } finally {
      p.destroyForcibly();
    }
  }
}
