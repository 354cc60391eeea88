package dev.lakehouse.stack;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecException;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `./lakehouse up | down [--purge] | status | logs <service> [-f]`: the local stack without Docker. */
@Command(name = "lakehouse", mixinStandardHelpOptions = true,
    description = "The local stack: PostgreSQL, Kafka, Kafka Connect + Debezium, Flink, Iceberg REST, S3 (S3Proxy), "
        + "Trino and the Temporal dev server as child processes on 127.0.0.1. State in $LAKEHOUSE_HOME "
        + "(default .lakehouse/), ports and credentials from lakehouse.conf ($LAKEHOUSE_SPEC).",
    subcommands = {StackMain.Up.class, StackMain.Down.class, StackMain.Status.class, StackMain.Logs.class,
        StackMain.ReloadWorker.class,
        Clients.DemoCommand.class, Clients.ClientCommand.class})
public final class StackMain implements Runnable {
  static final int EXIT_FAILED = 1;
  static final int EXIT_BAD_USAGE = 2;

  /** The environment the spec is resolved against and the stack's own settings are read from. */
  private final Map<String, String> env;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec commandSpec;

  StackMain(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Runs one command and returns its exit code. What the user can fix (the spec, a service name, a setting, a
   * missing build) is one line on {@code err}: exit 2 for a bad spec or usage, 1 otherwise.
   */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine cmd = new CommandLine(new StackMain(env));
    cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cmd.setExecutionExceptionHandler((e, line, parsed) -> {
      int code;
      if (e instanceof SpecException || e instanceof StackUsageException) {
        code = EXIT_BAD_USAGE;
      } else if (e instanceof IllegalStateException) {
        code = EXIT_FAILED; // the stack's own messages say what to do (build the module, set a path)
      } else {
        throw e; // a bug: the trace is what helps
      }
      line.getErr().println("lakehouse: " + e.getMessage());
      line.getErr().flush();
      return code;
    });
    return cmd.execute(args);
  }

  @Override
  public void run() {
    commandSpec.commandLine().usage(commandSpec.commandLine().getOut());
  }

  Stack stack() {
    return stack(List.of());
  }

  /**
   * The stack of the named services and their dependencies (all when empty). Checks the names and the settings
   * first, then reads the spec: nothing is started when any of them is wrong.
   */
  Stack stack(List<String> only) {
    return stack(only, Map.of(), false);
  }

  /**
   * As {@link #stack(List)}, with spec overrides (HOCON path to value) from the command line; a command that
   * {@code starts} services first checks the host is loopback or exposure was asked for (docs/security.md).
   */
  Stack stack(List<String> only, Map<String, String> overrides, boolean starts) {
    List<Service> services = Services.select(only, TemporalService.Mode.parse(env.get(TemporalService.Mode.ENV)));
    SpecSource source = SpecLoader.locate(env);
    PipelineSpec spec = SpecLoader.load(source, env, overrides);
    if (starts) {
      spec.security().refusal(spec.endpoints(), "the local stack").ifPresent(m -> {
        throw new StackUsageException(m);
      });
    }
    Path home = Paths.get(StackFiles.firstNonBlank(env.get("LAKEHOUSE_HOME"), ".lakehouse"));
    return new Stack(StackContext.of(spec, source, home, StackFiles.locateServices(), System.out::println),
        services);
  }

  @Command(name = "up", mixinStandardHelpOptions = true,
      description = "Start every service (those already running are left alone), wait until all are healthy, return.")
  static final class Up implements Callable<Integer> {
    @ParentCommand
    StackMain main;

    @Parameters(arity = "0..*", paramLabel = "SERVICE",
        description = "Only these services (and what they depend on); default all.")
    List<String> only = new ArrayList<>();

    @Option(names = "--no-worker", description = "Do not start the worker (it is started only with the whole stack).")
    boolean noWorker;

    @Option(names = "--worker-timeout", defaultValue = "180",
        description = "Seconds to wait for the worker to poll (default ${DEFAULT-VALUE}).")
    int workerTimeout;

    @Option(names = "--expose", description = "Allow a non-loopback LAKEHOUSE_HOST (as LAKEHOUSE_EXPOSE=true): the "
        + "services have no TLS and no authentication, so only on a trusted network (docs/security.md).")
    boolean expose;

    @Override
    public Integer call() {
      Stack stack = main.stack(only, expose ? Map.of("lakehouse.security.expose", "true") : Map.of(), true);
      AtomicBoolean done = new AtomicBoolean();
      CountDownLatch returned = new CountDownLatch(1);
      // Ctrl-C while starting: up() stops what it started; the JVM waits for that before exiting
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (!done.get()) {
          System.out.println("interrupted: stopping the services started so far ...");
          stack.abort();
          try {
            returned.await(90, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }));
      try {
        Stack.UpResult r = stack.up();
        done.set(true);
        System.out.println();
        System.out.print(stack.table(stack.status()));
        System.out.printf("all healthy in %.0f s, total RSS %.2f GiB%n", r.seconds(), r.rssBytes() / (double) (1L << 30));
        Endpoints e = stack.context().endpoints();
        List<String> uis = new ArrayList<>();
        List<String> names = stack.services().stream().map(Service::name).toList();
        if (names.contains("flink")) {
          uis.add("Flink UI " + e.flink().url());
        }
        if (names.contains("temporal") && !TemporalService.runsTestServer(stack.context())) {
          uis.add("Temporal UI " + e.temporal().uiUrl());
        }
        if (names.contains("trino")) {
          uis.add("Trino " + e.trino().url());
        }
        System.out.println(String.join("   ", uis));
        if (only.isEmpty() && !noWorker) {
          // the worker only makes sense with every service; it creates the automation (fixed IDs, idempotent)
          long t = System.nanoTime();
          try {
            new WorkerProcess(stack).start(WorkerProcess.locateJar(), workerTimeout);
          } catch (IllegalStateException | java.io.IOException ex) {
            // the stack stays up: `./lakehouse up` again starts only the worker
            System.err.println("lakehouse up: the stack is up but the worker is not: " + ex.getMessage());
            return 1;
          }
          System.out.printf("worker ready in %.0f s; `./lakehouse status` shows the workflows%n",
              (System.nanoTime() - t) / 1e9);
          try {
            new ConsoleProcess(stack).start(ConsoleProcess.locateJar(), 60);
          } catch (IllegalStateException | java.io.IOException ex) {
            System.err.println("lakehouse up: the stack and the worker are up but the asset console is not: "
                + ex.getMessage());
            return 1;
          }
        }
        return 0;
      } catch (Stack.StackException e) {
        done.set(true); // up() already stopped what it started
        System.err.println("lakehouse up failed: " + e.getMessage());
        return 1;
      } finally {
        returned.countDown();
      }
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every service (reverse order).")
  static final class Down implements Callable<Integer> {
    @ParentCommand
    StackMain main;

    @Option(names = "--purge", description = "Also delete all state ($LAKEHOUSE_HOME: data, logs, pids).")
    boolean purge;

    @Override
    public Integer call() throws Exception {
      Stack stack = main.stack();
      stack.downWithProcesses();
      if (purge) {
        stack.purge();
        System.out.println("purged " + stack.context().home());
      }
      System.out.println("stopped");
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Per service: state, pid(s), port, RSS, log file.")
  static final class Status implements Callable<Integer> {
    @ParentCommand
    StackMain main;

    @Override
    public Integer call() {
      Stack stack = main.stack();
      List<Stack.ServiceStatus> rows = stack.status();
      System.out.print(stack.table(rows));
      System.out.print(new WorkerProcess(stack).statusLine());
      System.out.print(new ConsoleProcess(stack).statusLine());
      long rss = rows.stream().mapToLong(Stack.ServiceStatus::rssBytes).sum();
      System.out.printf("%d/%d healthy, total RSS %s%n", rows.stream().filter(Stack.ServiceStatus::healthy).count(),
          rows.size(), Procs.human(rss));
      return rows.stream().allMatch(Stack.ServiceStatus::healthy) ? 0 : 3;
    }
  }

  @Command(name = "reload-worker", mixinStandardHelpOptions = true,
      description = "Restart the worker (drain, then start) and the asset console when they run another spec than "
          + "the spec in use ($LAKEHOUSE_SPEC); ./lakehouse apply runs it after a successful apply. Else leave them "
          + "alone.")
  static final class ReloadWorker implements Callable<Integer> {
    @ParentCommand
    StackMain main;

    @Option(names = "--worker-timeout", defaultValue = "180",
        description = "Seconds to wait for the restarted worker to poll (default ${DEFAULT-VALUE}).")
    int workerTimeout;

    @Override
    public Integer call() throws Exception {
      Stack stack = main.stack();
      System.out.println(new WorkerProcess(stack).reload(WorkerProcess.locateJar(), workerTimeout));
      // the console's asset graph is its spec's too (the worker first: what runs matters more than what shows)
      System.out.println(new ConsoleProcess(stack).reload(ConsoleProcess.locateJar(), 60));
      return 0;
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true,
      description = "Print the end of a service's log (flink: all three processes).")
  static final class Logs implements Callable<Integer> {
    @ParentCommand
    StackMain main;

    @Parameters(index = "0", description = "service: postgres, kafka, connect, flink, iceberg-rest, s3, trino, "
        + "temporal, worker, console (or a process name such as flink-taskmanager)")
    String service;

    @Option(names = {"-f", "--follow"}, description = "Keep printing as the log grows.")
    boolean follow;

    @Option(names = {"-n", "--lines"}, description = "Number of lines (default ${DEFAULT-VALUE}).", defaultValue = "200")
    int lines;

    @Override
    public Integer call() throws Exception {
      Stack stack = main.stack();
      List<String> processes = WorkerProcess.NAME.equals(service) || ConsoleProcess.NAME.equals(service)
          ? List.of(service)
          : stack.services().stream().filter(s -> s.name().equals(service)).findFirst()
          .map(Service::processNames)
          .orElseGet(() -> stack.services().stream().flatMap(s -> s.processNames().stream())
              .filter(p -> p.equals(service)).toList());
      if (processes.isEmpty()) {
        System.err.println("unknown service " + service);
        return 2;
      }
      List<String> cmd = new ArrayList<>(List.of("tail", "-n", String.valueOf(lines)));
      if (follow) {
        cmd.add("-F");
      }
      for (String p : processes) {
        Path log = stack.context().logFile(p);
        if (Files.exists(log) || follow) {
          cmd.add(log.toString());
        }
      }
      if (cmd.size() == 3 + (follow ? 1 : 0)) {
        System.err.println("no log yet for " + service);
        return 1;
      }
      return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
  }
}
