package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import dev.lakehouse.spec.SpecVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code reload-worker} decides per process from {@code run/NAME.spec} (the processes themselves: ReloadWorkerIT
 * in e2e): restart only a running process whose recorded spec is not the spec in use.
 */
class SpecReloadTest {
  @TempDir
  Path home;

  final List<String> calls = new ArrayList<>();

  /** A process that records its stop and start; {@code pid} is what {@link #pid()} says. */
  final class Fake implements SpecReload.Process {
    long pid;

    Fake(long pid) {
      this.pid = pid;
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public void stop() {
      calls.add("stop " + pid);
      pid = -1;
    }

    @Override
    public long start(Path jar, int timeoutSeconds) {
      calls.add("start " + jar);
      pid = 2;
      return pid;
    }
  }

  StackContext context(Map<String, String> overrides) {
    SpecSource source = SpecLoader.locate(Map.of());
    PipelineSpec spec = SpecLoader.load(source, Map.of(), overrides);
    return StackContext.of(spec, source, home, home, line -> calls.add("out " + line.replaceAll(" +", " ")));
  }

  String reload(StackContext ctx, Fake process) throws IOException {
    return SpecReload.reload(ctx, "console", "stop, then start", process, Path.of("c.jar"), 5);
  }

  @Test
  void aProcessOnTheSpecInUseIsLeftAlone() throws IOException {
    StackContext ctx = context(Map.of());
    SpecReload.record(ctx, "console");
    assertThat(reload(ctx, new Fake(1))).isEqualTo("console: runs spec " + SpecVersion.of(ctx.spec())
        + ", the spec in use");
    assertThat(calls).isEmpty();
  }

  @Test
  void aProcessOnAnotherSpecIsStoppedThenStarted() throws IOException {
    StackContext before = context(Map.of());
    SpecReload.record(before, "console");
    StackContext after = context(Map.of("lakehouse.schedules.sensor-interval", "3s"));
    String a = SpecVersion.of(before.spec());
    String b = SpecVersion.of(after.spec());
    assertThat(b).isNotEqualTo(a);
    assertThat(reload(after, new Fake(1))).isEqualTo("console: restarted with spec " + b);
    assertThat(calls).containsExactly("out console runs spec " + a + ", the spec in use is " + b
        + ": restarting (stop, then start)", "stop 1", "start c.jar");
  }

  @Test
  void aProcessWithoutARecordedSpecIsRestarted() throws IOException {
    StackContext ctx = context(Map.of());
    assertThat(Files.exists(SpecReload.file(ctx, "console"))).isFalse();
    assertThat(reload(ctx, new Fake(1))).startsWith("console: restarted with spec ");
    assertThat(calls).hasSize(3).element(0).asString().contains("runs spec unknown");
  }

  @Test
  void aProcessThatDoesNotRunIsNotStarted() throws IOException {
    StackContext ctx = context(Map.of());
    assertThat(reload(ctx, new Fake(-1))).startsWith("console: not running (./lakehouse up starts it");
    assertThat(calls).isEmpty();
  }
}
