package dev.lakehouse.reliability.workload;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Row shapes the random workload does not write, each in transactions of its own on rows of its own, recorded in
 * the same {@link ChangeLog} so the oracle covers them: a primary-key update (Debezium: a delete of the old key and
 * a create of the new one), a delete then a re-insert of the same key (in two transactions and in one), NULL in a
 * nullable column and back, values over 2 kB (stored out of line by TOAST) both updated and left unchanged by an
 * update of another column, text beyond Latin-1 with quotes, backslashes, newlines and tabs, the extremes of
 * {@code decimal(15,2)} and negatives, a whitespace-only and a case-only change. Not run concurrently with itself.
 */
public final class Shapes {
  /** Above the random workload's commit sequence: a shape's key is never the workload's, order is per key. */
  private static final long FIRST_SEQ = 100_000_000L;
  private static final long SEED_MIX = 0x5348_4150_4553L; // "SHAPES"
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final BankWorkload.Jdbc jdbc;
  private final ChangeLog log;
  private final Random rnd;
  private long seq = FIRST_SEQ;
  private int emails;
  private int recorded;

  public Shapes(BankWorkload.Jdbc jdbc, ChangeLog log, long seed) {
    this.jdbc = jdbc;
    this.log = log;
    // not the workload's own seed: two generators seeded alike draw the same numbers, so a shape's key could be
    // one of the workload's keys
    this.rnd = new Random(seed ^ SEED_MIX);
  }

  /** Writes every shape once; returns the number of its changes (the log also holds the workload's, meanwhile). */
  public int run() throws SQLException {
    int before = recorded;
    try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password())) {
      c.setAutoCommit(false);
      // text beyond Latin-1, quotes, backslashes, newlines, tabs
      Map<String, Object> text = user("Zoë 😀 東京 \"double\" 'single' back\\slash\nsecond line\ttab", 19_800);
      tx(c, ins(text));
      // NULL in a nullable column, then a value, then NULL again
      Map<String, Object> nulls = user("Nulla", null);
      tx(c, ins(nulls));
      tx(c, upd(nulls, "created_at", 19_900));
      tx(c, upd(nulls, "created_at", null));
      // a primary-key update: the old key deleted, the new one created
      Map<String, Object> moved = user("Mover", 19_810);
      tx(c, ins(moved));
      Map<String, Object> newKey = new LinkedHashMap<>(moved);
      newKey.put("id", uuid());
      tx(c, new Stmt("UPDATE users SET id = ?::uuid WHERE id = ?::uuid", List.of(newKey.get("id"), moved.get("id")),
          List.of(change("d", moved), change("c", newKey))));
      // delete then re-insert the same key: in two transactions, then in one
      Map<String, Object> again = user("Again", 19_820);
      tx(c, ins(again));
      tx(c, del(again));
      Map<String, Object> back = new LinkedHashMap<>(again);
      back.put("name", "Again, back");
      tx(c, ins(back));
      Map<String, Object> backAgain = new LinkedHashMap<>(back);
      backAgain.put("name", "Again, in one transaction");
      tx(c, del(back), ins(backAgain));
      // over 2 kB: out of line (TOAST); an update of another column leaves it unchanged, then it changes itself
      Map<String, Object> big = user(random(4000), 19_830);
      tx(c, ins(big));
      Map<String, Object> bigEmail = new LinkedHashMap<>(big);
      bigEmail.put("email", email());
      tx(c, upd(big, "email", bigEmail.get("email")));
      tx(c, upd(bigEmail, "name", random(5000)));
      // a whitespace-only change, then a case-only change
      Map<String, Object> ws = user("Ada", 19_840);
      tx(c, ins(ws));
      Map<String, Object> wsAfter = new LinkedHashMap<>(ws);
      wsAfter.put("name", "Ada ");
      tx(c, upd(ws, "name", "Ada "));
      tx(c, upd(wsAfter, "name", "ADA "));
      // decimal(15,2) at its extremes, negative, zero
      Map<String, Object> owner = user("Owner", 19_850);
      tx(c, ins(owner));
      Map<String, Object> account = new LinkedHashMap<>();
      account.put("id", uuid());
      account.put("user_id", owner.get("id"));
      account.put("currency", "EUR");
      account.put("balance", "9999999999999.99");
      account.put("created_at", 19_851);
      tx(c, new Stmt("INSERT INTO accounts (id, user_id, currency, balance, created_at) VALUES (?::uuid, ?::uuid, ?,"
          + " ?::numeric, ?)", args(account, List.of("id", "user_id", "currency", "balance", "created_at")),
          List.of(new Change("accounts", "c", account, 0, 0, 0, Instant.EPOCH))));
      for (String balance : List.of("-9999999999999.99", "-0.01", "0.00", "0.01")) {
        account.put("balance", balance);
        tx(c, new Stmt("UPDATE accounts SET balance = ?::numeric WHERE id = ?::uuid", List.of(balance,
            account.get("id")), List.of(new Change("accounts", "u", account, 0, 0, 0, Instant.EPOCH))));
      }
    }
    return recorded - before;
  }

  /** One statement and the changes Debezium reports for it (txId, sequence and time are filled in at commit). */
  private record Stmt(String sql, List<Object> args, List<Change> changes) {}

  private void tx(Connection c, Stmt... statements) throws SQLException {
    long txId;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current()")) {
      rs.next();
      txId = rs.getLong(1);
    }
    for (Stmt st : statements) {
      try (PreparedStatement ps = c.prepareStatement(st.sql())) {
        for (int i = 0; i < st.args().size(); i++) {
          ps.setObject(i + 1, st.args().get(i));
        }
        ps.executeUpdate();
      }
    }
    c.commit();
    long s = ++seq;
    Instant now = Instant.now();
    List<Change> changes = new ArrayList<>();
    for (Stmt st : statements) {
      for (Change ch : st.changes()) {
        changes.add(new Change(ch.table(), ch.op(), ch.image(), txId, s, changes.size(), now));
      }
    }
    log.committed(changes);
    recorded += changes.size();
  }

  private Map<String, Object> user(String name, Integer createdAt) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", uuid());
    row.put("email", email());
    row.put("name", name);
    row.put("created_at", createdAt);
    return row;
  }

  private Stmt ins(Map<String, Object> row) {
    List<String> cols = List.of("id", "email", "name", "created_at");
    return new Stmt("INSERT INTO users (id, email, name, created_at) VALUES (?::uuid, ?, ?, ?)", args(row, cols),
        List.of(change("c", row)));
  }

  /** Sets one column of {@code row} (which is updated in place to the after-image). */
  private Stmt upd(Map<String, Object> row, String column, Object value) {
    row.put(column, value);
    Object arg = column.equals("created_at") && value != null ? LocalDate.ofEpochDay((Integer) value) : value;
    List<Object> a = new ArrayList<>();
    a.add(arg);
    a.add(row.get("id"));
    String cast = column.equals("created_at") ? "?::date" : "?";
    return new Stmt("UPDATE users SET " + column + " = " + cast + " WHERE id = ?::uuid", a, List.of(change("u", row)));
  }

  private Stmt del(Map<String, Object> row) {
    return new Stmt("DELETE FROM users WHERE id = ?::uuid", List.of(row.get("id")), List.of(change("d", row)));
  }

  private static Change change(String op, Map<String, Object> row) {
    return new Change("users", op, row, 0, 0, 0, Instant.EPOCH);
  }

  private static List<Object> args(Map<String, Object> row, List<String> cols) {
    List<Object> v = new ArrayList<>();
    for (String c : cols) {
      Object x = row.get(c);
      v.add(c.equals("created_at") && x != null ? LocalDate.ofEpochDay((Integer) x) : x);
    }
    return v;
  }

  private String email() {
    return "shape-" + (++emails) + "-" + Long.toHexString(rnd.nextLong()) + "@shapes.test";
  }

  private String uuid() {
    return new UUID(rnd.nextLong(), rnd.nextLong()).toString();
  }

  private String random(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }
}
