package dev.lakehouse.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A progress line every {@code periodS} seconds while a long step runs (the history insert and first run of every
 * model on a history of millions take minutes, with nothing else printed meanwhile): what runs now, how long the
 * step has run, and the load. A step shorter than the period prints nothing.
 */
final class Ticker implements AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-ticker");
    t.setDaemon(true);
    return t;
  });

  private Ticker(long periodS, Supplier<String> what, Consumer<String> out) {
    long t0 = System.nanoTime();
    timer.scheduleAtFixedRate(() -> {
      try {
        out.accept(line(what.get(), (System.nanoTime() - t0) / 1e9, Report.Load.now()));
      } catch (RuntimeException e) { // a task that throws is never run again: the next line may do better
        out.accept("progress line failed: " + e);
      }
    }, periodS, periodS, TimeUnit.SECONDS);
  }

  static Ticker every(long periodS, Supplier<String> what, Consumer<String> out) {
    return new Ticker(periodS, what, out);
  }

  /** {@code still running after 60 s (load 3.1/2.0/1.5): initial run, data_vault.s_users, 12 statements}. */
  static String line(String what, double elapsedS, Report.Load load) {
    return String.format("still running after %.0f s (load %s): %s", elapsedS, load, what);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
