package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.models.OpsSql;
import dev.lakehouse.spec.SpecLoader;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ops table's preparation ({@link OpsTable}): the DDL in order, an {@code ALTER} that lost an Iceberg commit
 * race run again, a user error not; against a JDBC statement that fails as told.
 */
class OpsTableTest {
  /** What Trino answers when the ALTER's commit lost to another commit (ICEBERG_COMMIT_ERROR, an external error). */
  static SQLException commitConflict() {
    return new SQLException("Query failed (#20261207_1): Failed to add column: Commit failed: Requirement failed:"
        + " branch main has changed", null, 0x0504_000D);
  }

  /** A statement that runs every SQL it is given, failing with the next queued failure while there is one. */
  static final class FakeStatement {
    final List<String> executed = new ArrayList<>();
    final Deque<SQLException> failures = new LinkedList<>(); // null: that statement succeeds

    Statement statement() {
      return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
          (proxy, method, args) -> switch (method.getName()) {
            case "execute" -> {
              executed.add((String) args[0]);
              SQLException next = failures.poll();
              if (next != null) {
                throw next;
              }
              yield false;
            }
            case "getLargeUpdateCount" -> -1L;
            default -> throw new UnsupportedOperationException(method.getName());
          });
    }
  }

  private final List<Long> slept = new ArrayList<>();
  private final OpsTable ops = new OpsTable(null, slept::add);

  @Test
  void theTableIsCreatedThenItsColumnsAddedAndAnAlterThatLostACommitRaceRunsAgain() throws SQLException {
    FakeStatement st = new FakeStatement();
    List<String> ddl = OpsSql.ddl().stream().map(s -> s.sql()).toList();
    List<String> alters = OpsSql.addedColumns().stream().map(s -> s.sql()).toList();
    // the first ALTER fails twice on a conflict (the inserts of two runs committed meanwhile), then commits
    st.failures.add(null); // CREATE SCHEMA
    st.failures.add(null); // CREATE TABLE
    st.failures.add(commitConflict());
    st.failures.add(commitConflict());

    assertThat(ops.ready()).isFalse();
    ops.prepare(new StatementExec(st.statement(), ModelRunner.Listener.NONE));

    List<String> expected = new ArrayList<>(ddl);
    expected.addAll(List.of(alters.get(0), alters.get(0), alters.get(0), alters.get(1)));
    assertThat(st.executed).containsExactlyElementsOf(expected);
    assertThat(slept).containsExactly(200L, 400L);
    assertThat(ops.ready()).isTrue();
    ops.forget();
    assertThat(ops.ready()).isFalse();
  }

  @Test
  void aUserErrorIsNotRunAgainAndAConflictThatOutlastsTheAttemptsFails() {
    FakeStatement st = new FakeStatement();
    st.failures.add(null);
    st.failures.add(null);
    st.failures.add(new SQLException("Query failed (#2): line 1:1: Access Denied: Cannot add a column", "42000", 4));
    assertThatThrownBy(() -> ops.prepare(new StatementExec(st.statement(), ModelRunner.Listener.NONE)))
        .isInstanceOf(SQLException.class).hasMessageContaining("Access Denied");
    assertThat(st.executed).hasSize(3);
    assertThat(slept).isEmpty();
    assertThat(ops.ready()).isFalse();

    FakeStatement busy = new FakeStatement();
    busy.failures.add(null);
    busy.failures.add(null);
    for (int i = 0; i < OpsTable.ATTEMPTS; i++) {
      busy.failures.add(commitConflict());
    }
    assertThatThrownBy(() -> ops.prepare(new StatementExec(busy.statement(), ModelRunner.Listener.NONE)))
        .isInstanceOf(SQLException.class).hasMessageContaining("Commit failed")
        .hasMessageContaining("in statement [DDL] ALTER TABLE iceberg.ops.materializations ADD COLUMN IF NOT EXISTS");
    assertThat(busy.executed).hasSize(2 + OpsTable.ATTEMPTS);
    assertThat(ops.ready()).isFalse();
  }

  @Test
  void trinoNotAnsweringAtTheStartLeavesThePreparationToTheFirstRun() throws java.io.IOException {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort(); // nothing listens there once closed
    }
    OpsTable down = new OpsTable(new TrinoConnections(SpecLoader.load(Map.of("lakehouse.endpoints.trino.host",
        "127.0.0.1", "lakehouse.endpoints.trino.port", port)).trino()), slept::add);
    assertThat(down.prepareBeforePolling()).isFalse();
    assertThat(down.ready()).isFalse();
  }
}
