package dev.lakehouse.console;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One outside read kept fresh for the pages: a request starts a read unless one is in flight (single flight, so a
 * slow Trino never piles up queries). While the last read succeeded less than {@link #FRESH} ago the request takes
 * it at once (the new read runs behind it, for the next request); otherwise it waits for the read at most
 * {@code wait}, and past that gets the previous value with a note of its age (a problem only when the read failed
 * or there is no value yet). So a page answers without waiting for Trino while someone is looking at it, and within
 * its budget whatever Trino or Temporal do.
 */
final class Live<T> {
  private final String what;
  private final Callable<T> read;
  private final Function<Exception, String> explain;
  private final ExecutorService pool;
  private volatile Reading<T> last;
  /** The last read that finished, failed or not; null after {@link #invalidate}. */
  private volatile Reading<T> latest;
  private CompletableFuture<Reading<T>> inFlight;
  /** Counts {@link #invalidate} calls: a read started before one does not count as recent. */
  private long generation;
  private long startedAt;
  /** How long a read may stay in flight before the next request starts another. */
  static final Duration STUCK = Duration.ofSeconds(10);
  /**
   * How old a successful read may be and still be shown without waiting. Behind the assets page is one Trino read
   * per model (seconds on a loaded machine); waiting for it on every load made each page take the whole budget.
   */
  static final Duration FRESH = Duration.ofSeconds(5);

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
      long g = generation;
      inFlight = CompletableFuture.supplyAsync(() -> readNow(g), pool);
    }
    return inFlight;
  }

  Reading<T> get(Duration wait) {
    Reading<T> recent = latest;
    CompletableFuture<Reading<T>> f = start();
    if (recent != null && recent.ok() && recent.at() != null
        && Duration.between(recent.at(), Instant.now()).compareTo(FRESH) < 0) {
      return recent;
    }
    try {
      return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // slower than the page, not failed: the previous value with how old it is; only no value at all is a problem
      Reading<T> previous = last;
      return previous == null
          ? Reading.failed(what + " did not answer within the page's " + ConsoleServer.BUDGET.toMillis() + " ms")
          : previous.late(what, Instant.now());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reading.failed("interrupted");
    } catch (ExecutionException e) {
      return Reading.failed(what + ": " + e.getCause());
    }
  }

  /** The next request waits for a read started after this call: a button changed what the reads return. */
  synchronized void invalidate() {
    generation++;
    latest = null;
    if (inFlight != null && !inFlight.isDone()) {
      inFlight = null; // it may have read before the change: the next request starts a new one
    }
  }

  private Reading<T> readNow(long startedIn) {
    Reading<T> r;
    try {
      r = Reading.of(read.call());
      last = r;
    } catch (Exception e) {
      Reading<T> previous = last;
      String why = explain.apply(e);
      r = previous == null ? Reading.failed(why) : previous.withProblem(why + " (showing the previous read)");
    }
    synchronized (this) {
      if (startedIn == generation) {
        latest = r;
      }
    }
    return r;
  }
}
