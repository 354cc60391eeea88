package dev.lakehouse.reliability.workload;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The workload's two PostgreSQL sessions (A and B of an interleaved pair), reconnected after an outage, and the
 * line between an outage (the server went away: the transaction did not happen, or is looked up) and a bug (any
 * other SQL error: thrown).
 */
final class Sessions implements AutoCloseable {
  /** How long a reconnect keeps trying before the outage is an error. */
  private static final long OUTAGE_MILLIS = 240_000;

  /** A lost connection (or a server shutting down or starting up): the transaction did not happen. */
  static final class Outage extends SQLException {
    private static final long serialVersionUID = 1L;

    Outage(String message, SQLException cause) {
      super(message, cause.getSQLState(), cause);
    }
  }

  private final BankWorkload.Jdbc jdbc;
  private final Connection[] sessions = new Connection[2];

  Sessions(BankWorkload.Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Session 0 or 1, connected (autocommit off), waiting out an outage of up to four minutes. */
  Connection get(int slot) throws SQLException {
    Connection c = sessions[slot];
    if (c != null && !c.isClosed()) {
      return c;
    }
    long deadline = System.currentTimeMillis() + OUTAGE_MILLIS;
    while (true) {
      try {
        c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
        c.setAutoCommit(false);
        return sessions[slot] = c;
      } catch (SQLException e) {
        if (!isOutage(e) || System.currentTimeMillis() > deadline) {
          throw e;
        }
        sleep(500);
      }
    }
  }

  /** The outage {@code e} is (both sessions are dropped: an outage cuts both), or {@code e} thrown as a bug. */
  Outage outageOrBug(int slot, SQLException e) throws SQLException {
    if (!isOutage(e)) {
      throw e;
    }
    closeQuietly(0);
    closeQuietly(1);
    return new Outage("session " + slot + ": " + e.getMessage(), e);
  }

  /** SQLSTATE class 08 (connection exception) and 57P0x (admin shutdown, crash shutdown, cannot connect now). */
  static boolean isOutage(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  /** After a cut COMMIT: asks the server (once reachable again) whether the transaction committed. */
  boolean committed(long txId) throws SQLException {
    try (PreparedStatement ps = get(0).prepareStatement("SELECT txid_status(?)")) {
      ps.setLong(1, txId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        boolean committed = "committed".equals(rs.getString(1));
        get(0).commit();
        return committed;
      }
    }
  }

  private void closeQuietly(int slot) {
    try {
      if (sessions[slot] != null) {
        sessions[slot].close();
      }
    } catch (SQLException ignored) {
      // already broken
    }
    sessions[slot] = null;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    closeQuietly(0);
    closeQuietly(1);
  }
}
