package dev.lakehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PublicationSqlTest {
  private final PipelineSpec spec = SpecLoader.load();

  @Test
  void createsThePublicationAndAddsEverySpecTableMissingFromIt() {
    String sql = PublicationSql.ensure(spec, PublicationSql.MissingTable.FAIL);
    assertThat(sql).startsWith("DO $$\nBEGIN\n").endsWith("END\n$$")
        .contains("IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'bank_pub') THEN\n"
            + "    CREATE PUBLICATION \"bank_pub\";\n")
        .contains("IF NOT EXISTS (SELECT 1 FROM pg_publication_tables WHERE pubname = 'bank_pub' AND schemaname ="
            + " 'public' AND tablename = 'accounts') THEN\n"
            + "    ALTER PUBLICATION \"bank_pub\" ADD TABLE \"public\".\"accounts\";\n")
        .contains("ADD TABLE \"public\".\"users\";")
        .doesNotContain("to_regclass");
  }

  @Test
  void skipLeavesOutTablesTheDatabaseDoesNotHave() {
    String sql = PublicationSql.ensure(spec, PublicationSql.MissingTable.SKIP);
    assertThat(sql).contains("IF to_regclass('\"public\".\"users\"') IS NOT NULL AND NOT EXISTS");
  }

  @Test
  void followsTheSpecsNames() {
    PipelineSpec other = SpecLoader.load(Map.of("lakehouse.source.publication", "shop_pub",
        "lakehouse.source.schema", "sales"));
    assertThat(PublicationSql.ensure(other, PublicationSql.MissingTable.FAIL))
        .contains("CREATE PUBLICATION \"shop_pub\";")
        .contains("ALTER PUBLICATION \"shop_pub\" ADD TABLE \"sales\".\"users\";");
  }
}
