package dev.lakehouse.spec;

/**
 * The PostgreSQL publication Debezium reads ({@code lakehouse.source.publication}) over the spec's tables, as one
 * idempotent statement: the publication is created if missing, and each spec table not in it yet is added. Tables
 * already in it stay, as do others (another consumer's), so a publication that already covers the spec costs no
 * DDL at all. Pure string generation: the local stack runs it after its demo schema, the ingestion setup before
 * it creates the connector.
 */
public final class PublicationSql {
  private PublicationSql() {}

  /** What to do about a spec table the database does not have (yet). */
  public enum MissingTable {
    /** The statement fails, naming the table: the pipeline cannot capture it. */
    FAIL,
    /** The table is left out: it is added by a later run, once it exists (the local stack's empty database). */
    SKIP
  }

  /** A {@code DO} block for the source database. Names come from the validated spec (identifiers only). */
  public static String ensure(PipelineSpec spec, MissingTable missing) {
    SourceSpec source = spec.source();
    String publication = source.publication();
    StringBuilder sql = new StringBuilder("DO $$\nBEGIN\n")
        .append("  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = '").append(publication)
        .append("') THEN\n")
        .append("    CREATE PUBLICATION ").append(quote(publication)).append(";\n")
        .append("  END IF;\n");
    for (TableSpec table : spec.tables()) {
      String qualified = quote(source.schema()) + "." + quote(table.name());
      sql.append("  IF ");
      if (missing == MissingTable.SKIP) {
        sql.append("to_regclass('").append(qualified).append("') IS NOT NULL AND ");
      }
      sql.append("NOT EXISTS (SELECT 1 FROM pg_publication_tables WHERE pubname = '").append(publication)
          .append("' AND schemaname = '").append(source.schema()).append("' AND tablename = '")
          .append(table.name()).append("') THEN\n")
          .append("    ALTER PUBLICATION ").append(quote(publication)).append(" ADD TABLE ").append(qualified)
          .append(";\n")
          .append("  END IF;\n");
    }
    return sql.append("END\n$$").toString();
  }

  private static String quote(String identifier) {
    return "\"" + identifier + "\"";
  }
}
