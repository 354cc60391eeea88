package dev.lakehouse.reliability;

import dev.lakehouse.reliability.oracle.LakehouseReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A backlog of change events on {@code users} under keys of its own, written to PostgreSQL in large set-based
 * transactions, and the check, in Trino, that the lakehouse holds exactly what was written.
 *
 * <p>The shape, for {@code u} users ({@code events = 2.5 u}), in transactions of at most {@link #CHUNK} rows: every
 * user inserted (name {@code v1}); every user renamed ({@code v2}); the first quarter renamed again ({@code v3}); the
 * last quarter deleted. Every change is a new state of its key, so the satellite keeps a row for each one. A key is
 * {@link #KEY_PREFIX} and the user's index in decimal (a valid UUID: decimal digits are hex digits).
 *
 * <p>What each transaction wrote is known from the client side: its rows (a function of the index), its
 * transaction id ({@code txid_current()}, which Debezium sends as {@code source.txId}) and the WAL positions before
 * it began and after it committed, which bound the LSN of each of its changes. The check computes the expected rows
 * in Trino from the same functions ({@code UNNEST(sequence(..))}) and compares them per transaction with
 * {@code parsed_users}, {@code s_users} and {@code h_users} by count, distinct keys and an order-insensitive
 * {@code checksum} of the rows (no table of a million rows is held in the test's memory or in one Trino hash table).
 */
final class Backlog {
  /** The backlog's keys: this, then the user's index as 12 decimal digits. No other writer makes such a key. */
  static final String KEY_PREFIX = "b0000000-0000-4000-8000-";
  /** Rows per source transaction at most. */
  static final int CHUNK = 100_000;

  enum Kind {
    INSERT("c"), UPDATE("u"), DELETE("d");

    final String op;

    Kind(String op) {
      this.op = op;
    }
  }

  /**
   * One source transaction: users {@code first..last} (inclusive) changed to name version {@code version} (a delete:
   * the before-image, of that version), with its transaction id and the WAL insert positions before it began and
   * after it committed (bytes, as Debezium's {@code source.lsn}): its changes' LSNs are in {@code [before, after)}.
   */
  record Tx(int seq, Kind kind, long first, long last, int version, long txid, long lsnBefore, long lsnAfter) {
    long rows() {
      return last - first + 1;
    }
  }

  /** Per transaction (0: rows in no transaction's LSN range): rows, distinct keys, checksum of the rows. */
  record Aggregate(long rows, long keys, String checksum) {}

  /** The outcome of one comparison of a table with what was written. */
  record Check(String table, Map<Integer, Aggregate> expected, Map<Integer, Aggregate> actual) {
    boolean exact() {
      return expected.equals(actual);
    }

    long lost() {
      return expected.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue().keys()
          - actual.getOrDefault(e.getKey(), new Aggregate(0, 0, "")).keys())).sum();
    }

    long duplicated() {
      return actual.values().stream().mapToLong(a -> a.rows() - a.keys()).sum();
    }

    long extra() {
      return actual.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue().keys()
          - expected.getOrDefault(e.getKey(), new Aggregate(0, 0, "")).keys())).sum();
    }

    /** Transactions whose rows differ (same count but other values count too). */
    List<Integer> differing() {
      List<Integer> out = new ArrayList<>();
      for (Integer seq : expected.keySet()) {
        if (!Objects.equals(expected.get(seq), actual.get(seq))) {
          out.add(seq);
        }
      }
      actual.keySet().stream().filter(s -> !expected.containsKey(s)).forEach(out::add);
      return out;
    }

    String describe() {
      return String.format("%s: %s (lost %d, duplicated %d, extra %d; transactions differing %s; expected %s, actual"
          + " %s)", table, exact() ? "exact" : "NOT exact", lost(), duplicated(), extra(), differing(),
          differing().isEmpty() ? "-" : expected, differing().isEmpty() ? "-" : actual);
    }
  }

  private final long users;
  private final List<Tx> written = new ArrayList<>();

  /** A backlog of {@code events} change events (a multiple of 10). */
  Backlog(long events) {
    if (events <= 0 || events % 10 != 0) {
      throw new IllegalArgumentException("a backlog's events must be a positive multiple of 10, got " + events);
    }
    this.users = events * 2 / 5;
  }

  long events() {
    return users * 5 / 2;
  }

  long users() {
    return users;
  }

  List<Tx> written() {
    return List.copyOf(written);
  }

  /** Writes the backlog, one transaction per chunk; returns the transactions. */
  List<Tx> write(Connection pg) throws SQLException {
    long quarter = users / 4;
    chunks(Kind.INSERT, 1, users, 1, pg);
    chunks(Kind.UPDATE, 1, users, 2, pg);
    chunks(Kind.UPDATE, 1, quarter, 3, pg);
    chunks(Kind.DELETE, users - quarter + 1, users, 2, pg);
    return written();
  }

  private void chunks(Kind kind, long from, long to, int version, Connection pg) throws SQLException {
    for (long first = from; first <= to; first += CHUNK) {
      written.add(transaction(written.size() + 1, kind, first, Math.min(to, first + CHUNK - 1), version, pg));
    }
  }

  private static Tx transaction(int seq, Kind kind, long first, long last, int version, Connection pg)
      throws SQLException {
    String range = "generate_series(" + first + ", " + last + ") g";
    String key = "('" + KEY_PREFIX + "' || lpad(g::text, 12, '0'))::uuid";
    String sql = switch (kind) {
      case INSERT -> "INSERT INTO users (id, email, name, created_at) SELECT " + key + ", 'backlog-' || g ||"
          + " '@bank.test', 'backlog ' || g || ' v" + version + "', DATE '2020-01-01' + (g % 1000) FROM " + range;
      case UPDATE -> "UPDATE users u SET name = 'backlog ' || g || ' v" + version + "' FROM " + range
          + " WHERE u.id = " + key;
      case DELETE -> "DELETE FROM users u USING " + range + " WHERE u.id = " + key;
    };
    boolean auto = pg.getAutoCommit();
    try (Statement st = pg.createStatement()) {
      pg.setAutoCommit(true);
      long before = lsn(st);
      pg.setAutoCommit(false);
      long txid = single(st, "SELECT txid_current() % 4294967296");
      int n = st.executeUpdate(sql);
      pg.commit();
      pg.setAutoCommit(true);
      long after = lsn(st);
      if (n != last - first + 1) {
        throw new IllegalStateException("backlog transaction " + seq + " (" + kind + " of users " + first + ".." + last
            + ") changed " + n + " rows, not " + (last - first + 1));
      }
      return new Tx(seq, kind, first, last, version, txid, before, after);
    } catch (SQLException | RuntimeException e) {
      if (!pg.getAutoCommit()) {
        pg.rollback();
      }
      throw e;
    } finally {
      pg.setAutoCommit(auto);
    }
  }

  private static long lsn(Statement st) throws SQLException {
    return single(st, "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint");
  }

  private static long single(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The backlog's transaction ids, as a SQL list. */
  String txids() {
    return written.stream().map(t -> String.valueOf(t.txid())).collect(Collectors.joining(", "));
  }

  /** The backlog's rows in {@code raw_data.users} (a re-delivered event counts twice). */
  long rawRows(LakehouseReader trino) throws SQLException {
    return trino.count("SELECT count(*) FROM iceberg.raw_data.users WHERE source_tx_id IN (" + txids() + ")");
  }

  /** The backlog's rows in {@code parsed_users}: cheap, to know when to compare. */
  long parsedRows(LakehouseReader trino) throws SQLException {
    return trino.count("SELECT count(*) FROM iceberg.parsed_data.parsed_users WHERE source_tx_id IN (" + txids()
        + ")");
  }

  /** Rows of {@code s_users} in the backlog's LSN span (any key): cheap, to know when to compare. */
  long satelliteRowsInSpan(LakehouseReader trino) throws SQLException {
    return trino.count("SELECT count(*) FROM iceberg.data_vault.s_users WHERE source_lsn >= "
        + written.get(0).lsnBefore() + " AND source_lsn < " + written.get(written.size() - 1).lsnAfter());
  }

  /** {@code parsed_users}: every event once, with its key, op, values, transaction id and an LSN of its transaction. */
  Check parsed(LakehouseReader trino) throws SQLException {
    String row = "ROW(CAST(id AS varchar), CAST(email AS varchar), CAST(name AS varchar), created_at,"
        + " CAST(op AS varchar), is_deleted, source_tx_id)";
    return new Check("parsed_data.parsed_users",
        aggregate(trino, "SELECT seq, id, email, name, created_at, op, is_deleted, txid AS source_tx_id FROM expected",
            row),
        aggregate(trino, "SELECT " + seqOf("p.source_lsn") + " AS seq, p.id, p.email, p.name, p.created_at, p.op,"
            + " p.is_deleted, p.source_tx_id FROM iceberg.parsed_data.parsed_users p WHERE p.id LIKE '" + KEY_PREFIX
            + "%'", row));
  }

  /** {@code s_users}: every state once (inserted, each rename, the deleted row), at an LSN of its transaction. */
  Check satellite(LakehouseReader trino) throws SQLException {
    String row = "ROW(CAST(id AS varchar), CAST(email AS varchar), CAST(name AS varchar), created_at, is_deleted)";
    return new Check("data_vault.s_users",
        aggregate(trino, "SELECT seq, id, email, name, created_at, is_deleted FROM expected", row),
        aggregate(trino, "SELECT " + seqOf("s.source_lsn") + " AS seq, h.id, s.email, s.name, s.created_at,"
            + " s.is_deleted FROM iceberg.data_vault.s_users s JOIN iceberg.data_vault.h_users h"
            + " ON h.h_users_hk = s.h_users_hk WHERE h.id LIKE '" + KEY_PREFIX + "%'", row));
  }

  /** {@code h_users}: every key once (as transaction 1). */
  Check hub(LakehouseReader trino) throws SQLException {
    String row = "CAST(id AS varchar)";
    return new Check("data_vault.h_users",
        aggregate(trino, "SELECT 1 AS seq, id FROM expected WHERE kind = 'INSERT'", row),
        aggregate(trino, "SELECT 1 AS seq, id FROM iceberg.data_vault.h_users WHERE id LIKE '" + KEY_PREFIX + "%'", row));
  }

  /**
   * The transaction whose WAL span holds {@code lsn}, or 0. A span is half-open: a change's record starts at or
   * after the insert position read before the transaction (exactly there when nothing else was written between, as
   * the first insert after the previous transaction's commit showed) and before the commit record, which ends at the
   * position read after it, where the next span begins.
   */
  private String seqOf(String lsn) {
    return "CASE " + written.stream().map(t -> "WHEN " + lsn + " >= " + t.lsnBefore() + " AND " + lsn + " < "
        + t.lsnAfter() + " THEN " + t.seq()).collect(Collectors.joining(" ")) + " ELSE 0 END";
  }

  /** Per {@code seq}: rows, distinct keys, checksum of {@code row}, over {@code rows} (with the CTEs below). */
  private Map<Integer, Aggregate> aggregate(LakehouseReader trino, String rows, String row) throws SQLException {
    Map<Integer, Aggregate> out = new LinkedHashMap<>();
    for (List<String> r : trino.query(ctes() + "SELECT seq, count(*), count(DISTINCT id), to_hex(checksum(" + row
        + ")) FROM (" + rows + ") GROUP BY seq ORDER BY seq")) {
      out.put(Integer.parseInt(r.get(0)), new Aggregate(Long.parseLong(r.get(1)), Long.parseLong(r.get(2)),
          r.get(3)));
    }
    return out;
  }

  /**
   * {@code tx}: the transactions as written; {@code expected}: their rows, computed from the index as the writer's
   * SQL computed them ({@code idx}: 1..users, as sequences of at most 10,000, Trino's limit).
   */
  private String ctes() {
    String values = written.stream().map(t -> String.format("(%d, '%s', '%s', BIGINT '%d', BIGINT '%d', BIGINT '%d',"
        + " BIGINT '%d', BIGINT '%d', %d)", t.seq(), t.kind(), t.kind().op, t.first(), t.last(), t.txid(),
        t.lsnBefore(), t.lsnAfter(), t.version())).collect(Collectors.joining(",\n  "));
    long thousands = (users + 999) / 1000;
    return "WITH tx (seq, kind, op, first_user, last_user, txid, lsn_before, lsn_after, version) AS (VALUES\n  "
        + values + "),\n"
        + "idx AS (SELECT x * 1000 + y AS i FROM UNNEST(sequence(0, " + (thousands - 1) + ")) AS a (x)"
        + " CROSS JOIN UNNEST(sequence(1, 1000)) AS b (y) WHERE x * 1000 + y <= " + users + "),\n"
        + "expected AS (SELECT tx.seq, tx.kind, tx.txid,\n"
        + "  '" + KEY_PREFIX + "' || lpad(CAST(idx.i AS varchar), 12, '0') AS id,\n"
        + "  'backlog-' || CAST(idx.i AS varchar) || '@bank.test' AS email,\n"
        + "  'backlog ' || CAST(idx.i AS varchar) || ' v' || CAST(tx.version AS varchar) AS name,\n"
        + "  date_add('day', idx.i % 1000, DATE '2020-01-01') AS created_at,\n"
        + "  tx.op, tx.op = 'd' AS is_deleted\n"
        + "  FROM tx JOIN idx ON idx.i BETWEEN tx.first_user AND tx.last_user)\n";
  }
}
