package dev.lakehouse.stack;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.SpecLoader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The asset console (console/target/lakehouse-console.jar) as a background process of `./lakehouse up`, beside
 * the worker and not inside it, so the pages keep answering, and say what is down, while the worker is stopped or
 * crashed. Managed like the worker: setsid, pid in run/console.pid, output in logs/console.log, SIGTERM to stop.
 */
public final class ConsoleProcess implements SpecReload.Process {
  public static final String NAME = "console";
  public static final String JAR_ENV = "LAKEHOUSE_CONSOLE_JAR";
  /** What ConsoleMain prints once it serves. */
  static final String READY_LINE = "console listening on";

  private final StackContext ctx;
  private final Stack stack;

  public ConsoleProcess(Stack stack) {
    this.stack = stack;
    this.ctx = stack.context();
  }

  /** LAKEHOUSE_CONSOLE_JAR, else console/target/lakehouse-console.jar of the checkout holding lakehouse.conf. */
  public static Path locateJar() {
    String explicit = StackFiles.firstNonBlank(System.getProperty("lakehouse.console.jar"), System.getenv(JAR_ENV));
    return explicit != null ? Paths.get(explicit).toAbsolutePath()
        : WorkerProcess.inCheckout("console/target/lakehouse-console.jar");
  }

  @Override
  public long pid() {
    return stack.pid(NAME);
  }

  public Path log() {
    return ctx.logFile(NAME);
  }

  /** Starts the console unless it runs; waits until it listens. Returns the pid. */
  @Override
  public long start(Path jar, int timeoutSeconds) throws IOException {
    return start(jar, timeoutSeconds, Map.of());
  }

  /** As {@link #start(Path, int)}, with extra environment (e.g. LAKEHOUSE_USER_MODELS_PATH) for the console. */
  public long start(Path jar, int timeoutSeconds, Map<String, String> extraEnv) throws IOException {
    long running = pid();
    if (running > 0) {
      ctx.out().accept(String.format("%-13s already running (pid %d)", NAME, running));
      return running;
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no console jar at " + jar + ": build it (./mvnw -B -DskipTests package) or set "
          + JAR_ENV);
    }
    Path log = log();
    Files.writeString(log, "==== " + Instant.now() + " lakehouse starting the console: " + jar + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    long from = Files.size(log);
    ProcessBuilder pb = new ProcessBuilder(List.of("setsid", ctx.java().toString(), "-Xmx256m", "-Xms32m",
        "-Dlakehouse.home=" + ctx.home(), "-jar", jar.toString()))
        .directory(ctx.home().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.putIfAbsent(Stack.MALLOC_ARENA_MAX, "2");
    ctx.specSource().file().ifPresent(spec -> env.put(SpecLoader.SPEC_ENV, spec.toString()));
    env.putAll(WorkerProcess.endpointEnv(ctx.endpoints()));
    Endpoints.Console c = ctx.endpoints().console();
    env.put("LAKEHOUSE_CONSOLE_PORT", String.valueOf(c.port()));
    env.putAll(extraEnv);
    Process p = pb.start();
    Files.writeString(ctx.pidFile(NAME), p.pid() + "\n");
    SpecReload.record(ctx, NAME);
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (true) {
      String out = WorkerProcess.tail(log, from);
      if (out.contains(READY_LINE)) {
        ctx.out().accept(String.format("%-13s %s (pid %d)", NAME, c.url(), p.pid()));
        return p.pid();
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("the console exited with code " + p.exitValue() + " during start:\n"
            + WorkerProcess.lastLines(out, 15) + "(log: " + log + ")");
      }
      if (System.nanoTime() > deadline) {
        stop();
        throw new IllegalStateException("the console was not listening after " + timeoutSeconds + " s (log: "
            + log + ")");
      }
      Procs.sleep(300);
    }
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void stop() {
    WorkerProcess.stop(ctx, NAME, pid(), 10);
  }

  /**
   * After {@code lakehouse apply}, with the worker's reload: a console started with another spec than the spec in use
   * is restarted (it reads its asset graph from its spec at start, so it would not show the applied spec's assets).
   */
  public String reload(Path jar, int timeoutSeconds) throws IOException {
    return SpecReload.reload(ctx, NAME, "stop, then start", this, jar, timeoutSeconds);
  }

  /** One status line in the style of the stack's table. */
  public String statusLine() {
    return WorkerProcess.statusLine(NAME, pid(), String.valueOf(ctx.endpoints().console().port()), log());
  }
}
