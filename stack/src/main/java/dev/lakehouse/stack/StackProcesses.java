package dev.lakehouse.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The process level of the {@link Stack}: launching a service's process under setsid with its PID file and log,
 * reading the PID files back, checking a port is free, and signalling a service's process groups to stop.
 */
final class StackProcesses {
  private final StackContext ctx;
  /** (service, state) progress lines of the owning stack. */
  private final BiConsumer<String, String> progress;

  StackProcesses(StackContext ctx, BiConsumer<String, String> progress) {
    this.ctx = ctx;
    this.progress = progress;
  }

  /** Starts one process (own session and process group), appends its output to its log; returns its PID. */
  long launch(Service.ProcSpec spec) throws IOException {
    Path log = ctx.logFile(spec.name());
    Files.writeString(log, "==== " + Instant.now() + " lakehouse-stack starting: " + String.join(" ", spec.command())
        + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    List<String> cmd = new ArrayList<>();
    cmd.add("setsid"); // own session and process group: survives us, stopped as a group
    cmd.addAll(spec.command());
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(spec.workDir().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // glibc gives a threaded process up to 8 malloc arenas per core, which a JVM's many threads fill with RSS it
    // never returns; two are plenty for these services (an operator's own setting wins)
    pb.environment().putIfAbsent(Stack.MALLOC_ARENA_MAX, "2");
    pb.environment().putAll(spec.env());
    Process p = pb.start();
    Files.writeString(ctx.pidFile(spec.name()), p.pid() + "\n");
    return p.pid();
  }

  boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(InetAddress.getByName(ctx.endpoints().host()), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The live PID recorded for a process of ours, or -1 (a stale PID file is deleted). */
  long pid(String process) {
    Path f = ctx.pidFile(process);
    if (!Files.isRegularFile(f)) {
      return -1;
    }
    try {
      long pid = Long.parseLong(Files.readString(f).trim());
      if (Procs.alive(pid) && Procs.cmdline(pid).contains(ctx.home().toString())) {
        return pid;
      }
      Files.deleteIfExists(f);
    } catch (IOException | NumberFormatException e) {
      // unreadable: treat as stale
    }
    return -1;
  }

  /** SIGTERM (or the service's signal) to each process group, SIGKILL after 30 s; removes pid files. */
  void stop(Service s, boolean quiet) {
    List<String> names = new ArrayList<>(s.processNames());
    java.util.Collections.reverse(names);
    for (String name : names) {
      long pid = pid(name);
      if (pid > 0) {
        if ("TERM".equals(s.stopSignal())) {
          Procs.signalGroup(pid, "TERM");
        } else {
          Procs.signal(pid, s.stopSignal());
        }
        if (!Procs.awaitDeath(pid, 30_000)) {
          if (!quiet) {
            progress.accept(s.name(), name + " did not stop in 30 s: SIGKILL");
          }
        }
        Procs.signalGroup(pid, "KILL"); // whatever is left of the group
        Procs.awaitDeath(pid, 5_000);
      }
      try {
        Files.deleteIfExists(ctx.pidFile(name));
      } catch (IOException e) {
        // ignore
      }
    }
  }
}
