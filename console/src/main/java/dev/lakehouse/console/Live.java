package dev.lakehouse.console;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One outside read kept fresh for the pages: a request starts a read unless one is in flight (single flight, so a
 * slow Trino never piles up queries) and waits for it at most {@code wait}; past that it gets the previous value
 * with the reason it is not newer. So every page answers within its budget, whatever Trino or Temporal do.
 */
final class Live<T> {
  private final String what;
  private final Callable<T> read;
  private final Function<Exception, String> explain;
  private final ExecutorService pool;
  private volatile Reading<T> last;
  private CompletableFuture<Reading<T>> inFlight;
  private long startedAt;
  /** How long a read may stay in flight before the next request starts another. */
  static final Duration STUCK = Duration.ofSeconds(10);

  /** {@code explain} turns a failed read into one line naming the system and what to do. */
  Live(String what, Callable<T> read, Function<Exception, String> explain, ExecutorService pool) {
    this.what = what;
    this.read = read;
    this.explain = explain;
    this.pool = pool;
  }

  /** Starts a read unless one is in flight; returns it. */
  synchronized CompletableFuture<Reading<T>> start() {
    // a read hung on a service that died under it (no answer, no reset) is left behind after STUCK
    if (inFlight == null || inFlight.isDone() || System.nanoTime() - startedAt > STUCK.toNanos()) {
      startedAt = System.nanoTime();
      inFlight = CompletableFuture.supplyAsync(this::readNow, pool);
    }
    return inFlight;
  }

  Reading<T> get(Duration wait) {
    CompletableFuture<Reading<T>> f = start();
    try {
      return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      String why = what + " did not answer within the page's " + ConsoleServer.BUDGET.toMillis() + " ms";
      Reading<T> previous = last;
      return previous == null ? Reading.failed(why) : previous.withProblem(why + " (showing the previous read)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reading.failed("interrupted");
    } catch (ExecutionException e) {
      return Reading.failed(what + ": " + e.getCause());
    }
  }

  private Reading<T> readNow() {
    try {
      Reading<T> r = Reading.of(read.call());
      last = r;
      return r;
    } catch (Exception e) {
      Reading<T> previous = last;
      String why = explain.apply(e);
      return previous == null ? Reading.failed(why) : previous.withProblem(why + " (showing the previous read)");
    }
  }
}
