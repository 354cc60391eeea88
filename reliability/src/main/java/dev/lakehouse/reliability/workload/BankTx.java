package dev.lakehouse.reliability.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An open transaction of the {@link BankWorkload} on one session: its own view of the rows (committed state plus
 * its writes), the changes it will record once committed, and its statements' execution.
 */
final class BankTx {
  final int slot;
  final Connection c;
  final long txId;
  final Set<String> excluded;
  final Set<String> touched = new LinkedHashSet<>();
  final Map<String, Map<String, Object>> userWrites = new LinkedHashMap<>(); // null value: deleted
  final Map<String, Map<String, Object>> accountWrites = new LinkedHashMap<>();
  final Map<String, Map<String, Object>> transactionWrites = new LinkedHashMap<>();
  final List<Object[]> pending = new ArrayList<>(); // {table, op, image}

  BankTx(int slot, Connection c, long txId, Set<String> excluded) {
    this.slot = slot;
    this.c = c;
    this.txId = txId;
    this.excluded = excluded;
  }

  List<String> live(Map<String, Map<String, Object>> committed, Map<String, Map<String, Object>> writes) {
    Set<String> ids = new LinkedHashSet<>(committed.keySet());
    ids.addAll(writes.keySet());
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      boolean deleted = writes.containsKey(id) && writes.get(id) == null;
      if (!deleted && !excluded.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }

  Map<String, Object> row(Map<String, Map<String, Object>> committed, Map<String, Map<String, Object>> writes,
      String id) {
    return writes.containsKey(id) ? writes.get(id) : committed.get(id);
  }

  void rollbackQuietly() {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone: the server rolled the transaction back
    }
  }

  /** This transaction's writes to {@code table} (users, accounts or transactions). */
  Map<String, Map<String, Object>> writes(String table) {
    return switch (table) {
      case "users" -> userWrites;
      case "accounts" -> accountWrites;
      default -> transactionWrites;
    };
  }

  /** Records an insert ({@code c}) or update ({@code u}) of {@code row} in this transaction's view. */
  void write(String table, String op, Map<String, Object> row) {
    writes(table).put(String.valueOf(row.get("id")), row);
    touched.add(String.valueOf(row.get("id")));
    pending.add(new Object[] {table, op, new LinkedHashMap<>(row)});
  }

  void execute(String sql, List<Object> args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      ps.executeUpdate();
    }
  }

  /** The statement arguments of {@code cols} of a row. */
  static List<Object> values(Map<String, Object> row, List<String> cols) {
    List<Object> v = new ArrayList<>();
    for (String c : cols) {
      Object x = row.get(c);
      // dates as days (users, accounts), timestamps as microseconds (transactions), as Debezium sends them
      v.add(x instanceof Integer days && c.equals("created_at") ? LocalDate.ofEpochDay(days)
          : x instanceof Long micros && c.equals("created_at") ? LocalDateTime.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC)
          : x);
    }
    return v;
  }
}
