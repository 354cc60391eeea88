package dev.lakehouse.reliability.oracle;

import dev.lakehouse.activities.trino.TrinoConnections;
import dev.lakehouse.spec.TrinoClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the lakehouse's tables through Trino as the {@code Oracle} prints values: {@code CAST(x AS varchar)},
 * timestamps with time zone (the metadata) as microseconds since the epoch.
 */
public final class LakehouseReader {
  private final TrinoConnections trino;

  /** Trino's {@code iceberg} catalog, as the spec's user. */
  public LakehouseReader(TrinoClient trino) {
    this.trino = new TrinoConnections(trino);
  }

  public Connection open() throws SQLException {
    return trino.open();
  }

  /** Every named table ({@code schema.table}). */
  public Map<String, Table> read(List<String> tables) throws SQLException {
    Map<String, Table> out = new LinkedHashMap<>();
    try (Connection c = open()) {
      for (String t : tables) {
        out.put(t, read(c, t));
      }
    }
    return out;
  }

  static Table read(Connection c, String table) throws SQLException {
    String[] st = table.split("\\.");
    List<String> columns = new ArrayList<>();
    List<String> exprs = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM iceberg.information_schema.columns"
          + " WHERE table_schema = '" + st[0] + "' AND table_name = '" + st[1] + "' ORDER BY ordinal_position")) {
        while (rs.next()) {
          String col = "\"" + rs.getString(1) + "\"";
          columns.add(rs.getString(1));
          exprs.add(expression(col, rs.getString(2)));
        }
      }
      if (exprs.isEmpty()) {
        throw new SQLException("table " + table + " does not exist (yet)");
      }
      try (ResultSet rs = s.executeQuery("SELECT " + String.join(", ", exprs) + " FROM iceberg." + table)) {
        return new Table(table, columns, TrinoConnections.rows(rs));
      }
    }
  }

  /**
   * A column as the oracle prints it: a timestamp with time zone (the metadata: load and commit times) as
   * microseconds since the epoch; every other column, a spec's timestamp too, as Trino casts it to varchar (the
   * text the hashdiff hashes).
   */
  static String expression(String col, String type) {
    return type.startsWith("timestamp") && type.contains("with time zone")
        ? "CAST(CAST(round(to_unixtime(" + col + ") * 1e6) AS bigint) AS varchar)" : "CAST(" + col + " AS varchar)";
  }

  /** The first column of the first row of a query, as a number. */
  public long count(String sql) throws SQLException {
    try (Connection c = open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Rows of a query as text. */
  public List<List<String>> query(String sql) throws SQLException {
    return trino.query(sql);
  }
}
