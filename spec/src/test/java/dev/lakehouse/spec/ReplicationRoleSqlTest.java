package dev.lakehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationRoleSqlTest {
  private final PipelineSpec spec = SpecLoader.load(SpecSource.bundled(), Map.of(), Map.of());

  @Test
  void createsALoginReplicationRoleThatMaySelectTheSpecTablesAndNothingMore() {
    String sql = ReplicationRoleSql.ensure(spec, PublicationSql.MissingTable.FAIL);
    assertThat(sql).startsWith("DO $$\nBEGIN\n").endsWith("END\n$$")
        .contains("IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'debezium') THEN\n"
            + "    CREATE ROLE \"debezium\" LOGIN REPLICATION;\n")
        .contains("ALTER ROLE \"debezium\" LOGIN REPLICATION;")
        .contains("GRANT USAGE ON SCHEMA \"public\" TO \"debezium\";")
        .contains("GRANT SELECT ON TABLE \"public\".\"accounts\" TO \"debezium\";")
        .contains("GRANT SELECT ON TABLE \"public\".\"users\" TO \"debezium\";")
        .doesNotContain("SUPERUSER", "PASSWORD", "debezium\" LOGIN REPLICATION CREATEDB", "OWNER", "to_regclass",
            "INSERT", "ALL PRIVILEGES");
  }

  @Test
  void skipGrantsOnlyOnTablesThatExistAndTheNamesFollowTheSpec() {
    PipelineSpec other = SpecLoader.load(SpecSource.bundled(), Map.of("LAKEHOUSE_REPLICATION_USER", "cdc_reader"),
        Map.of("lakehouse.source.schema", "sales"));
    String sql = ReplicationRoleSql.ensure(other, PublicationSql.MissingTable.SKIP);
    assertThat(sql).contains("IF to_regclass('\"sales\".\"users\"') IS NOT NULL THEN\n"
        + "    GRANT SELECT ON TABLE \"sales\".\"users\" TO \"cdc_reader\";\n  END IF;\n")
        .contains("CREATE ROLE \"cdc_reader\" LOGIN REPLICATION;")
        .doesNotContain("debezium");
  }
}
