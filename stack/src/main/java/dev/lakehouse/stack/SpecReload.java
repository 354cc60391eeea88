package dev.lakehouse.stack;

import dev.lakehouse.spec.SpecVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The background processes of {@code ./lakehouse up} that build what they do from their spec once, at start (the
 * worker: its asset graph, models and boot automation; the asset console: its graph): each records the version of
 * the spec it was started with in {@code run/NAME.spec}, and {@code reload-worker} restarts the one whose version is
 * not the spec in use's.
 */
final class SpecReload {
  /** A process {@code up} manages: its live pid (or -1), a graceful stop, a start that waits until it serves. */
  interface Process {
    long pid();

    void stop();

    long start(Path jar, int timeoutSeconds) throws IOException;
  }

  private SpecReload() {}

  /** {@code run/NAME.spec}. */
  static Path file(StackContext ctx, String name) {
    return ctx.pidFile(name).resolveSibling(name + ".spec");
  }

  /** Records the version of the stack's spec (the spec in use) as the one {@code name} is started with. */
  static void record(StackContext ctx, String name) throws IOException {
    Files.writeString(file(ctx, name), SpecVersion.of(ctx.spec()) + "\n");
  }

  /** The version {@code name} (running as {@code pid}) was started with; empty when it does not run or is unknown. */
  static Optional<String> recorded(StackContext ctx, String name, long pid) {
    Path file = file(ctx, name);
    try {
      return pid > 0 && Files.isRegularFile(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Restarts {@code process} ({@code how}: what its stop does) when it runs another spec than the spec in use, or one
   * not recorded; leaves it alone when it runs the spec in use or does not run. Returns what it did, in one line.
   */
  static String reload(StackContext ctx, String name, String how, Process process, Path jar, int timeoutSeconds)
      throws IOException {
    String wanted = SpecVersion.of(ctx.spec());
    long pid = process.pid();
    if (pid <= 0) {
      return name + ": not running (./lakehouse up starts it with spec " + wanted + ")";
    }
    Optional<String> running = recorded(ctx, name, pid);
    if (running.isPresent() && running.get().equals(wanted)) {
      return name + ": runs spec " + wanted + ", the spec in use";
    }
    ctx.out().accept(String.format("%-13s runs spec %s, the spec in use is %s: restarting (%s)",
        name, running.orElse("unknown"), wanted, how));
    process.stop();
    process.start(jar, timeoutSeconds);
    return name + ": restarted with spec " + wanted;
  }
}
