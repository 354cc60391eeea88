package dev.lakehouse.reliability;

import static dev.lakehouse.reliability.FaultsIT.assertExact;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.stack.junit.LakehouseStackExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A column added to {@code users} on the source while the pipeline runs: Debezium captures it, the raw table
 * keeps it (in the row image), the models ignore it until the spec names it, and nothing fails or goes missing.
 */
@Order(4)
@ExtendWith({LakehouseStackExtension.class, PipelineExtension.class})
class SchemaChangeIT {
  @Test
  void aColumnAddedToUsersIsKeptInRawAndIgnoredByTheModels(Pipeline p) throws Exception {
    long rejectedBefore = p.rejected(); // BadInputIT's, if it ran
    long at = System.nanoTime();
    p.workload.addUsersColumn("nickname"); // ALTER TABLE users ADD COLUMN nickname text; later writes fill it
    assertExact(p.scenario("schema change", "ALTER TABLE users ADD COLUMN nickname text, then writes that fill it",
        s -> new Pipeline.Injected(at, 0, "captured; kept in raw, ignored by the models")));
    assertThat(p.rejected()).as("a change with a column the spec does not name is no bad input")
        .isEqualTo(rejectedBefore);

    String withNickname = "FROM iceberg.raw_data.users r WHERE json_extract_scalar(r.data, '$.nickname') LIKE 'nick-%'";
    assertThat(p.lakehouse.count("SELECT count(*) " + withNickname)).isPositive();
    // each of those changes reached parsed_users (by key, LSN and op: a re-delivered copy is dropped there)
    assertThat(p.lakehouse.count("SELECT count(*) " + withNickname + " AND NOT EXISTS (SELECT 1 FROM"
        + " iceberg.parsed_data.parsed_users u WHERE CAST(u.id AS varchar) = json_extract_scalar(r.data, '$.id')"
        + " AND u.source_lsn = r.source_lsn AND u.op = r.op)")).as("changes with the new column missing from"
        + " parsed_users").isZero();
  }
}
