package dev.lakehouse.stack;

import dev.lakehouse.spec.SecuritySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Starts, checks and stops the local stack's services. State lives under {@code home}: data/&lt;service&gt;,
 * logs/&lt;process&gt;.log, run/&lt;process&gt;.pid, conf/&lt;service&gt;. Every child is started with setsid, so it
 * leads its own process group and outlives this JVM; stopping signals the group, by PID.
 */
public final class Stack {
  /** The glibc setting that bounds a process's malloc arenas; also set for the worker and the console. */
  static final String MALLOC_ARENA_MAX = "MALLOC_ARENA_MAX";
  private final StackContext ctx;
  private final List<Service> services;
  private final long t0 = System.nanoTime();
  /** The first failure of the running up(), or an abort(); every starting service gives up when set. */
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final StackProcesses processes;

  public Stack(StackContext ctx) {
    this(ctx, Services.all());
  }

  public Stack(StackContext ctx, List<Service> services) {
    this.ctx = ctx;
    this.services = services;
    this.processes = new StackProcesses(ctx, this::progress);
  }

  public StackContext context() {
    return ctx;
  }

  public List<Service> services() {
    return services;
  }

  public Service service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown service " + name + "; one of "
            + services.stream().map(Service::name).toList()));
  }

  /** What `up` did: seconds from start to all healthy, and the total RSS. */
  public record UpResult(double seconds, long rssBytes, List<String> started) {}

  /** Thrown when a service fails to start; the services started by this call have been stopped. */
  public static final class StackException extends RuntimeException {
    public StackException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private void progress(String service, String state) {
    ctx.out().accept(String.format("[%6.1f s] %-13s %s", (System.nanoTime() - t0) / 1e9, service, state));
  }

  // ------------------------------------------------------------------------------------------- up

  /**
   * Starts every service not already running, in parallel along the dependency order, waits for each
   * health check, and returns when all are healthy. On failure stops what this call started and throws.
   */
  public UpResult up() {
    checkExposure();
    long start = System.nanoTime();
    Map<String, CompletableFuture<Void>> futures = new LinkedHashMap<>();
    List<Service> startedHere = new ArrayList<>();
    failure.set(null);
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "stack-up");
      t.setDaemon(true);
      return t;
    });
    try {
      for (Service s : services) {
        CompletableFuture<?>[] deps = s.dependsOn().stream().map(futures::get)
            .filter(java.util.Objects::nonNull).toArray(CompletableFuture[]::new);
        futures.put(s.name(), CompletableFuture.allOf(deps).thenRunAsync(() -> {
          if (failure.get() != null) {
            throw new IllegalStateException("not started: another service failed");
          }
          try {
            if (startOne(s)) {
              synchronized (startedHere) {
                startedHere.add(s);
              }
            }
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            throw e;
          }
        }, pool));
      }
      try {
        CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).join();
      } catch (RuntimeException e) {
        // wait for the others to settle, then stop what this call started
        futures.values().forEach(f -> {
          try {
            f.join();
          } catch (RuntimeException ignored) {
            // reported below
          }
        });
        Throwable cause = failure.get() != null ? failure.get() : e;
        ctx.out().accept("stopping the services started so far ...");
        stopServices(reverse(startedHere));
        throw new StackException(cause.getMessage(), cause);
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long rss = totalRss();
    return new UpResult(seconds, rss, startedHere.stream().map(Service::name).toList());
  }

  /** Starts one service unless it already runs; true if started here. */
  private boolean startOne(Service s) {
    if (running(s)) {
      String reason = s.unhealthyReason(ctx);
      progress(s.name(), reason == null ? "already running" : "already running (not healthy: " + reason + ")");
      return false;
    }
    processes.stop(s, true); // partial or stale leftovers
    try {
      s.cleanup(ctx);
      for (int port : s.ports(ctx.endpoints())) {
        if (!processes.portFree(port)) {
          throw new IllegalStateException("port " + port + " on " + ctx.endpoints().host()
              + " is already in use by another process");
        }
      }
      progress(s.name(), "starting");
      List<Service.ProcSpec> specs = s.prepare(ctx);
      List<Long> pids = new ArrayList<>();
      for (Service.ProcSpec spec : specs) {
        pids.add(processes.launch(spec));
      }
      long deadline = System.nanoTime() + timeoutSeconds(s) * 1_000_000_000L;
      String reason;
      while ((reason = s.unhealthyReason(ctx)) != null) {
        for (int i = 0; i < pids.size(); i++) {
          if (!Procs.alive(pids.get(i))) {
            throw new IllegalStateException(specs.get(i).name() + " exited during start");
          }
        }
        if (failure.get() != null) {
          throw new Aborted();
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("not healthy after " + timeoutSeconds(s) + " s (" + reason + ")");
        }
        Procs.sleep(300);
      }
      s.afterHealthy(ctx);
      progress(s.name(), "healthy");
      return true;
    } catch (Aborted e) {
      progress(s.name(), "aborted");
      processes.stop(s, false);
      throw e;
    } catch (Exception e) {
      progress(s.name(), "FAILED");
      String logs = String.join(", ", s.processNames().stream().map(p -> ctx.logFile(p).toString()).toList());
      processes.stop(s, false);
      throw new IllegalStateException(s.name() + " failed to start: " + e.getMessage() + " (log: " + logs + ")", e);
    }
  }

  /**
   * Makes a running up() give up (Ctrl-C): services still starting stop waiting, and up() stops what it
   * started and throws.
   */
  public void abort() {
    failure.compareAndSet(null, new IllegalStateException("interrupted"));
  }

  /** A service gave up starting because another one failed or up() was aborted. */
  private static final class Aborted extends RuntimeException {
    Aborted() {
      super("aborted", null, false, false);
    }
  }

  /**
   * The services have no TLS and no authentication (docs/security.md): a non-loopback host is refused unless the
   * spec says {@code lakehouse.security.expose}, and warned about when it does.
   */
  void checkExposure() {
    SecuritySpec security = ctx.spec().security();
    security.refusal(ctx.endpoints(), "the local stack").ifPresent(m -> {
      throw new StackUsageException(m);
    });
    security.exposureWarning(ctx.endpoints()).ifPresent(ctx.out());
  }

  // ------------------------------------------------------------------------------------------- pids

  /** The live PID recorded for a process of ours, or -1 (a stale PID file is deleted). */
  public long pid(String process) {
    return processes.pid(process);
  }

  /** True if every process of the service is alive. */
  public boolean running(Service s) {
    return s.processNames().stream().allMatch(p -> pid(p) > 0);
  }

  public long rss(Service s) {
    return s.processNames().stream().mapToLong(this::pid).filter(p -> p > 0).map(Procs::treeRss).sum();
  }

  public long totalRss() {
    return services.stream().mapToLong(this::rss).sum();
  }

  // ------------------------------------------------------------------------------------------- stop

  /** Stops every service, in reverse start order. */
  public void down() {
    stopServices(reverse(services));
  }

  /**
   * What {@code lakehouse down} stops: the console and the worker started in this stack's home, then the services
   * (the worker drains its running tasks while they are still there).
   */
  public void downWithProcesses() {
    new ConsoleProcess(this).stop();
    new WorkerProcess(this).stop();
    down();
  }

  /** Stops the named services (reverse start order). */
  public void stop(Collection<String> names) {
    stopServices(reverse(services.stream().filter(s -> names.contains(s.name())).toList()));
  }

  private void stopServices(List<Service> list) {
    for (Service s : list) {
      boolean any = s.processNames().stream().anyMatch(p -> pid(p) > 0);
      if (any) {
        long t = System.nanoTime();
        processes.stop(s, false);
        progress(s.name(), String.format("stopped (%.1f s)", (System.nanoTime() - t) / 1e9));
      }
    }
  }

  // ------------------------------------------------------------------------------------------- faults

  /**
   * SIGKILL to one process of a service (its whole process group), as a crash would: no shutdown hook runs.
   * Its pid file is left behind (stale; {@link #pid} ignores it). Returns the pid killed, or -1 if not running.
   * For fault-injection tests; {@link #relaunch} starts it again.
   */
  public long kill(String process) {
    long pid = pid(process);
    if (pid > 0) {
      Procs.signalGroup(pid, "KILL");
      if (!Procs.awaitDeath(pid, 10_000)) {
        throw new IllegalStateException(process + " (pid " + pid + ") still alive 10 s after SIGKILL");
      }
      progress(owner(process).name(), process + " killed (SIGKILL, pid " + pid + ")");
    }
    return pid;
  }

  /**
   * Starts one process of a service again (its configuration rewritten as at start) while the service's other
   * processes keep running, e.g. the Flink TaskManager after {@link #kill}; waits until the service is healthy.
   * Returns the seconds that took.
   */
  public double relaunch(String process) {
    Service s = owner(process);
    if (pid(process) > 0) {
      throw new IllegalStateException(process + " is running (pid " + pid(process) + "): kill or stop it first");
    }
    long t = System.nanoTime();
    try {
      Service.ProcSpec spec = s.prepare(ctx).stream().filter(p -> p.name().equals(process)).findFirst().orElseThrow();
      progress(s.name(), "relaunching " + process);
      long pid = processes.launch(spec);
      long deadline = System.nanoTime() + timeoutSeconds(s) * 1_000_000_000L;
      String reason;
      while ((reason = s.unhealthyReason(ctx)) != null) {
        if (!Procs.alive(pid)) {
          throw new IllegalStateException(process + " exited during start (log: " + ctx.logFile(process) + ")");
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(s.name() + " not healthy " + timeoutSeconds(s) + " s after relaunching "
              + process + " (" + reason + ")");
        }
        Procs.sleep(300);
      }
      s.afterHealthy(ctx);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("relaunching " + process + ": " + e.getMessage(), e);
    }
    double seconds = (System.nanoTime() - t) / 1e9;
    progress(s.name(), String.format("healthy again (%.1f s)", seconds));
    return seconds;
  }

  /**
   * Stops one service the clean way (its stop signal), starts it again and waits until healthy; its data is kept.
   * Returns the seconds from the stop to healthy.
   */
  public double restart(String service) {
    Service s = service(service);
    long t = System.nanoTime();
    stopServices(List.of(s));
    startOne(s);
    return (System.nanoTime() - t) / 1e9;
  }

  private Service owner(String process) {
    return services.stream().filter(s -> s.processNames().contains(process)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no service runs a process named " + process + "; known: "
            + services.stream().flatMap(s -> s.processNames().stream()).toList()));
  }

  /** Deletes the state (data, logs, pids, conf) but keeps bin/ (the temporal CLI, slow to build). Call after down(). */
  public void purge() throws IOException {
    if (!Files.exists(ctx.home())) {
      return;
    }
    Path bin = ctx.home().resolve("bin");
    try (Stream<Path> walk = Files.walk(ctx.home())) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.startsWith(bin) && !p.equals(ctx.home())) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static <T> List<T> reverse(List<T> list) {
    List<T> r = new ArrayList<>(list);
    java.util.Collections.reverse(r);
    return r;
  }

  // ------------------------------------------------------------------------------------------- status

  /** One line of `status`. */
  public record ServiceStatus(String service, List<Long> pids, int port, boolean running, String unhealthyReason,
      long rssBytes, List<Path> logs) {
    public boolean healthy() {
      return running && unhealthyReason == null;
    }
  }

  public List<ServiceStatus> status() {
    Map<String, ServiceStatus> out = new ConcurrentHashMap<>();
    services.parallelStream().forEach(s -> {
      List<Long> pids = s.processNames().stream().map(this::pid).toList();
      boolean running = pids.stream().allMatch(p -> p > 0);
      String reason = pids.stream().anyMatch(p -> p > 0) ? s.unhealthyReason(ctx) : "not running";
      out.put(s.name(), new ServiceStatus(s.name(), pids, s.port(ctx.endpoints()), running, reason, rss(s),
          s.processNames().stream().map(ctx::logFile).toList()));
    });
    return services.stream().map(s -> out.get(s.name())).toList();
  }

  public String table(List<ServiceStatus> rows) {
    StringBuilder b = new StringBuilder(String.format("%-13s %-8s %-21s %-6s %-10s %s%n", "SERVICE", "STATE", "PID",
        "PORT", "RSS", "LOG"));
    for (ServiceStatus r : rows) {
      String state = r.healthy() ? "healthy" : r.running() ? "UNHEALTHY" : r.pids().stream().anyMatch(p -> p > 0)
          ? "PARTIAL" : "stopped";
      String pids = String.join(",", r.pids().stream().map(p -> p > 0 ? String.valueOf(p) : "-").toList());
      String logs = r.logs().size() == 1 ? r.logs().get(0).toString()
          : r.logs().get(0).getParent() + "/{" + String.join(",", r.logs().stream()
              .map(l -> l.getFileName().toString()).toList()) + "}";
      b.append(String.format("%-13s %-8s %-21s %-6d %-10s %s%n", r.service(), state, pids, r.port(),
          r.rssBytes() > 0 ? Procs.human(r.rssBytes()) : "-", logs));
      if (r.running() && !r.healthy()) {
        b.append("              ").append(r.unhealthyReason()).append(System.lineSeparator());
      }
    }
    return b.toString();
  }

  /** The service's start timeout times the configured scale ({@link StackFiles#timeoutScale()}). */
  private static int timeoutSeconds(Service s) {
    return s.timeoutSeconds() * StackFiles.timeoutScale();
  }
}
