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
@Order(3)
@ExtendWith({LakehouseStackExtension.class, PipelineExtension.class})
class SchemaChangeIT {
  @Test
  void aColumnAddedToUsersIsKeptInRawAndIgnoredByTheModels(Pipeline p) throws Exception {
    long at = System.nanoTime();
    p.workload.addUsersColumn("nickname"); // ALTER TABLE users ADD COLUMN nickname text; later writes fill it
    assertExact(p.scenario("schema change", "ALTER TABLE users ADD COLUMN nickname text, then writes that fill it",
        s -> new Pipeline.Injected(at, 0, "captured; kept in raw, ignored by the models")));

    assertThat(p.lakehouse.count("SELECT count(*) FROM iceberg.raw_data.users"
        + " WHERE json_extract_scalar(data, '$.nickname') LIKE 'nick-%'")).isPositive();
    assertThat(p.lakehouse.count("SELECT count(*) FROM iceberg.information_schema.columns WHERE table_schema IN"
        + " ('parsed_data', 'data_vault') AND column_name = 'nickname'")).isZero();
  }
}
