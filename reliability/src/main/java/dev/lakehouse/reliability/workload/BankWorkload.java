package dev.lakehouse.reliability.workload;

import dev.lakehouse.reliability.workload.Sessions.Outage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A seeded, reproducible workload on the {@code bank} source (PostgreSQL, JDBC): inserts, updates and deletes of
 * users and accounts in multi-statement transactions, some of them interleaved on two sessions (A writes, B
 * writes and commits, A commits). It keeps the committed state in memory to choose valid statements (foreign
 * keys, unique emails) and records every committed change in its {@link ChangeLog}, the input of the oracle.
 *
 * <p>It rides out a PostgreSQL outage: a transaction cut by a lost connection is looked up again with
 * {@code txid_status} once the server is back, and recorded only if it did commit. Other SQL errors are bugs
 * and are thrown. Not thread-safe: one {@link #run} at a time; {@link #stop} and {@link #log} from any thread.
 *
 * <pre>
 * try (BankWorkload w = new BankWorkload(new BankWorkload.Jdbc(url, "postgres", "password"), 42)) {
 *   w.run(WorkloadConfig.small());
 *   List&lt;Change&gt; committed = w.log().changes();
 * }
 * </pre>
 */
public final class BankWorkload implements AutoCloseable {
  /** How to reach the source. */
  public record Jdbc(String url, String user, String password) {}

  /** What one {@link #run} did. */
  public record Summary(long transactions, long changes, long interleavedPairs, long abortedByOutage, double seconds) {}

  private static final String[] NAMES = {"Ada", "Brian", "Chen", "Dana", "Émile", "Farah", "Goran", " Hugo ", "Ines"};
  /** The currencies the shipped marts accept (transform/marts/schema.yml: accepted_values, error severity). */
  private static final String[] CURRENCIES = {"EUR", "USD"};
  private static final String[] KINDS = {"deposit", "withdrawal", "fee", "transfer"};
  /** 2026-01-01T00:00:00Z in microseconds: transactions' created_at lie in the year after. */
  private static final long YEAR_2026_MICROS = 1_767_225_600_000_000L;

  private final Random rnd;
  private final Consumer<String> out;
  private final ChangeLog log = new ChangeLog();
  private final Map<String, Map<String, Object>> users = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> accounts = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> transactions = new LinkedHashMap<>();
  private final List<String> extraUserColumns = new ArrayList<>();
  private final List<String> sometimesUserColumns = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean writeTransactions;
  private final Sessions sessions;
  private long emails;
  private long commitSeq;
  private volatile boolean stopped;

  public BankWorkload(Jdbc jdbc, long seed) {
    this(jdbc, seed, s -> {});
  }

  /** {@code out} receives a line per outage ridden out. */
  public BankWorkload(Jdbc jdbc, long seed, Consumer<String> out) {
    this.sessions = new Sessions(jdbc);
    this.rnd = new Random(seed);
    this.out = out;
  }

  public ChangeLog log() {
    return log;
  }

  /** Makes a running {@link #run} return after its current transaction. */
  public void stop() {
    stopped = true;
  }

  /**
   * Adds a nullable text column to {@code users} (a schema change on the source); later inserts and updates of
   * users fill it. Idempotent.
   */
  public void addUsersColumn(String column) throws SQLException {
    if (!column.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain column name: " + column);
    }
    try (Statement s = sessions.get(0).createStatement()) {
      s.execute("ALTER TABLE users ADD COLUMN IF NOT EXISTS " + column + " text");
      sessions.get(0).commit();
    }
    if (!extraUserColumns.contains(column)) {
      extraUserColumns.add(column);
    }
  }

  /**
   * From the next statement on, also writes the {@code transactions} table (examples/transactions: id, account_id
   * referencing accounts, amount, kind, created_at), which must exist on the source: inserts on live accounts,
   * updates, deletes; an account is deleted with its transactions. Safe while {@link #run} runs on another thread.
   */
  public void writeTransactions() {
    writeTransactions = true;
  }

  /**
   * From the next statement on, half of the inserts and updates of users also set {@code column} (which must exist
   * on the source) to a new phone-like value; the others leave it as it was (NULL for a new user). Safe while
   * {@link #run} runs on another thread.
   */
  public void sometimesFillUsersColumn(String column) {
    if (!column.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain column name: " + column);
    }
    if (!sometimesUserColumns.contains(column)) {
      sometimesUserColumns.add(column);
    }
  }

  /** Runs {@code config.transactions()} transactions at the configured rate; returns when done or stopped. */
  public Summary run(WorkloadConfig config) throws SQLException {
    stopped = false;
    long t0 = System.nanoTime();
    long changes0 = log.size();
    long tx0 = log.transactions();
    long pairs = 0;
    long aborted = 0;
    for (int i = 0; i < config.transactions() && !stopped; i++) {
      pace(t0, i, config.transactionsPerSecond());
      try {
        if (i + 1 < config.transactions() && rnd.nextInt(100) < config.interleavedPercent()) {
          interleaved(config);
          pairs++;
          i++;
        } else {
          Tx t = begin(0, Set.of());
          steps(t, config);
          commit(t);
        }
      } catch (Outage e) {
        aborted++;
        out.accept("workload: transaction aborted by an outage (" + e.getMessage() + "); carrying on");
      }
    }
    return new Summary(log.transactions() - tx0, log.size() - changes0, pairs, aborted,
        (System.nanoTime() - t0) / 1e9);
  }

  private void interleaved(WorkloadConfig config) throws SQLException {
    Tx a = begin(0, Set.of());
    try {
      steps(a, config);
      Tx b = begin(1, a.touched); // B stays off A's rows (it would wait on A's locks: a deadlock in one thread)
      steps(b, config);
      commit(b);
    } catch (Outage e) {
      a.rollbackQuietly();
      throw e;
    }
    commit(a);
  }

  private static void pace(long t0, int i, double perSecond) {
    long due = t0 + (long) (i * 1e9 / perSecond);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  // ------------------------------------------------------------------------------------ transactions

  /** An open transaction on one session: its own view of the rows (committed state plus its writes). */
  private final class Tx {
    final int slot;
    final Connection c;
    final long txId;
    final Set<String> excluded;
    final Set<String> touched = new LinkedHashSet<>();
    final Map<String, Map<String, Object>> userWrites = new LinkedHashMap<>(); // null value: deleted
    final Map<String, Map<String, Object>> accountWrites = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> transactionWrites = new LinkedHashMap<>();
    final List<Object[]> pending = new ArrayList<>(); // {table, op, image}

    Tx(int slot, Connection c, long txId, Set<String> excluded) {
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
  }

  private Tx begin(int slot, Set<String> excluded) throws SQLException {
    try (Statement s = sessions.get(slot).createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current()")) {
      rs.next();
      return new Tx(slot, sessions.get(slot), rs.getLong(1), excluded);
    } catch (SQLException e) {
      throw sessions.outageOrBug(slot, e);
    }
  }

  private void steps(Tx t, WorkloadConfig config) throws SQLException {
    int n = 1 + rnd.nextInt(config.maxStatements());
    for (int k = 0; k < n; k++) {
      try {
        step(t, config);
      } catch (SQLException e) {
        t.rollbackQuietly();
        throw sessions.outageOrBug(t.slot, e);
      }
    }
  }

  private void commit(Tx t) throws SQLException {
    boolean committed;
    try {
      t.c.commit();
      committed = true;
    } catch (SQLException e) {
      Outage o = sessions.outageOrBug(t.slot, e);
      committed = sessions.committed(t.txId); // the COMMIT may have reached the server before the cut
      out.accept("workload: commit of txid " + t.txId + " cut by an outage; the server says "
          + (committed ? "committed" : "not committed"));
      if (!committed) {
        throw o;
      }
    }
    users.putAll(t.userWrites);
    users.values().removeIf(java.util.Objects::isNull);
    accounts.putAll(t.accountWrites);
    accounts.values().removeIf(java.util.Objects::isNull);
    transactions.putAll(t.transactionWrites);
    transactions.values().removeIf(java.util.Objects::isNull);
    long seq = ++commitSeq;
    Instant now = Instant.now();
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < t.pending.size(); i++) {
      Object[] p = t.pending.get(i);
      @SuppressWarnings("unchecked")
      Map<String, Object> image = (Map<String, Object>) p[2];
      changes.add(new Change((String) p[0], (String) p[1], image, t.txId, seq, i, now));
    }
    log.committed(changes);
  }

  // ------------------------------------------------------------------------------------ statements

  private void step(Tx t, WorkloadConfig config) throws SQLException {
    List<String> liveUsers = t.live(users, t.userWrites);
    List<String> liveAccounts = t.live(accounts, t.accountWrites);
    // accounts whose owner another open transaction touched stay off limits too (its locks)
    liveAccounts.removeIf(a -> t.excluded.contains(String.valueOf(t.row(accounts, t.accountWrites, a).get("user_id"))));
    if (writeTransactions && rnd.nextInt(100) < 35 && transactionStep(t, liveAccounts)) {
      return;
    }
    int r = rnd.nextInt(100);
    if (liveUsers.isEmpty() || (r < 22 && liveUsers.size() < config.maxUsers())) {
      insertUser(t);
    } else if (r < 40) {
      updateUser(t, pick(liveUsers));
    } else if (r < 46) {
      List<String> childless = liveUsers.stream().filter(u -> liveAccounts(t, u) == 0).toList();
      if (childless.isEmpty()) {
        updateUser(t, pick(liveUsers));
      } else {
        delete(t, "users", pick(childless));
      }
    } else if (liveAccounts.isEmpty() || (r < 66 && liveAccounts.size() < config.maxAccounts())) {
      insertAccount(t, pick(liveUsers));
    } else if (r < 94) {
      updateAccount(t, pick(liveAccounts), liveUsers);
    } else {
      delete(t, "accounts", pick(liveAccounts));
    }
  }

  /** Live accounts of a user in this transaction's view (including those it cannot touch). */
  private long liveAccounts(Tx t, String user) {
    Set<String> ids = new LinkedHashSet<>(accounts.keySet());
    ids.addAll(t.accountWrites.keySet());
    return ids.stream().map(id -> t.row(accounts, t.accountWrites, id))
        .filter(row -> row != null && user.equals(row.get("user_id"))).count();
  }

  private void insertUser(Tx t) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", uuid());
    row.put("email", "u" + (++emails) + "@bank.test");
    row.put("name", pick(NAMES));
    row.put("created_at", 19_700 + rnd.nextInt(700));
    extraUserColumns.forEach(c -> row.put(c, "nick-" + rnd.nextInt(1000)));
    sometimesUserColumns.stream().filter(c -> rnd.nextBoolean()).forEach(c -> row.put(c, phone()));
    List<String> cols = new ArrayList<>(row.keySet());
    String sql = "INSERT INTO users (" + String.join(", ", cols) + ") VALUES ("
        + String.join(", ", cols.stream().map(c -> c.equals("id") ? "?::uuid" : "?").toList()) + ")";
    execute(t, sql, values(row, cols));
    write(t, "users", "c", row);
  }

  private void updateUser(Tx t, String id) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>(t.row(users, t.userWrites, id));
    int r = rnd.nextInt(10);
    if (r < 6) {
      row.put("name", pick(NAMES));
    } else if (r < 9) {
      row.put("email", "u" + (++emails) + "@bank.test");
    } // else: an update that changes nothing (an event all the same; the satellite must skip it)
    extraUserColumns.forEach(c -> row.put(c, "nick-" + rnd.nextInt(1000)));
    List<String> set = new ArrayList<>(List.of("email", "name"));
    set.addAll(extraUserColumns);
    for (String c : sometimesUserColumns) {
      if (rnd.nextBoolean()) {
        row.put(c, phone());
        set.add(c);
      }
    }
    List<Object> args = new ArrayList<>();
    set.forEach(c -> args.add(row.get(c)));
    args.add(id);
    execute(t, "UPDATE users SET " + String.join(", ", set.stream().map(c -> c + " = ?").toList())
        + " WHERE id = ?::uuid", args);
    write(t, "users", "u", row);
  }

  private void insertAccount(Tx t, String user) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", uuid());
    row.put("user_id", user);
    row.put("currency", pick(CURRENCIES));
    row.put("balance", balance());
    row.put("created_at", 19_700 + rnd.nextInt(700));
    List<String> cols = new ArrayList<>(row.keySet());
    execute(t, "INSERT INTO accounts (id, user_id, currency, balance, created_at)"
        + " VALUES (?::uuid, ?::uuid, ?, ?::numeric, ?)", values(row, cols));
    t.touched.add(user); // the foreign key check locks the owner
    write(t, "accounts", "c", row);
  }

  private void updateAccount(Tx t, String id, List<String> liveUsers) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>(t.row(accounts, t.accountWrites, id));
    int r = rnd.nextInt(10);
    if (r < 8) {
      row.put("balance", balance());
    } else if (r < 9) {
      row.put("currency", pick(CURRENCIES));
    } else {
      row.put("user_id", pick(liveUsers)); // moved to another owner: a new link
    }
    t.touched.add(String.valueOf(row.get("user_id")));
    execute(t, "UPDATE accounts SET user_id = ?::uuid, currency = ?, balance = ?::numeric WHERE id = ?::uuid",
        List.of(row.get("user_id"), row.get("currency"), row.get("balance"), id));
    write(t, "accounts", "u", row);
  }

  private void delete(Tx t, String table, String id) throws SQLException {
    if (table.equals("accounts")) {
      for (String tx : t.live(transactions, t.transactionWrites)) { // the foreign key: its transactions first
        if (id.equals(t.row(transactions, t.transactionWrites, tx).get("account_id"))) {
          delete(t, "transactions", tx);
        }
      }
    }
    Map<String, Map<String, Object>> committed = committed(table);
    Map<String, Map<String, Object>> writes = writes(t, table);
    Map<String, Object> before = new LinkedHashMap<>(t.row(committed, writes, id));
    execute(t, "DELETE FROM " + table + " WHERE id = ?::uuid", List.of(id));
    t.touched.add(id);
    writes.put(id, null);
    t.pending.add(new Object[] {table, "d", before});
  }

  private Map<String, Map<String, Object>> committed(String table) {
    return switch (table) {
      case "users" -> users;
      case "accounts" -> accounts;
      default -> transactions;
    };
  }

  private static Map<String, Map<String, Object>> writes(Tx t, String table) {
    return switch (table) {
      case "users" -> t.userWrites;
      case "accounts" -> t.accountWrites;
      default -> t.transactionWrites;
    };
  }

  private void write(Tx t, String table, String op, Map<String, Object> row) {
    writes(t, table).put(String.valueOf(row.get("id")), row);
    t.touched.add(String.valueOf(row.get("id")));
    t.pending.add(new Object[] {table, op, new LinkedHashMap<>(row)});
  }

  private static List<Object> values(Map<String, Object> row, List<String> cols) {
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

  private static void execute(Tx t, String sql, List<Object> args) throws SQLException {
    try (PreparedStatement ps = t.c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      ps.executeUpdate();
    }
  }

  private String uuid() {
    return new UUID(rnd.nextLong(), rnd.nextLong()).toString();
  }

  /**
   * One statement on {@code transactions}: an insert on a live account this transaction may touch (6 in 10, and
   * always when there is none to change), an update of its amount or kind (3 in 10), a delete. The account is
   * touched too (the foreign key check locks it). False when there is nothing it may do.
   */
  private boolean transactionStep(Tx t, List<String> liveAccounts) throws SQLException {
    List<String> live = t.live(transactions, t.transactionWrites);
    live.removeIf(id -> !liveAccounts.contains(String.valueOf(t.row(transactions, t.transactionWrites, id)
        .get("account_id"))));
    int r = rnd.nextInt(10);
    if (r < 6 || live.isEmpty()) {
      if (liveAccounts.isEmpty()) {
        return false;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", uuid());
      row.put("account_id", pick(liveAccounts));
      row.put("amount", (rnd.nextInt(4) == 0 ? "-" : "") + balance());
      row.put("kind", pick(KINDS));
      row.put("created_at", YEAR_2026_MICROS + (long) (rnd.nextDouble() * 31_536_000_000_000L));
      List<String> cols = new ArrayList<>(row.keySet());
      execute(t, "INSERT INTO transactions (id, account_id, amount, kind, created_at)"
          + " VALUES (?::uuid, ?::uuid, ?::numeric, ?, ?)", values(row, cols));
      t.touched.add(String.valueOf(row.get("account_id")));
      write(t, "transactions", "c", row);
    } else if (r < 9) {
      Map<String, Object> row = new LinkedHashMap<>(t.row(transactions, t.transactionWrites, pick(live)));
      if (rnd.nextInt(10) < 7) {
        row.put("amount", balance());
      } else {
        row.put("kind", pick(KINDS));
      }
      execute(t, "UPDATE transactions SET amount = ?::numeric, kind = ? WHERE id = ?::uuid",
          List.of(row.get("amount"), row.get("kind"), row.get("id")));
      t.touched.add(String.valueOf(row.get("account_id")));
      write(t, "transactions", "u", row);
    } else {
      String id = pick(live);
      t.touched.add(String.valueOf(t.row(transactions, t.transactionWrites, id).get("account_id")));
      delete(t, "transactions", id);
    }
    return true;
  }

  private String phone() {
    return String.format("+41 %02d %03d %02d %02d", rnd.nextInt(100), rnd.nextInt(1000), rnd.nextInt(100),
        rnd.nextInt(100));
  }

  private String balance() {
    long cents = rnd.nextInt(10) == 0 ? 0 : (long) rnd.nextInt(5_000_000);
    return String.format("%d.%02d", cents / 100, cents % 100);
  }

  private <T> T pick(List<T> values) {
    return values.get(rnd.nextInt(values.size()));
  }

  private String pick(String[] values) {
    return values[rnd.nextInt(values.length)];
  }

  @Override
  public void close() {
    sessions.close();
  }
}
