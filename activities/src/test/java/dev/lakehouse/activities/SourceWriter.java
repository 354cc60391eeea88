package dev.lakehouse.activities;

import dev.lakehouse.spec.PipelineSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Inserts users into the source, one row every {@code pauseMillis}, on a thread of its own until closed: changes that
 * keep arriving while the ITs stop and resubmit the ingest job, so the job is stopped with records read and not yet
 * committed.
 */
final class SourceWriter implements AutoCloseable {
  private final AtomicLong written = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean stop;

  private SourceWriter(PipelineSpec spec, String prefix, long pauseMillis) {
    thread = new Thread(() -> {
      var pg = spec.endpoints().postgres();
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
          PreparedStatement insert = c.prepareStatement("INSERT INTO users (email, name) VALUES (?, ?)")) {
        while (!stop) {
          long n = written.get() + 1;
          insert.setString(1, prefix + "-" + n + "@example.com");
          insert.setString(2, prefix + " " + n);
          insert.executeUpdate();
          written.set(n);
          Thread.sleep(pauseMillis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        failure.set(e);
      }
    }, "source-writer-" + prefix);
    thread.setDaemon(true);
  }

  /** Starts writing rows with emails {@code <prefix>-<n>@example.com}. */
  static SourceWriter start(PipelineSpec spec, String prefix, long pauseMillis) {
    SourceWriter w = new SourceWriter(spec, prefix, pauseMillis);
    w.thread.start();
    return w;
  }

  /** Rows inserted (committed) so far; fails if the writer failed. */
  long written() {
    if (failure.get() != null) {
      throw new IllegalStateException("the source writer failed", failure.get());
    }
    return written.get();
  }

  /** Stops writing; returns the number of rows inserted. */
  long stop() throws InterruptedException {
    stop = true;
    thread.join(10_000);
    return written();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
