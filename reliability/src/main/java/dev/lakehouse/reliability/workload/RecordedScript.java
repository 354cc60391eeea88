package dev.lakehouse.reliability.workload;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL script of single-row-set DML statements (INSERT, INSERT ... ON CONFLICT DO UPDATE, UPDATE, DELETE), run one
 * statement per transaction as {@code ./lakehouse demo} runs the seed scenario (autocommit), with every changed row
 * read back ({@code RETURNING}) and recorded in the {@link ChangeLog} as Debezium reports it: so the oracle covers a
 * script whose values the server chooses (defaults, {@code gen_random_uuid()}, {@code now()}). Its keys must be its
 * own: the order it records orders each key's changes, not the workload's.
 */
public final class RecordedScript {
  private static final Pattern DML = Pattern.compile(
      "(?is)\\s*(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(?:public\\.)?([a-z_][a-z0-9_]*)\\b.*");
  private static final String INSERTED = "lakehouse_inserted";

  private final BankWorkload.Jdbc jdbc;
  private final ChangeLog log;
  private long seq;

  /** {@code firstSeq}: the commit sequence of its first transaction, above any other writer's on the same log. */
  public RecordedScript(BankWorkload.Jdbc jdbc, ChangeLog log, long firstSeq) {
    this.jdbc = jdbc;
    this.log = log;
    this.seq = firstSeq;
  }

  /** Runs every statement of {@code script} (split at {@code ;} ending a line; comment lines dropped). */
  public int run(String script) throws SQLException {
    int changes = 0;
    try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password())) {
      c.setAutoCommit(false);
      for (String statement : statements(script)) {
        changes += run(c, statement);
      }
    }
    return changes;
  }

  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    for (String part : script.split(";\\s*(\\n|$)")) {
      String code = String.join("\n", part.lines().filter(l -> !l.strip().startsWith("--")).toList()).strip();
      if (!code.isEmpty()) {
        out.add(code);
      }
    }
    return out;
  }

  private int run(Connection c, String statement) throws SQLException {
    Matcher m = DML.matcher(statement);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an INSERT, UPDATE or DELETE: " + statement);
    }
    String verb = m.group(1).toUpperCase(Locale.ROOT);
    String table = m.group(2).toLowerCase(Locale.ROOT);
    String sql = statement + (verb.startsWith("INSERT") ? " RETURNING *, (xmax = 0) AS " + INSERTED : " RETURNING *");
    List<Change> changes = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      long txId;
      try (ResultSet rs = s.executeQuery("SELECT txid_current()")) {
        rs.next();
        txId = rs.getLong(1);
      }
      List<Object[]> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          String op = verb.startsWith("DELETE") ? "d" : verb.startsWith("UPDATE") ? "u"
              : rs.getBoolean(INSERTED) ? "c" : "u";
          rows.add(new Object[] {op, image(rs)});
        }
      }
      c.commit();
      long committedSeq = ++seq;
      Instant now = Instant.now();
      for (int i = 0; i < rows.size(); i++) {
        @SuppressWarnings("unchecked")
        Map<String, Object> image = (Map<String, Object>) rows.get(i)[1];
        changes.add(new Change(table, (String) rows.get(i)[0], image, txId, committedSeq, i, now));
      }
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
    if (!changes.isEmpty()) {
      log.committed(changes);
    }
    return changes.size();
  }

  /** The row as Debezium's JSON has it: uuid and text as text, decimals as strings, dates as days, timestamps as µs. */
  private static Map<String, Object> image(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      String name = md.getColumnName(i);
      if (name.equals(INSERTED)) {
        continue;
      }
      Object v = rs.getObject(i);
      String type = md.getColumnTypeName(i);
      if (v == null) {
        row.put(name, null);
      } else if (type.equals("date")) {
        row.put(name, (int) rs.getDate(i).toLocalDate().toEpochDay());
      } else if (type.equals("timestamp")) {
        Timestamp t = rs.getTimestamp(i);
        Instant wall = t.toLocalDateTime().toInstant(ZoneOffset.UTC);
        row.put(name, wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1000);
      } else if (v instanceof BigDecimal d) {
        row.put(name, d.toPlainString());
      } else {
        row.put(name, v.toString());
      }
    }
    return row;
  }
}
