package dev.lakehouse.stack;

import dev.lakehouse.spec.Endpoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * `./lakehouse demo`: the seed's scenario (sql/seed-scenario.sql, the one copy in the repository) applied to
 * the source database through JDBC. It first waits until Debezium streams (the replication slot is active):
 * rows written before the slot exists would only reach Kafka as snapshot reads, not as the scenario's history.
 */
public final class Demo {
  public static final String RESOURCE = "/sql/seed-scenario.sql";

  private Demo() {}

  /** The scenario's SQL text. */
  public static String seedSql() {
    try (InputStream in = Demo.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when the slot exists and a walsender (Debezium) is attached to it. */
  public static boolean slotActive(Endpoints e, String slot) throws SQLException {
    try (Connection c = StackEndpoints.openPostgres(e);
         PreparedStatement s = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      s.setString(1, slot);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** Waits for the slot, then runs the scenario in one JDBC call (autocommit: one transaction per statement). */
  public static void apply(Endpoints e, String slot, long timeoutSeconds, Consumer<String> out) throws SQLException {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    boolean said = false;
    while (true) {
      SQLException last = null;
      try {
        if (slotActive(e, slot)) {
          break;
        }
      } catch (SQLException ex) {
        last = ex;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("replication slot " + slot + " not active after " + timeoutSeconds
            + " s: is the worker running and ingestion set up? (./lakehouse status)"
            + (last == null ? "" : " last error: " + last.getMessage()));
      }
      if (!said) {
        out.accept("waiting for Debezium to stream (replication slot " + slot + " active) ...");
        said = true;
      }
      Procs.sleep(2000);
    }
    try (Connection c = StackEndpoints.openPostgres(e); Statement s = c.createStatement()) {
      s.execute(seedSql());
    }
  }

  /** Rows of users with the scenario's first e-mail: >0 means the scenario already ran. */
  public static int alreadyApplied(Endpoints e) throws SQLException {
    try (Connection c = StackEndpoints.openPostgres(e); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM users WHERE email = 'bruce@wayne.com'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
