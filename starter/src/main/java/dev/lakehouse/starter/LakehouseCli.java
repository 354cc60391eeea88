package dev.lakehouse.starter;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecException;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.assets.AssetGraph;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code lakehouse} CLI: looks at the asset graph of the spec and drives the workflows through Temporal
 * (signalWithStart to the coordinator, queries, describe). Exit codes: 0 done, 1 failed (message says why),
 * 2 bad usage, 3 Temporal unreachable.
 */
@Command(name = "lakehouse", mixinStandardHelpOptions = true, version = "lakehouse 0.1.0-SNAPSHOT",
    description = "Drive the CDC lakehouse: assets, lineage, materialization runs, backfills, checks, automation.",
    subcommands = {AssetsCommand.class, LineageCommand.class, RunCommand.class, BackfillCommand.class,
        PauseCommand.class, ResumeCommand.class, StatusCommand.class, ChecksCommand.class, AutomationCommand.class,
        SchedulesCommand.class,
        ModelsCommand.class, ApplyCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Stack commands (./lakehouse script): up, down, logs; status shows the stack as well."})
public final class LakehouseCli implements Runnable {

  @Option(names = "--temporal", paramLabel = "host:port", scope = ScopeType.INHERIT,
      description = "Temporal frontend (default: lakehouse.endpoints.temporal of the spec, 127.0.0.1:7233).")
  String temporal;

  @Option(names = "--namespace", scope = ScopeType.INHERIT,
      description = "Temporal namespace (default: from the spec).")
  String namespace;

  // A refused connection fails at once whatever this is; the deadline only bounds an address that does not
  // answer, and must leave a cold JVM on a busy machine time to set up its first gRPC channel.
  @Option(names = "--connect-timeout", paramLabel = "seconds", scope = ScopeType.INHERIT, defaultValue = "10",
      description = "Give up on a Temporal that does not answer after this many seconds (default ${DEFAULT-VALUE};"
          + " a refused connection fails at once).")
  long connectTimeoutSeconds;

  @Option(names = "--set", paramLabel = "key=value", scope = ScopeType.INHERIT,
      description = "Override a value of the spec, e.g. --set lakehouse.endpoints.trino.port=18080 (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  /** What the spec's substitutions read (normally the process environment). */
  private final Map<String, String> env;
  private PipelineSpec spec;
  private AssetGraph graph;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec commandSpec;

  LakehouseCli(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public void run() {
    commandSpec.commandLine().usage(commandSpec.commandLine().getOut());
  }

  /**
   * The spec ({@code LAKEHOUSE_SPEC}, the checkout's or the bundled lakehouse.conf, then {@code --set}), loaded
   * once; one that does not load (syntax, validation) is bad usage: one line, exit 2.
   */
  PipelineSpec spec() {
    if (spec == null) {
      try {
        spec = SpecLoader.load(env, overrides);
      } catch (SpecException e) {
        throw new CliException("lakehouse: " + e.getMessage(), 2);
      }
    }
    return spec;
  }

  /** What the spec's substitutions read. */
  Map<String, String> env() {
    return env;
  }

  AssetGraph graph() {
    if (graph == null) {
      graph = AssetGraph.fromSpec(spec());
    }
    return graph;
  }

  String temporalTarget() {
    String t = temporal == null || temporal.isBlank() ? spec().endpoints().temporal().target() : temporal.trim();
    if (!t.matches("[^:\\s]+:\\d{1,5}")) {
      throw new CliException("lakehouse: --temporal '" + t + "' is not host:port (e.g. 127.0.0.1:7233)", 2);
    }
    return t;
  }

  String namespaceName() {
    return namespace == null || namespace.isBlank() ? spec().endpoints().temporal().namespace() : namespace.trim();
  }

  TemporalSession connect() {
    return TemporalSession.connect(temporalTarget(), namespaceName(), Duration.ofSeconds(Math.max(1,
        connectTimeoutSeconds)), spec().security().temporal());
  }

  /** A configured command line on this process's environment. */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    return commandLine(out, err, System.getenv());
  }

  /** A configured command line (tests use it with their own streams and environment). */
  static CommandLine commandLine(PrintStream out, PrintStream err, Map<String, String> env) {
    CommandLine cmd = new CommandLine(new LakehouseCli(env));
    cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    // picocli prints the help for `lakehouse nosuch --help` and ignores the unknown word; a typo then looks
    // like success, so an unmatched argument is an error even when help was asked for
    cmd.setExecutionStrategy(parsed -> {
      for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
        if (!p.unmatched().isEmpty()) {
          throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
        }
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    cmd.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println(message(e));
      line.getErr().flush();
      return e instanceof CliException c ? c.exitCode() : CliException.FAILED;
    });
    return cmd;
  }

  /** One line, no stack trace; the CLI's own messages already start with "lakehouse:". */
  static String message(Throwable e) {
    if (e instanceof CliException) {
      return e.getMessage();
    }
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return "lakehouse: " + m;
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.out, System.err).execute(args));
  }
}
