package dev.lakehouse.e2e;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.StackEndpoints;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the lakehouse through Trino and computes Data Vault hashes independently (docs/architecture.md#data-vault). */
final class Vault {
  static final List<String> TABLES = List.of("h_users", "h_accounts", "l_users_accounts", "s_users", "s_accounts");

  private Vault() {}

  /** Rows of a query as maps column -> value as text (null stays null). */
  static List<Map<String, String>> rows(Connection c, String sql) throws SQLException {
    List<Map<String, String>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Row count of each vault table (-1 while a table does not exist yet). */
  static Map<String, Long> counts(Endpoints e) {
    Map<String, Long> m = new LinkedHashMap<>();
    try (Connection c = StackEndpoints.openTrino(e)) {
      for (String t : TABLES) {
        try {
          m.put(t, count(c, "SELECT count(*) FROM data_vault." + t));
        } catch (SQLException ex) {
          m.put(t, -1L);
        }
      }
    } catch (SQLException ex) {
      TABLES.forEach(t -> m.put(t, -1L));
    }
    return m;
  }

  /** Hash key: md5 hex of the parts, each trimmed and upper-cased, '^^' for null/empty, joined by '||'. */
  static String hashKey(String... parts) {
    return md5(join(true, parts));
  }

  /** Hashdiff: as the hash key without upper-casing. */
  static String hashDiff(String... parts) {
    return md5(join(false, parts));
  }

  private static String join(boolean upper, String... parts) {
    List<String> norm = new ArrayList<>();
    for (String p : parts) {
      String t = p == null ? "" : p.trim();
      norm.add(t.isEmpty() ? "^^" : upper ? t.toUpperCase(Locale.ROOT) : t);
    }
    return String.join("||", norm);
  }

  private static String md5(String s) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder();
      for (byte x : d) {
        b.append(String.format("%02x", x));
      }
      return b.toString();
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** Groups rows by one column. */
  static Map<String, List<Map<String, String>>> by(List<Map<String, String>> rows, String column) {
    Map<String, List<Map<String, String>>> m = new HashMap<>();
    rows.forEach(r -> m.computeIfAbsent(r.get(column), k -> new ArrayList<>()).add(r));
    return m;
  }
}
