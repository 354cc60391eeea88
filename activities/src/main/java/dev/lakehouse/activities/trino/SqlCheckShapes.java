package dev.lakehouse.activities.trino;

import dev.lakehouse.models.CheckShapesSql;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.spec.CheckSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many columns each {@code sql} check's query returns (docs/models.md#checks): in memory, and in
 * {@code ops.check_shapes} so that it survives a worker's restart. A worker reads the table once, the first time a
 * check run needs a count it does not hold, and writes what its probes learn. The table is a cache: a failure to
 * read or write it is logged and the checks go on (probing what they miss), never failed by it.
 */
final class SqlCheckShapes {
  private static final Logger log = LoggerFactory.getLogger(SqlCheckShapes.class);

  private final CheckShapesSql sql;
  /**
   * Per shape ({@link CheckShapesSql#shape}), the column count: then the check joins its asset's one statement. 0:
   * its first column is no text key (a map, an array), or it failed inside that statement though it runs alone, so
   * it stays alone.
   */
  private final Map<String, Integer> columns = new ConcurrentHashMap<>();
  private final AtomicBoolean loaded = new AtomicBoolean();
  private final AtomicBoolean tableReady = new AtomicBoolean();

  SqlCheckShapes(CheckShapesSql sql) {
    this.sql = sql;
  }

  /** The check's column count if known (0: it runs alone); null when a probe has to learn it. */
  Integer get(CheckSpec check) {
    return columns.get(sql.shape(check));
  }

  /**
   * Reads what earlier workers learned, once per worker; returns whether it sent a statement. A missing table
   * (nothing learned yet) is no error.
   */
  boolean load(Statement st) {
    if (!loaded.compareAndSet(false, true)) {
      return false;
    }
    try (ResultSet rs = st.executeQuery(CheckShapesSql.latestQuery())) {
      int n = 0;
      while (rs.next()) {
        columns.putIfAbsent(rs.getString(1), rs.getInt(2));
        n++;
      }
      log.info("{} sql check shapes read from {}", n, CheckShapesSql.TABLE);
    } catch (SQLException e) {
      if (!String.valueOf(e.getMessage()).contains("does not exist")) {
        log.warn("could not read {} ({}); the sql checks are probed", CheckShapesSql.TABLE, e.getMessage());
      }
    }
    return true;
  }

  /** Keeps what a probe learned (check to column count), and writes it to the table for later workers. */
  void learned(Map<CheckSpec, Integer> learned, Statement st, Instant now) {
    if (learned.isEmpty()) {
      return;
    }
    Map<String, Integer> byShape = new java.util.HashMap<>();
    learned.forEach((c, n) -> byShape.put(sql.shape(c), n));
    columns.putAll(byShape);
    try {
      if (!tableReady.get()) {
        for (ModelStatement s : CheckShapesSql.ddl()) {
          st.execute(s.sql());
        }
        tableReady.set(true);
      }
      st.execute(CheckShapesSql.insert(byShape, now).sql());
    } catch (SQLException e) {
      tableReady.set(false);
      log.warn("could not write {} ({}); a worker that starts probes these checks again", CheckShapesSql.TABLE,
          e.getMessage());
    }
  }

  /** A check whose query failed inside its asset's statement though it runs alone: alone in this worker from now on. */
  void keepAlone(CheckSpec check) {
    columns.put(sql.shape(check), 0);
  }
}
