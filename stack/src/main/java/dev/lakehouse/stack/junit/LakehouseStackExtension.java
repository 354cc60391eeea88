package dev.lakehouse.stack.junit;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import dev.lakehouse.stack.FreePorts;
import dev.lakehouse.stack.Procs;
import dev.lakehouse.stack.Service;
import dev.lakehouse.stack.Services;
import dev.lakehouse.stack.Stack;
import dev.lakehouse.stack.StackContext;
import dev.lakehouse.stack.StackEndpoints;
import dev.lakehouse.stack.StackFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the whole local stack once per test JVM, on free ports, in a fresh state dir under the module's
 * target/ (so CI and a running user stack never collide), and stops it when the JUnit run ends (and from a
 * shutdown hook, should the JVM die first).
 *
 * <pre>
 * &#64;ExtendWith(LakehouseStackExtension.class)
 * class MyIT {
 *   &#64;Test void t(Endpoints endpoints) { ... endpoints.postgres().jdbcUrl() ... }
 *   // or: LakehouseStackExtension.endpoints(), LakehouseStackExtension.configOverrides()
 * }
 * </pre>
 *
 * System properties: {@code lakehouse.stack.only} (comma-separated services to start, their dependencies
 * added: {@code trino} starts s3, iceberg-rest and trino; default all eight; env LAKEHOUSE_STACK_ONLY
 * works too), {@code lakehouse.stack.services} (the resolved artifacts; default found via the reactor
 * root, i.e. the directory holding lakehouse.conf, as stack/target/services), {@code lakehouse.stack.state}
 * (default {@code target/lakehouse-stack} of the working dir; wiped at start).
 */
public final class LakehouseStackExtension implements BeforeAllCallback, ParameterResolver {
  /** Comma-separated services to start (dependencies added); unset or blank: all. */
  public static final String ONLY_PROPERTY = "lakehouse.stack.only";
  private static final Object LOCK = new Object();
  private static volatile RunningStack running;
  /** Set when the start failed: later test classes fail at once instead of waiting for every timeout again. */
  private static volatile RuntimeException startFailure;

  @Override
  public void beforeAll(ExtensionContext context) {
    RunningStack r = start();
    // registered in the root store: closed once, when the whole test plan has finished
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(RunningStack.class, k -> r, RunningStack.class);
  }

  /** Starts the shared stack if it is not running yet, and returns it. Usable without JUnit's lifecycle too. */
  public static RunningStack start() {
    RunningStack r = running;
    if (r != null) {
      return r;
    }
    synchronized (LOCK) {
      if (startFailure != null) {
        throw new IllegalStateException("the local stack failed to start earlier in this test run: "
            + startFailure.getMessage(), startFailure);
      }
      if (running == null) {
        try {
          running = RunningStack.startFresh();
        } catch (RuntimeException e) {
          startFailure = e;
          throw e;
        }
      }
      return running;
    }
  }

  /** The endpoints of the shared stack (starts it if needed). */
  public static Endpoints endpoints() {
    return start().endpoints();
  }

  /** Config overrides for lakehouse.conf ({@code lakehouse.endpoints.postgres.port -> "54321"}, ...). */
  public static Map<String, String> configOverrides() {
    return StackEndpoints.configOverrides(endpoints());
  }

  /** The shared stack itself (to stop/restart services in a test). */
  public static Stack stack() {
    return start().stack();
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    return t == Endpoints.class || t == RunningStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    RunningStack r = start();
    return p.getParameter().getType() == Endpoints.class ? r.endpoints() : r;
  }

  /** A started stack; closing it stops every service. */
  public static final class RunningStack implements AutoCloseable {
    private final Stack stack;
    private final Stack.UpResult up;
    private volatile boolean closed;

    private RunningStack(Stack stack, Stack.UpResult up) {
      this.stack = stack;
      this.up = up;
    }

    static RunningStack startFresh() {
      Path state = Paths.get(System.getProperty("lakehouse.stack.state", "target/lakehouse-stack")).toAbsolutePath();
      SpecSource source = SpecLoader.locate(System.getenv());
      PipelineSpec base = SpecLoader.load(source, System.getenv(), Map.of());
      for (int attempt = 1; ; attempt++) {
        StackContext ctx = StackContext.of(base.withEndpoints(FreePorts.assign(base.endpoints())), source, state,
            StackFiles.locateServices(), line -> System.out.println("[lakehouse-stack] " + line));
        Stack stack = new Stack(ctx, Services.select(only()));
        new Stack(ctx).downWithProcesses(); // a previous run's leftovers in this state dir, if any (killed JVM)
        try {
          stack.purge();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        Thread hook = new Thread(stack::downWithProcesses, "lakehouse-stack-down");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
          return started(stack, stack.up(), state);
        } catch (Stack.StackException e) {
          Runtime.getRuntime().removeShutdownHook(hook);
          // another process took a port between our check and the service's bind: new ports, again
          if (attempt < 3 && String.valueOf(e.getMessage()).contains("already in use")) {
            System.out.println("[lakehouse-stack] port clash (" + e.getMessage() + "); retrying on other ports");
            continue;
          }
          throw e;
        }
      }
    }

    private static RunningStack started(Stack stack, Stack.UpResult up, Path state) {
      System.out.printf("[lakehouse-stack] cold start of %s: all healthy in %.1f s, total RSS %s, state %s%n",
          stack.services().stream().map(Service::name).toList(), up.seconds(), Procs.human(up.rssBytes()), state);
      return new RunningStack(stack, up);
    }

    /** The services asked for by lakehouse.stack.only / LAKEHOUSE_STACK_ONLY; empty means all. */
    static List<String> only() {
      String v = System.getProperty(ONLY_PROPERTY);
      if (v == null || v.isBlank()) {
        v = System.getenv("LAKEHOUSE_STACK_ONLY");
      }
      return v == null || v.isBlank() ? List.of()
          : Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    public Stack stack() {
      return stack;
    }

    public Endpoints endpoints() {
      return stack.context().endpoints();
    }

    public Map<String, String> configOverrides() {
      return StackEndpoints.configOverrides(endpoints());
    }

    /** Seconds from start to all healthy, for this JVM's cold start. */
    public double coldStartSeconds() {
      return up.seconds();
    }

    public long coldStartRssBytes() {
      return up.rssBytes();
    }

    @Override
    public void close() {
      synchronized (LOCK) {
        if (!closed) {
          closed = true;
          System.out.printf("[lakehouse-stack] stopping (total RSS now %s)%n", Procs.human(stack.totalRss()));
          stack.down();
          running = null;
        }
      }
    }
  }
}
