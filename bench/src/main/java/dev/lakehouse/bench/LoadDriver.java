package dev.lakehouse.bench;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.StackEndpoints;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Drives source changes into {@code users} at a fixed rate: every 100 ms one transaction holding the changes due
 * by then (half inserts of new users, half updates of users inserted earlier), each a single multi-row statement
 * over arrays ({@code unnest}), so one round trip carries hundreds of rows. Falls behind only when PostgreSQL
 * does; then the achieved rate (rows committed / elapsed) says so.
 */
final class LoadDriver {
  private static final long TICK_MS = 100;
  /** Rows per transaction at most: a slow commit must not turn the next one into a giant. */
  private static final int MAX_BATCH = 5_000;
  private static final int KEEP_IDS = 50_000;

  private final Endpoints e;
  private final List<UUID> ids = new ArrayList<>();
  private long seq;

  LoadDriver(Endpoints e) {
    this.e = e;
  }

  /** Result of one run: rows committed and the seconds it took. */
  record Run(long changes, double seconds) {
    double rate() {
      return seconds <= 0 ? 0 : changes / seconds;
    }
  }

  /**
   * Runs {@code rate} changes/s for {@code seconds}; returns the rows actually changed. The changes due at the end
   * (the last tick's share) are written then, so a driver that keeps up reaches the rate exactly.
   */
  Run run(int rate, int seconds, String tag) throws SQLException, InterruptedException {
    try (Connection c = StackEndpoints.openPostgres(e);
         PreparedStatement ins = c.prepareStatement("INSERT INTO users (id, email, name, created_at) "
             + "SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::date[])");
         PreparedStatement upd = c.prepareStatement("UPDATE users u SET name = v.name "
             + "FROM unnest(?::uuid[], ?::text[]) AS v(id, name) WHERE u.id = v.id")) {
      c.setAutoCommit(false);
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      long done = 0;
      Date today = Date.valueOf(LocalDate.now());
      while (true) {
        long now = Math.min(System.nanoTime(), end);
        long due = (long) ((now - start) / 1e9 * rate) - done;
        int n = (int) Math.min(MAX_BATCH, due);
        if (n > 0) {
          done += batch(c, ins, upd, n, tag, today);
        }
        if (now >= end) { // a driver that fell behind does not catch up after the end: the rate says so
          break;
        }
        Thread.sleep(Math.max(0, Math.min(TICK_MS, (end - System.nanoTime()) / 1_000_000)));
      }
      return new Run(done, (System.nanoTime() - start) / 1e9);
    }
  }

  /** One transaction of {@code n} changes: half inserts of new users, half updates of earlier ones. */
  private int batch(Connection c, PreparedStatement ins, PreparedStatement upd, int n, String tag, Date today)
      throws SQLException {
    int updates = ids.isEmpty() ? 0 : n / 2;
    int inserts = n - updates;
    Object[] iid = new Object[inserts];
    Object[] mail = new Object[inserts];
    Object[] name = new Object[inserts];
    Object[] day = new Object[inserts];
    for (int i = 0; i < inserts; i++) {
      UUID id = UUID.randomUUID();
      iid[i] = id;
      mail[i] = id + "@bench.dev";
      name[i] = tag + "-" + (seq++);
      day[i] = today;
      remember(id);
    }
    ins.setArray(1, array(c, "uuid", iid));
    ins.setArray(2, array(c, "text", mail));
    ins.setArray(3, array(c, "text", name));
    ins.setArray(4, array(c, "date", day));
    int changed = ins.executeUpdate();
    if (updates > 0) {
      Object[] uid = new Object[updates];
      Object[] uname = new Object[updates];
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      for (int i = 0; i < updates; i++) {
        uid[i] = ids.get(rnd.nextInt(ids.size()));
        uname[i] = tag + "-u" + (seq++);
      }
      upd.setArray(1, array(c, "uuid", uid));
      upd.setArray(2, array(c, "text", uname));
      changed += upd.executeUpdate(); // an id drawn twice in one batch is one change: counted once
    }
    c.commit();
    return changed;
  }

  private void remember(UUID id) {
    if (ids.size() < KEEP_IDS) {
      ids.add(id);
    } else {
      ids.set(ThreadLocalRandom.current().nextInt(KEEP_IDS), id);
    }
  }

  private static Array array(Connection c, String type, Object[] values) throws SQLException {
    return c.createArrayOf(type, values);
  }
}
