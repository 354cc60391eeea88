package dev.lakehouse.stack;

import dev.lakehouse.spec.Endpoints;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One service of the local stack: one or more child processes plus a real health check. */
public abstract class Service {
  private final String name;
  private final List<String> dependsOn;

  protected Service(String name, List<String> dependsOn) {
    this.name = name;
    this.dependsOn = dependsOn;
  }

  public final String name() {
    return name;
  }

  public final List<String> dependsOn() {
    return dependsOn;
  }

  /** The port shown by status (the service's main endpoint). */
  public abstract int port(Endpoints e);

  /** Every port the service binds (checked to be free before start). */
  public List<Integer> ports(Endpoints e) {
    return List.of(port(e));
  }

  /** Seconds to wait for health after start. */
  public int timeoutSeconds() {
    return 120;
  }

  /** Cleans up leftovers of a crashed previous run (orphans, stale files); called before start. */
  public void cleanup(StackContext ctx) throws Exception {}

  /** Writes configuration and returns the processes to launch, in order. */
  public abstract List<ProcSpec> prepare(StackContext ctx) throws Exception;

  /** null when healthy, else a short reason. Must not throw. */
  public abstract String unhealthyReason(StackContext ctx);

  /** One-off work once healthy (schema, bucket, ...). */
  public void afterHealthy(StackContext ctx) throws Exception {}

  /** Signal that stops the process cleanly (sent to the leader's process group). */
  public String stopSignal() {
    return "TERM";
  }

  /** Names of the processes this service runs (for pid and log files). */
  public abstract List<String> processNames();

  /** A child process: name (pid/log file name), command, extra environment, working directory. */
  public record ProcSpec(String name, List<String> command, Map<String, String> env, Path workDir) {}
}
