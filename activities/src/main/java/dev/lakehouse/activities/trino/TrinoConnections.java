package dev.lakehouse.activities.trino;

import dev.lakehouse.spec.TrinoClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens trino-jdbc connections to the spec's Trino, catalog {@code iceberg}, with the spec's password or token and TLS
 * ({@link TrinoClient}). One per activity call.
 */
public final class TrinoConnections {
  private final TrinoClient client;

  public TrinoConnections(TrinoClient client) {
    this.client = client;
  }

  public Connection open() throws SQLException {
    java.util.Properties properties;
    try {
      properties = client.jdbcProperties();
    } catch (java.io.UncheckedIOException e) { // the token file: one line that names the key
      throw new SQLException(e.getMessage(), e);
    }
    return DriverManager.getConnection(client.jdbcUrl(), properties);
  }

  public String url() {
    return client.jdbcUrl();
  }

  /**
   * Every row of a query, each value as text ({@code getString}), on a connection of its own. Refused credentials
   * or a failed TLS handshake come back as one line that says which key to fix.
   */
  public List<List<String>> query(String sql) throws SQLException {
    try (Connection c = open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rows(rs);
    } catch (SQLException e) {
      throw client.authProblem(e).map(m -> new SQLException(m, e.getSQLState(), e)).orElse(e);
    }
  }

  /** The rest of a result set, each value as text. */
  public static List<List<String>> rows(ResultSet rs) throws SQLException {
    int n = rs.getMetaData().getColumnCount();
    List<List<String>> rows = new ArrayList<>();
    while (rs.next()) {
      List<String> row = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        row.add(rs.getString(i));
      }
      rows.add(row);
    }
    return rows;
  }

  /** Cancels a running statement (from a heartbeat thread, when Temporal says the activity is over); best effort. */
  static void cancelQuietly(java.sql.Statement s) {
    if (s != null) {
      try {
        s.cancel();
      } catch (SQLException e) {
        // the statement ended or the connection is gone: nothing left to cancel
      }
    }
  }
}
