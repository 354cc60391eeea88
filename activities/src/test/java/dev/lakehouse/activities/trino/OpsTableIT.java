package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.spec.PipelineSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ops table's preparation at a worker's start, on real Trino (docs/models.md#checks): a table in the first
 * version's shape, with a generated model's row in it, gets the columns of what a user model run wrote before the
 * worker polls; a second start finds them and changes nothing; rows of either shape are read back.
 */
class OpsTableIT {
  @Test
  void theWorkersStartAddsTheColumnsToAnOlderTableOnceAndKeepsItsRows() throws SQLException {
    PipelineSpec spec = ItStack.spec();
    assertThat(spec.userModels()).isNotEmpty(); // the worker prepares the table only for a spec with user models
    Harness h = new Harness(spec);
    h.reset();
    Instant now = Instant.now();
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      for (ModelStatement s : OpsSql.ddl()) { // what an older version created
        st.execute(s.sql());
      }
      st.execute(OpsSql.insert(Role.RECORD, new OpsSql.Row("data_vault.h_users", "older-run",
          OpsSql.Status.SUCCEEDED, false, InputRange.empty(), 1, 1, 0, now, now)).sql());
    }
    assertThat(columns(h)).doesNotContain("written_snapshot", "written_files");

    ModelRunner atStart = new ModelRunner(new ModelSql(spec), h.trino, Clock.systemUTC());
    assertThat(atStart.prepareOpsTableBeforePolling()).isTrue();
    assertThat(columns(h)).contains("asset", "finished_at", "written_snapshot", "written_files");

    // a worker started again: the columns are there, nothing to add, and the table reads as before
    List<String> before = columns(h);
    assertThat(new ModelRunner(new ModelSql(spec), h.trino, Clock.systemUTC()).prepareOpsTableBeforePolling())
        .isTrue();
    assertThat(columns(h)).isEqualTo(before);
    assertThat(h.trino.query("SELECT asset, run_id, CAST(written_snapshot AS varchar) FROM " + OpsSql.TABLE))
        .containsExactly(java.util.Arrays.asList("data_vault.h_users", "older-run", null));
    // a spec without user models leaves the table alone at the start
    assertThat(new ModelRunner(new ModelSql(spec.withUserModels(List.of())), h.trino, Clock.systemUTC())
        .prepareOpsTableBeforePolling()).isFalse();
  }

  private static List<String> columns(Harness h) throws SQLException {
    return h.trino.query("SELECT column_name FROM iceberg.information_schema.columns WHERE table_schema = 'ops'"
        + " AND table_name = 'materializations' ORDER BY ordinal_position").stream().map(r -> r.get(0)).toList();
  }
}
