package dev.lakehouse.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;

/** JDBC helpers, and the Data Vault hash key (docs/architecture.md#data-vault). */
final class Jdbc {
  private Jdbc() {}

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
