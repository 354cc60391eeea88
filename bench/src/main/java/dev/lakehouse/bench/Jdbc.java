package dev.lakehouse.bench;

import dev.lakehouse.stack.Endpoints;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;

/** Connections to the stack's PostgreSQL and Trino, and the Data Vault hash key (DESIGN §8). */
final class Jdbc {
  private Jdbc() {}

  static Connection trino(Endpoints e) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", e.trinoUser());
    return DriverManager.getConnection(e.trinoJdbcUrl() + "/iceberg", p);
  }

  static Connection postgres(Endpoints e) throws SQLException {
    return DriverManager.getConnection(e.postgresJdbcUrl(), e.postgresUser(), e.postgresPassword());
  }

  static long scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Hash key of a one-part business key: md5 hex of the trimmed, upper-cased value. */
  static String hashKey(String key) {
    try {
      String norm = key.trim().isEmpty() ? "^^" : key.trim().toUpperCase(Locale.ROOT);
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(norm.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
