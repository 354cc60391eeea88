package dev.lakehouse.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
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
    ctx.heartbeat(details); // throws when the activity was cancelled: let it propagate
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
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    beats.scheduleAtFixedRate(() -> {
      try {
        ctx.heartbeat(details.get());
      } catch (ActivityCompletionException cancelled) {
        onCancel.accept(cancelled);
      } catch (RuntimeException e) {
        log.debug("heartbeat failed", e);
      }
    }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return beats::shutdownNow;
  }
}
