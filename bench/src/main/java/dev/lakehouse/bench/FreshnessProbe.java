package dev.lakehouse.bench;

import dev.lakehouse.bench.Report.Sample;
import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.StackEndpoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One probe row in {@code users}: each {@link #commit} sets its name to a new marker (autocommit, so committed
 * when it returns); a poller thread records when each marker first shows up in {@code data_vault.s_users} (and,
 * when asked, in {@code raw_data.users}: the ingestion share of the delay), polling through Trino every 500 ms.
 */
final class FreshnessProbe implements AutoCloseable {
  static final String USER = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  private static final long POLL_MS = 500;

  private final Endpoints e;
  private final String hk = Jdbc.hashKey(USER);
  private final Map<String, Long> committed = new LinkedHashMap<>();
  private final Map<String, Long> seenVault = new ConcurrentHashMap<>();
  private final Map<String, Long> seenRaw = new ConcurrentHashMap<>();
  private final Connection pg;
  private final PreparedStatement update;
  private volatile Thread poller;
  private volatile boolean pollRaw;
  private volatile long rawOffsetFrom;

  FreshnessProbe(Endpoints e) throws SQLException {
    this.e = e;
    this.pg = StackEndpoints.openPostgres(e);
    this.update = pg.prepareStatement("UPDATE users SET name = ? WHERE id = '" + USER + "'");
    try (Statement s = pg.createStatement()) {
      s.execute("INSERT INTO users (id, email, name) VALUES ('" + USER + "', 'probe@lakehouse.dev', 'start')"
          + " ON CONFLICT (id) DO NOTHING");
    }
  }

  /** Starts polling; with {@code raw}, raw_data.users is polled too (from the current end of the table on). */
  synchronized void start(boolean raw) {
    stop();
    pollRaw = raw;
    if (raw) {
      try (Connection t = StackEndpoints.openTrino(e)) {
        rawOffsetFrom = Jdbc.scalar(t, "SELECT coalesce(max(kafka_offset), 0) FROM raw_data.users");
      } catch (SQLException ex) {
        rawOffsetFrom = 0;
      }
    }
    Thread t = new Thread(this::poll, "freshness-poller");
    t.setDaemon(true);
    t.start();
    poller = t;
  }

  synchronized void stop() {
    Thread t = poller;
    if (t != null) {
      t.interrupt();
      try {
        t.join(10_000);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      poller = null;
    }
  }

  Endpoints endpoints() {
    return e;
  }

  /** Sets the probe's name to {@code marker}; returns when PostgreSQL has committed it. */
  void commit(String marker) throws SQLException {
    update.setString(1, marker);
    update.executeUpdate();
    committed.put(marker, System.nanoTime());
  }

  boolean seen(String marker) {
    return seenVault.containsKey(marker);
  }

  /** Waits until every marker is visible or the deadline passes; true if all were seen. */
  boolean awaitAll(List<String> markers, long deadlineNanos) {
    while (System.nanoTime() < deadlineNanos) {
      if (markers.stream().allMatch(seenVault::containsKey)) {
        return true;
      }
      sleep(POLL_MS);
    }
    return markers.stream().allMatch(seenVault::containsKey);
  }

  /** Waits until {@code marker} (committed before) is visible; throws after {@code max}. */
  void awaitVisible(String marker, Duration max) {
    if (!awaitAll(List.of(marker), System.nanoTime() + max.toNanos())) {
      throw new IllegalStateException("probe row '" + marker + "' not visible in data_vault.s_users after " + max
          + ": is the pipeline running? (logs under the bench state dir)");
    }
  }

  /** The samples of these markers, times relative to {@code t0}; a marker never seen has an infinite latency. */
  List<Sample> samples(List<String> markers, long t0) {
    List<Sample> out = new ArrayList<>();
    for (String m : markers) {
      long c = committed.get(m);
      Long v = seenVault.get(m);
      Long r = seenRaw.get(m);
      out.add(new Sample((c - t0) / 1e9, r == null ? Double.NaN : Math.max(0, r - c) / 1e9,
          v == null ? Double.POSITIVE_INFINITY : Math.max(0, v - c) / 1e9));
    }
    return out;
  }

  private void poll() {
    String vault = "SELECT name FROM data_vault.s_users WHERE h_users_hk = '" + hk + "'";
    while (!Thread.currentThread().isInterrupted()) {
      try (Connection t = StackEndpoints.openTrino(e); Statement s = t.createStatement()) {
        while (!Thread.currentThread().isInterrupted()) {
          record(s, vault, seenVault);
          if (pollRaw) {
            record(s, "SELECT json_extract_scalar(data, '$.name') FROM raw_data.users WHERE kafka_offset >= "
                + rawOffsetFrom + " AND json_extract_scalar(data, '$.id') = '" + USER + "'", seenRaw);
          }
          Thread.sleep(POLL_MS);
        }
      } catch (InterruptedException ex) {
        return;
      } catch (SQLException ex) {
        // a table may not exist yet, or Trino is busy: try again
        if (!sleep(POLL_MS)) {
          return;
        }
      }
    }
  }

  private static void record(Statement s, String sql, Map<String, Long> seen) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      long now = System.nanoTime();
      while (rs.next()) {
        String name = rs.getString(1);
        if (name != null) {
          seen.putIfAbsent(name, now);
        }
      }
    }
  }

  private static boolean sleep(long ms) {
    try {
      Thread.sleep(ms);
      return true;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() throws SQLException {
    stop();
    pg.close();
  }
}
