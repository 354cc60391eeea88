package dev.lakehouse.reliability;

import dev.lakehouse.stack.ConsoleProcess;
import dev.lakehouse.stack.WorkerProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The checkout's {@code ./lakehouse} script, run against the suite's stack as a user runs it on theirs: its home
 * (pid files, the spec in use), the spec the stack runs, the built jars, and the stack's free ports and the worker's
 * environment (so the CLI's spec is the one the worker runs). Each output line is kept with the time it came.
 */
final class LakehouseScript {
  /** One line of output, {@code at} seconds after the script started. */
  record Line(double at, String text) {}

  record Result(int code, List<Line> lines, double seconds) {
    String out() {
      return String.join("\n", lines.stream().map(Line::text).toList());
    }

    /** When the first line containing {@code text} came, or -1. */
    double at(String text) {
      return lines.stream().filter(l -> l.text().contains(text)).mapToDouble(Line::at).findFirst().orElse(-1);
    }
  }

  private LakehouseScript() {}

  static Path checkout() {
    return Paths.get(System.getProperty("lakehouse.checkout", "..")).toAbsolutePath().normalize();
  }

  static Result run(Pipeline p, String... args) throws Exception {
    Path script = checkout().resolve("lakehouse");
    Path cli = jar("lakehouse.cli.jar", "starter/target/lakehouse-cli.jar");
    Path stackJar = jar("lakehouse.stack.jar", "stack/target/lakehouse-stack.jar");
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(checkout().toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("LAKEHOUSE_HOME", p.stack.context().home().toString());
    p.stack.context().specSource().file().ifPresent(f -> env.put("LAKEHOUSE_SPEC", f.toString()));
    env.put("LAKEHOUSE_CLI_JAR", cli.toString());
    env.put("LAKEHOUSE_STACK_JAR", stackJar.toString());
    env.put(WorkerProcess.JAR_ENV, WorkerProcess.locateJar().toString());
    env.put(ConsoleProcess.JAR_ENV, ConsoleProcess.locateJar().toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.putAll(WorkerProcess.endpointEnv(p.endpoints));
    env.putAll(Pipeline.WORKER_ENV);
    long t0 = System.nanoTime();
    Process proc = pb.start();
    List<Line> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        double at = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  [lakehouse %6.1f s] %s%n", at, line);
        lines.add(new Line(at, line));
      }
    }
    if (!proc.waitFor(10, TimeUnit.MINUTES)) {
      proc.destroyForcibly();
      throw new IllegalStateException("./lakehouse " + String.join(" ", args) + " did not end in 10 min");
    }
    return new Result(proc.exitValue(), lines, (System.nanoTime() - t0) / 1e9);
  }

  /** A built jar the script would otherwise build itself (./mvnw package): refused when missing. */
  private static Path jar(String property, String inCheckout) {
    Path jar = Paths.get(System.getProperty(property, checkout().resolve(inCheckout).toString()));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no " + jar + ": build it first (./mvnw -B -DskipTests package -pl "
          + inCheckout.substring(0, inCheckout.indexOf('/')) + " -am)");
    }
    return jar;
  }
}
