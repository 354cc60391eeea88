package dev.lakehouse.reliability.workload;

import dev.lakehouse.reliability.workload.Sessions.Outage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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

  /** 2026-01-01T00:00:00Z in microseconds: transactions' created_at lie in the year after. */
  private static final long YEAR_2026_MICROS = 1_767_225_600_000_000L;

  private final Random rnd;
  /** Column values, from {@code rnd} too. */
  private final BankValues gen;
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
    this.gen = new BankValues(rnd);
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
          BankTx t = begin(0, Set.of());
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
    BankTx a = begin(0, Set.of());
    try {
      steps(a, config);
      BankTx b = begin(1, a.touched); // B stays off A's rows (it would wait on A's locks: a deadlock in one thread)
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

  private BankTx begin(int slot, Set<String> excluded) throws SQLException {
    try (Statement s = sessions.get(slot).createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current()")) {
      rs.next();
      return new BankTx(slot, sessions.get(slot), rs.getLong(1), excluded);
    } catch (SQLException e) {
      throw sessions.outageOrBug(slot, e);
    }
  }

  private void steps(BankTx t, WorkloadConfig config) throws SQLException {
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

  private void commit(BankTx t) throws SQLException {
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

  private void step(BankTx t, WorkloadConfig config) throws SQLException {
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
      updateUser(t, gen.pick(liveUsers));
    } else if (r < 46) {
      List<String> childless = liveUsers.stream().filter(u -> liveAccounts(t, u) == 0).toList();
      if (childless.isEmpty()) {
        updateUser(t, gen.pick(liveUsers));
      } else {
        delete(t, "users", gen.pick(childless));
      }
    } else if (liveAccounts.isEmpty() || (r < 66 && liveAccounts.size() < config.maxAccounts())) {
      insertAccount(t, gen.pick(liveUsers));
    } else if (r < 94) {
      updateAccount(t, gen.pick(liveAccounts), liveUsers);
    } else {
      delete(t, "accounts", gen.pick(liveAccounts));
    }
  }

  /** Live accounts of a user in this transaction's view (including those it cannot touch). */
  private long liveAccounts(BankTx t, String user) {
    Set<String> ids = new LinkedHashSet<>(accounts.keySet());
    ids.addAll(t.accountWrites.keySet());
    return ids.stream().map(id -> t.row(accounts, t.accountWrites, id))
        .filter(row -> row != null && user.equals(row.get("user_id"))).count();
  }

  private void insertUser(BankTx t) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", gen.uuid());
    row.put("email", "u" + (++emails) + "@bank.test");
    row.put("name", gen.name());
    row.put("created_at", 19_700 + rnd.nextInt(700));
    extraUserColumns.forEach(c -> row.put(c, "nick-" + rnd.nextInt(1000)));
    sometimesUserColumns.stream().filter(c -> rnd.nextBoolean()).forEach(c -> row.put(c, gen.phone()));
    List<String> cols = new ArrayList<>(row.keySet());
    String sql = "INSERT INTO users (" + String.join(", ", cols) + ") VALUES ("
        + String.join(", ", cols.stream().map(c -> c.equals("id") ? "?::uuid" : "?").toList()) + ")";
    t.execute(sql, BankTx.values(row, cols));
    t.write("users", "c", row);
  }

  private void updateUser(BankTx t, String id) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>(t.row(users, t.userWrites, id));
    int r = rnd.nextInt(10);
    if (r < 6) {
      row.put("name", gen.name());
    } else if (r < 9) {
      row.put("email", "u" + (++emails) + "@bank.test");
    } // else: an update that changes nothing (an event all the same; the satellite must skip it)
    extraUserColumns.forEach(c -> row.put(c, "nick-" + rnd.nextInt(1000)));
    List<String> set = new ArrayList<>(List.of("email", "name"));
    set.addAll(extraUserColumns);
    for (String c : sometimesUserColumns) {
      if (rnd.nextBoolean()) {
        row.put(c, gen.phone());
        set.add(c);
      }
    }
    List<Object> args = new ArrayList<>();
    set.forEach(c -> args.add(row.get(c)));
    args.add(id);
    t.execute("UPDATE users SET " + String.join(", ", set.stream().map(c -> c + " = ?").toList())
        + " WHERE id = ?::uuid", args);
    t.write("users", "u", row);
  }

  private void insertAccount(BankTx t, String user) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", gen.uuid());
    row.put("user_id", user);
    row.put("currency", gen.currency());
    row.put("balance", gen.balance());
    row.put("created_at", 19_700 + rnd.nextInt(700));
    List<String> cols = new ArrayList<>(row.keySet());
    t.execute("INSERT INTO accounts (id, user_id, currency, balance, created_at)"
        + " VALUES (?::uuid, ?::uuid, ?, ?::numeric, ?)", BankTx.values(row, cols));
    t.touched.add(user); // the foreign key check locks the owner
    t.write("accounts", "c", row);
  }

  private void updateAccount(BankTx t, String id, List<String> liveUsers) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>(t.row(accounts, t.accountWrites, id));
    int r = rnd.nextInt(10);
    if (r < 8) {
      row.put("balance", gen.balance());
    } else if (r < 9) {
      row.put("currency", gen.currency());
    } else {
      row.put("user_id", gen.pick(liveUsers)); // moved to another owner: a new link
    }
    t.touched.add(String.valueOf(row.get("user_id")));
    t.execute("UPDATE accounts SET user_id = ?::uuid, currency = ?, balance = ?::numeric WHERE id = ?::uuid",
        List.of(row.get("user_id"), row.get("currency"), row.get("balance"), id));
    t.write("accounts", "u", row);
  }

  private void delete(BankTx t, String table, String id) throws SQLException {
    if (table.equals("accounts")) {
      for (String tx : t.live(transactions, t.transactionWrites)) { // the foreign key: its transactions first
        if (id.equals(t.row(transactions, t.transactionWrites, tx).get("account_id"))) {
          delete(t, "transactions", tx);
        }
      }
    }
    Map<String, Map<String, Object>> committed = committed(table);
    Map<String, Map<String, Object>> writes = t.writes(table);
    Map<String, Object> before = new LinkedHashMap<>(t.row(committed, writes, id));
    t.execute("DELETE FROM " + table + " WHERE id = ?::uuid", List.of(id));
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

  /**
   * One statement on {@code transactions}: an insert on a live account this transaction may touch (6 in 10, and
   * always when there is none to change), an update of its amount or kind (3 in 10), a delete. The account is
   * touched too (the foreign key check locks it). False when there is nothing it may do.
   */
  private boolean transactionStep(BankTx t, List<String> liveAccounts) throws SQLException {
    List<String> live = t.live(transactions, t.transactionWrites);
    live.removeIf(id -> !liveAccounts.contains(String.valueOf(t.row(transactions, t.transactionWrites, id)
        .get("account_id"))));
    int r = rnd.nextInt(10);
    if (r < 6 || live.isEmpty()) {
      if (liveAccounts.isEmpty()) {
        return false;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", gen.uuid());
      row.put("account_id", gen.pick(liveAccounts));
      row.put("amount", (rnd.nextInt(4) == 0 ? "-" : "") + gen.balance());
      row.put("kind", gen.kind());
      row.put("created_at", YEAR_2026_MICROS + (long) (rnd.nextDouble() * 31_536_000_000_000L));
      List<String> cols = new ArrayList<>(row.keySet());
      t.execute("INSERT INTO transactions (id, account_id, amount, kind, created_at)"
          + " VALUES (?::uuid, ?::uuid, ?::numeric, ?, ?)", BankTx.values(row, cols));
      t.touched.add(String.valueOf(row.get("account_id")));
      t.write("transactions", "c", row);
    } else if (r < 9) {
      Map<String, Object> row = new LinkedHashMap<>(t.row(transactions, t.transactionWrites, gen.pick(live)));
      if (rnd.nextInt(10) < 7) {
        row.put("amount", gen.balance());
      } else {
        row.put("kind", gen.kind());
      }
      t.execute("UPDATE transactions SET amount = ?::numeric, kind = ? WHERE id = ?::uuid",
          List.of(row.get("amount"), row.get("kind"), row.get("id")));
      t.touched.add(String.valueOf(row.get("account_id")));
      t.write("transactions", "u", row);
    } else {
      String id = gen.pick(live);
      t.touched.add(String.valueOf(t.row(transactions, t.transactionWrites, id).get("account_id")));
      delete(t, "transactions", id);
    }
    return true;
  }

  @Override
  public void close() {
    sessions.close();
  }
}
