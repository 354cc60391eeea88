package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.lakehouse.models.Batch;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.spec.SpecLoader;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JDBC half of {@code models sql --live}: the same two reads as the runner's plan, on a scripted Statement. */
class TrinoReadsTest {
  static final ModelSql SQL = new ModelSql(SpecLoader.load());

  @Test
  void nextBatchRunsFromTheWatermarkToThePendingRows() throws SQLException {
    ModelSql.Model model = SQL.model("data_vault.s_users");
    Statement st = mock(Statement.class);
    ResultSet watermark = mock(ResultSet.class);
    when(watermark.next()).thenReturn(true);
    when(watermark.getString(1)).thenReturn("{\"0\":[-1,4]}");
    when(st.executeQuery(OpsSql.watermarkQuery("data_vault.s_users"))).thenReturn(watermark);
    // partition 0: offsets up to 9, LSNs from 1000; partition 1 (new): rows without an LSN
    ResultSet pending = mock(ResultSet.class);
    when(pending.next()).thenReturn(true, true, false);
    when(pending.getInt(1)).thenReturn(0, 1);
    when(pending.getLong(2)).thenReturn(9L, 3L);
    when(pending.getLong(3)).thenReturn(5L, 4L);
    when(pending.getLong(4)).thenReturn(1000L, 0L);
    when(pending.wasNull()).thenReturn(false, true);
    when(st.executeQuery(ModelSql.pendingQuery(model, Map.of(0, 4L)))).thenReturn(pending);

    Batch batch = TrinoReads.nextBatch(model, st);
    assertThat(batch.range().toJson()).isEqualTo("{\"0\":[4,9],\"1\":[-1,3]}");
    assertThat(batch.minLsn()).hasValue(1000);
  }

  @Test
  void aLakehouseWhereNoModelRanReadsEverythingPending() throws SQLException {
    ModelSql.Model model = SQL.model("parsed_data.parsed_users");
    Statement st = mock(Statement.class);
    when(st.executeQuery(OpsSql.watermarkQuery("parsed_data.parsed_users")))
        .thenThrow(new SQLException("Query failed (#1): line 1:25: Table 'iceberg.ops.materializations' does not exist"));
    ResultSet pending = mock(ResultSet.class);
    when(pending.next()).thenReturn(true, false);
    when(pending.getInt(1)).thenReturn(0);
    when(pending.getLong(2)).thenReturn(7L);
    when(pending.getLong(3)).thenReturn(8L);
    when(pending.getLong(4)).thenReturn(24_000_100L);
    when(st.executeQuery(ModelSql.pendingQuery(model, Map.of()))).thenReturn(pending);

    assertThat(TrinoReads.nextBatch(model, st).range().toJson()).isEqualTo("{\"0\":[-1,7]}");
  }
}
