package dev.lakehouse.worker;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecException;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.temporal.TemporalTls;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar worker/target/lakehouse-worker.jar}: loads the spec ({@code LAKEHOUSE_SPEC}, the checkout's or
 * the bundled {@code lakehouse.conf}, environment substitutions applied), builds the injector from
 * {@link #modules}, and runs the worker until SIGTERM/SIGINT, which drains running tasks before exit.
 *
 * <p>Exit codes: 0 after a clean shutdown, 2 bad spec or configuration, 3 Temporal unavailable at start.
 */
public final class WorkerMain {
  static final int EXIT_BAD_CONFIG = 2;
  static final int EXIT_TEMPORAL_UNAVAILABLE = 3;

  private WorkerMain() {}

  /**
   * One Guice module per subsystem: the core ones and one per outside system. An outside system's
   * activities come in with ONE line in {@link #activityModules}: its module adds its implementations
   * through {@link ActivityBinder#activities}.
   */
  public static List<Module> modules(PipelineSpec spec, WorkerConfig config) {
    List<Module> modules = new ArrayList<>(coreModules(spec, config));
    modules.addAll(activityModules());
    return modules;
  }

  /** Spec, Temporal and the (possibly empty) set of activity implementations; tests add fakes to these. */
  public static List<Module> coreModules(PipelineSpec spec, WorkerConfig config) {
    List<Module> modules = new ArrayList<>();
    modules.add(new SpecModule(spec, config));
    modules.add(new TemporalModule());
    modules.add(binder -> ActivityBinder.activities(binder)); // the set exists even when empty
    return modules;
  }

  /** The real activity implementations, one module per outside system. */
  public static List<Module> activityModules() {
    return List.of(new TrinoModule(), new IcebergModule(), new IngestionModule(), new AlertsModule());
  }

  public static void main(String[] args) {
    System.exit(run(System.getenv(), System.err));
  }

  /**
   * Runs the worker until shutdown; returns the exit code. The spec is read with {@code env} (its
   * substitutions), so the environment reaches the worker only through the spec. A failure to start is one
   * line on {@code err}, no stack trace: the worker never ran, so its log has nothing else to say.
   */
  static int run(Map<String, String> env, PrintStream err) {
    LakehouseWorker worker;
    try {
      PipelineSpec spec = SpecLoader.load(env, Map.of());
      java.util.Optional<String> refusal = spec.security().refusal(spec.endpoints(), "the worker");
      if (refusal.isPresent()) {
        return fail(err, refusal.get(), EXIT_BAD_CONFIG);
      }
      spec.security().exposureWarning(spec.endpoints()).ifPresent(err::println);
      if (spec.security().temporal().tls()) {
        TemporalTls.sslContext(spec.security().temporal()); // a bad file: one line, exit 2, before connecting
      }
      // a broken user model does not stop the worker (the others run); its runs fail with the same line
      spec.userModels().forEach(m -> m.problem().ifPresent(p -> err.println("lakehouse worker: user model "
          + m.key() + " is broken and will fail its runs: " + p)));
      worker = create(modules(spec, WorkerConfig.from(spec)));
    } catch (SpecException | IllegalArgumentException e) {
      return fail(err, e.getMessage(), EXIT_BAD_CONFIG);
    } catch (RuntimeException e) {
      TemporalUnavailableException unavailable = find(e, TemporalUnavailableException.class);
      if (unavailable != null) {
        return fail(err, unavailable.getMessage(), EXIT_TEMPORAL_UNAVAILABLE);
      }
      throw e;
    }
    Thread hook = new Thread(worker::close, "lakehouse-worker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      worker.start();
      worker.awaitStopped();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.close();
      return 0;
    }
  }

  private static int fail(PrintStream err, String message, int exitCode) {
    err.println("lakehouse worker: " + message);
    err.flush();
    return exitCode;
  }

  /** The worker from an injector over {@code modules}; Guice's wrapping of provider failures is removed. */
  public static LakehouseWorker create(List<Module> modules) {
    try {
      Injector injector = Guice.createInjector(modules);
      return injector.getInstance(LakehouseWorker.class);
    } catch (ProvisionException | CreationException e) {
      TemporalUnavailableException unavailable = find(e, TemporalUnavailableException.class);
      if (unavailable != null) {
        throw unavailable;
      }
      throw e;
    }
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
