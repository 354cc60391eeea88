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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lakehouse worker (worker/target/lakehouse-worker.jar) as a background process of `./lakehouse up`,
 * managed like the stack's services: started with setsid, pid in run/worker.pid, console in
 * logs/worker-console.log (the worker itself logs to logs/worker.log), stopped with SIGTERM (it drains
 * running tasks, up to its shutdown timeout) and SIGKILL after that. Started with LAKEHOUSE_AUTOMATION=on,
 * so it creates the automation workflows under their fixed IDs; a second start is a no-op while it runs.
 */
public final class WorkerProcess implements SpecReload.Process {
  public static final String NAME = "worker";
  public static final String JAR_ENV = "LAKEHOUSE_WORKER_JAR";
  /** The line the worker logs once it polls the task queue (LakehouseWorker.start). */
  static final String READY_LINE = "worker polling task queue";
  /** Logged after the automation was ensured (or failed to be). */
  static final String AUTOMATION_LINE = "automation:";

  private final StackContext ctx;
  private final Stack stack;
  private final String name;

  public WorkerProcess(Stack stack) {
    this(stack, NAME);
  }

  /**
   * A worker under another {@code name} (its pid file run/NAME.pid and console logs/NAME-console.log): a second
   * worker process on the same task queue, as a second replica would be. Every worker of a home logs to
   * logs/worker.log as well (the worker's own logging), each line with its thread.
   */
  public WorkerProcess(Stack stack, String name) {
    this.stack = stack;
    this.ctx = stack.context();
    this.name = name;
  }

  /** LAKEHOUSE_WORKER_JAR, else worker/target/lakehouse-worker.jar of the checkout holding lakehouse.conf. */
  public static Path locateJar() {
    String explicit = StackFiles.firstNonBlank(System.getProperty("lakehouse.worker.jar"), System.getenv(JAR_ENV));
    if (explicit != null) {
      return Paths.get(explicit).toAbsolutePath();
    }
    return inCheckout("worker/target/lakehouse-worker.jar");
  }

  /** {@code path} in the checkout (the reactor root above the working directory or this code), else relative. */
  static Path inCheckout(String path) {
    for (Path start : new Path[] {Paths.get("").toAbsolutePath(), StackFiles.codeLocation()}) {
      Path root = start == null ? null : StackFiles.reactorRoot(start);
      if (root != null) {
        return root.resolve(path);
      }
    }
    return Paths.get(path).toAbsolutePath();
  }

  /** The live pid of the worker, or -1. */
  @Override
  public long pid() {
    return stack.pid(name);
  }

  public Path consoleLog() {
    return ctx.logFile(name + "-console");
  }

  public Path log() {
    return ctx.logFile(NAME);
  }

  /**
   * Starts the worker unless it runs; waits until it polls and the automation is ensured. Returns the pid.
   * Throws with the end of its console log when it exits or does not get ready in time.
   */
  @Override
  public long start(Path jar, int timeoutSeconds) throws IOException {
    return start(jar, timeoutSeconds, Map.of());
  }

  /** As {@link #start(Path, int)}, with extra environment (e.g. LAKEHOUSE_SENSOR_INTERVAL) for the worker. */
  public long start(Path jar, int timeoutSeconds, Map<String, String> extraEnv) throws IOException {
    long running = pid();
    if (running > 0) {
      ctx.out().accept(String.format("%-13s already running (pid %d)", name, running));
      return running;
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no worker jar at " + jar + ": build it (./mvnw -B -DskipTests package) or set "
          + JAR_ENV);
    }
    Path console = consoleLog();
    Files.writeString(console, "==== " + Instant.now() + " lakehouse starting the worker: " + jar + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    long from = Files.size(console);
    // the serial collector and the C1 compiler alone: the JVM would pick G1 and C2 on this machine, with which the
    // worker held 327-347 MiB in the benchmark against 254 MiB (it mostly waits on Trino and Temporal)
    List<String> cmd = new ArrayList<>(List.of("setsid", ctx.java().toString(), "-Xmx512m", "-Xms64m",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(Services.nativeHeapTrim(Runtime.version()));
    // lets Stack.pid() recognise the process as ours (it checks the command line for the home)
    cmd.addAll(List.of("-Dlakehouse.home=" + ctx.home(), "-jar", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(ctx.home().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.put("LAKEHOUSE_HOME", ctx.home().toString());
    env.putIfAbsent(Stack.MALLOC_ARENA_MAX, "2");
    env.putIfAbsent("LAKEHOUSE_AUTOMATION", "on");
    // the file the stack read, whatever the worker would find from its working directory
    ctx.specSource().file().ifPresent(spec -> env.put(SpecLoader.SPEC_ENV, spec.toString()));
    // the stack's endpoints win over the spec's (the same unless overridden; the test stacks use free ports)
    env.putAll(endpointEnv(ctx.endpoints()));
    env.putAll(S3Service.clientEnv(ctx.endpoints())); // default-chain: the worker's S3FileIO finds the keys there
    if (ctx.spec().security().expose()) {
      env.put("LAKEHOUSE_EXPOSE", "true"); // `up --expose`: the worker checks the same host
    }
    env.putAll(extraEnv);
    Process p = pb.start();
    Files.writeString(ctx.pidFile(name), p.pid() + "\n");
    SpecReload.record(ctx, name);
    ctx.out().accept(String.format("%-13s starting (pid %d, log %s)", name, p.pid(), log()));
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (true) {
      String out = tail(console, from);
      if (out.contains(AUTOMATION_LINE) || (out.contains(READY_LINE) && !"on".equals(env.get("LAKEHOUSE_AUTOMATION")))) {
        ctx.out().accept(String.format("%-13s polling; %s", name, lineWith(out, out.contains(AUTOMATION_LINE)
            ? AUTOMATION_LINE : READY_LINE)));
        return p.pid();
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("the worker exited with code " + p.exitValue() + " during start:\n"
            + lastLines(out, 15) + "(console: " + console + ")");
      }
      if (System.nanoTime() > deadline) {
        stop();
        throw new IllegalStateException("the worker was not polling after " + timeoutSeconds + " s (console: "
            + console + ")");
      }
      Procs.sleep(500);
    }
  }

  /** The version of the spec the running worker was started with; empty when it does not run or is unknown. */
  public java.util.Optional<String> runningSpecVersion() {
    return SpecReload.recorded(ctx, name, pid());
  }

  /**
   * After {@code lakehouse apply}: a worker started with another spec than the stack's (the spec in use) is
   * restarted gracefully (SIGTERM: it stops polling and lets its running activities finish, then it starts with
   * the spec in use), so its asset graph, models and boot automation are the applied spec's. A worker that does not
   * run, or runs this spec, is left alone. Returns what it did, in one line.
   */
  public String reload(Path jar, int timeoutSeconds) throws IOException {
    return SpecReload.reload(ctx, name, "drain, then start", this, jar, timeoutSeconds);
  }

  /**
   * The spec's environment overrides (lakehouse.conf) that put a process on these endpoints: the worker's, and a
   * test's {@code reload-worker} on a stack of free ports.
   */
  public static Map<String, String> endpointEnv(Endpoints e) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("LAKEHOUSE_HOST", e.host());
    env.put("LAKEHOUSE_POSTGRES_PORT", String.valueOf(e.postgres().port()));
    env.put("LAKEHOUSE_KAFKA_PORT", String.valueOf(e.kafka().port()));
    env.put("LAKEHOUSE_CONNECT_PORT", String.valueOf(e.connect().port()));
    env.put("LAKEHOUSE_FLINK_PORT", String.valueOf(e.flink().port()));
    env.put("LAKEHOUSE_FLINK_SQL_GATEWAY_PORT", String.valueOf(e.flink().sqlGatewayPort()));
    env.put("LAKEHOUSE_ICEBERG_REST_PORT", String.valueOf(e.icebergRest().port()));
    env.put("LAKEHOUSE_S3_PORT", String.valueOf(e.s3().port()));
    env.put("LAKEHOUSE_TRINO_PORT", String.valueOf(e.trino().port()));
    env.put("LAKEHOUSE_TEMPORAL_HOST", e.host());
    env.put("LAKEHOUSE_TEMPORAL_PORT", String.valueOf(e.temporal().port()));
    env.put("LAKEHOUSE_TEMPORAL_UI_PORT", String.valueOf(e.temporal().uiPort()));
    env.put("LAKEHOUSE_CONSOLE_PORT", String.valueOf(e.console().port()));
    return env;
  }

  /** SIGKILL to the worker's process group (crash tests); the pid file stays until the next start/stop. */
  public void kill() {
    long pid = pid();
    if (pid > 0) {
      Procs.signalGroup(pid, "KILL");
      Procs.awaitDeath(pid, 10_000);
    }
  }

  /** SIGTERM, then waits up to 45 s (its drain timeout is 30 s by default) before SIGKILL. */
  @Override
  public void stop() {
    stop(ctx, name, pid(), 45);
  }

  /** SIGTERM to a background process group, SIGKILL after {@code graceSeconds}; removes its pid file. */
  static void stop(StackContext ctx, String name, long pid, int graceSeconds) {
    if (pid > 0) {
      long t = System.nanoTime();
      Procs.signalGroup(pid, "TERM");
      if (!Procs.awaitDeath(pid, graceSeconds * 1000L)) {
        ctx.out().accept(String.format("%-13s did not stop in %d s: SIGKILL", name, graceSeconds));
        Procs.signalGroup(pid, "KILL");
        Procs.awaitDeath(pid, 5_000);
      }
      ctx.out().accept(String.format("%-13s stopped (%.1f s)", name, (System.nanoTime() - t) / 1e9));
    }
    try {
      Files.deleteIfExists(ctx.pidFile(name));
    } catch (IOException e) {
      // ignore
    }
  }

  /** One status line in the style of the stack's table. */
  public String statusLine() {
    return statusLine(name, pid(), "-", log());
  }

  /** A background process's line in the stack's table: name, state, pid, port, RSS, log. */
  static String statusLine(String name, long pid, String port, Path log) {
    return String.format("%-13s %-8s %-21s %-6s %-10s %s%n", name, pid > 0 ? "running" : "stopped",
        pid > 0 ? String.valueOf(pid) : "-", port, pid > 0 ? Procs.human(Procs.treeRss(pid)) : "-", log);
  }

  static String tail(Path file, long from) {
    try {
      byte[] all = Files.readAllBytes(file);
      return from >= all.length ? "" : new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String lineWith(String text, String needle) {
    return text.lines().filter(l -> l.contains(needle)).findFirst()
        .map(l -> l.substring(Math.max(0, l.indexOf(needle)))).orElse("");
  }

  static String lastLines(String text, int n) {
    List<String> lines = text.lines().toList();
    StringBuilder b = new StringBuilder();
    lines.subList(Math.max(0, lines.size() - n), lines.size()).forEach(l -> b.append("  ").append(l).append('\n'));
    return b.toString();
  }
}
