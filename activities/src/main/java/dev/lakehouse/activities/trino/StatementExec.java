package dev.lakehouse.activities.trino;

import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.models.OpsSql;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Runs statements, telling the listener first; a failure names the statement. */
final class StatementExec {
  private final Statement st;
  final ModelRunner.Listener listener;
  int count;
  /** The tables this run's statements wrote rows to (a commit each), also from statements run beside. */
  final Set<String> written;

  StatementExec(Statement st, ModelRunner.Listener listener) {
    this(st, listener, ConcurrentHashMap.newKeySet());
  }

  private StatementExec(Statement st, ModelRunner.Listener listener, Set<String> written) {
    this.st = st;
    this.listener = listener;
    this.written = written;
  }

  /** An executor on another connection whose writes count as this run's. */
  StatementExec beside(Statement other) {
    return new StatementExec(other, listener, written);
  }

  /** Writes a batch's record, if it has one. */
  void record(OpsSql.Row row) throws SQLException {
    if (row != null) {
      run(OpsSql.insert(Role.RECORD, row));
    }
  }

  void run(List<ModelStatement> statements) throws SQLException {
    for (ModelStatement s : statements) {
      run(s);
    }
  }

  long run(ModelStatement s) throws SQLException {
    listener.beforeStatement(s, st);
    count++;
    try {
      st.execute(s.sql());
      long n = Math.max(st.getLargeUpdateCount(), 0);
      if (n > 0 && s.role() != Role.COMPACT) {
        s.target().ifPresent(written::add);
      }
      return n;
    } catch (SQLException e) {
      if (s.role() == Role.DDL && String.valueOf(e.getMessage()).contains("already exists")) {
        // IF NOT EXISTS raced with a model running in parallel (a satellite creates its hub's table for its view)
        return 0;
      }
      throw new SQLException(e.getMessage() + "\n  in statement [" + s.role() + "] " + s.firstLine(),
          e.getSQLState(), e.getErrorCode(), e);
    }
  }
}
