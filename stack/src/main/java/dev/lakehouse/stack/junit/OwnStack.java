package dev.lakehouse.stack.junit;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import dev.lakehouse.stack.FreePorts;
import dev.lakehouse.stack.Procs;
import dev.lakehouse.stack.Services;
import dev.lakehouse.stack.Stack;
import dev.lakehouse.stack.StackContext;
import dev.lakehouse.stack.StackFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A stack of a test's own, beside the shared one of {@link LakehouseStackExtension}: some services (and what they
 * depend on) on free ports, started from the spec with extra environment (a Trino with a password, a Kafka with
 * SASL), in a state dir of its own next to the shared one. Closing it stops them.
 */
public final class OwnStack implements AutoCloseable {
  private final Stack stack;

  private OwnStack(Stack stack) {
    this.stack = stack;
  }

  /** {@code <lakehouse.stack.state>-<name>}, absolute: the state dir of the stack {@link #start} names so. */
  public static Path stateDir(String name) {
    return Paths.get(System.getProperty("lakehouse.stack.state", "target/stack-it") + "-" + name).toAbsolutePath();
  }

  /** Starts {@code services} from the spec read with this JVM's environment plus {@code env}; waits until healthy. */
  public static OwnStack start(String name, List<String> services, Map<String, String> env) throws IOException {
    Map<String, String> all = new HashMap<>(System.getenv());
    all.putAll(env);
    SpecSource source = SpecLoader.locate(System.getenv());
    PipelineSpec base = SpecLoader.load(source, all, Map.of());
    StackContext ctx = StackContext.of(base.withEndpoints(FreePorts.assign(base.endpoints())), source,
        stateDir(name), StackFiles.locateServices(), line -> System.out.println("[" + name + "] " + line));
    Stack stack = new Stack(ctx, Services.select(services));
    stack.down(); // a previous run's leftovers in this state dir, if any
    stack.purge();
    OwnStack own = new OwnStack(stack);
    try {
      stack.up();
      return own;
    } catch (RuntimeException e) {
      own.close();
      throw e;
    }
  }

  public Stack stack() {
    return stack;
  }

  /** The spec the stack runs, with its free ports. */
  public PipelineSpec spec() {
    return stack.context().spec();
  }

  /** The command line of {@code process} and every log of the stack, one text: where no secret may show. */
  public String argvAndLogs(String process) throws IOException {
    StringBuilder all = new StringBuilder(Procs.cmdline(stack.pid(process))).append('\n');
    try (Stream<Path> logs = Files.list(stack.context().home().resolve("logs"))) {
      for (Path log : logs.toList()) {
        all.append(Files.readString(log)).append('\n');
      }
    }
    return all.toString();
  }

  @Override
  public void close() {
    stack.down();
  }
}
