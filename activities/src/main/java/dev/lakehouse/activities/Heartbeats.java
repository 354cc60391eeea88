package dev.lakehouse.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityWorkerShutdownException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activity heartbeats, the two ways the activities send them: {@link #beat} from a polling loop (connector,
 * Flink job), and {@link #periodically} beside one long blocking call (a model's MERGE), which a loop cannot do.
 */
public final class Heartbeats {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

  private Heartbeats() {}

  /** Heartbeats when running inside an activity; a no-op when called directly (tests, tools). */
  public static void beat(Object details) {
    ActivityExecutionContext ctx;
    try {
      ctx = Activity.getExecutionContext();
    } catch (IllegalStateException notInActivity) {
      return;
    }
    beat(ctx, details);
  }

  /**
   * One heartbeat. A cancelled or timed-out activity gets its exception (let it propagate). A worker that is shutting
   * down (SIGTERM: {@code ./lakehouse down}, {@code reload-worker}) refuses every heartbeat with
   * {@link ActivityWorkerShutdownException}, which is no reason to stop: the worker drains, it lets running activities
   * finish up to its shutdown timeout and still reports their results, so the activity goes on (its heartbeats no
   * longer reach Temporal). Giving up there cut every heartbeating activity short at the first beat of a drain, and
   * its retry waited for the heartbeat timeout.
   */
  static void beat(ActivityExecutionContext ctx, Object details) {
    try {
      ctx.heartbeat(details);
    } catch (ActivityWorkerShutdownException draining) {
      log.debug("the worker is shutting down: finishing the activity without heartbeats");
    }
  }

  /** Heartbeats running on their own thread; closing stops them. */
  public interface Periodic extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * From the activity's thread: heartbeats {@code details} every {@code period} on a daemon thread named
   * {@code threadName} until closed. When Temporal answers a heartbeat that the activity was cancelled or timed
   * out, {@code onCancel} gets that answer (to stop the blocking call); the activity thread is not interrupted.
   */
  public static Periodic periodically(String threadName, Duration period, Supplier<?> details,
      Consumer<ActivityCompletionException> onCancel) {
    return periodically(Activity.getExecutionContext(), threadName, period, details, onCancel);
  }

  /** As above on {@code ctx}; a draining worker's refusal is no cancel ({@link #beat}). */
  static Periodic periodically(ActivityExecutionContext ctx, String threadName, Duration period, Supplier<?> details,
      Consumer<ActivityCompletionException> onCancel) {
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    beats.scheduleAtFixedRate(() -> {
      try {
        beat(ctx, details.get());
      } catch (ActivityCompletionException cancelled) {
        onCancel.accept(cancelled);
      } catch (RuntimeException e) {
        log.debug("heartbeat failed", e);
      }
    }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return beats::shutdownNow;
  }
}
