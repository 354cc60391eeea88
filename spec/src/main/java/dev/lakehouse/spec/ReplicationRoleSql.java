package dev.lakehouse.spec;

/**
 * The role Debezium replicates with ({@code lakehouse.security.replication}), least privilege, as one idempotent
 * statement run by the database's admin: the role is created if missing with {@code LOGIN REPLICATION} (and
 * given them if it lacks them), may connect to the source database and use its schema, and may SELECT the spec's
 * tables (the snapshot reads them). It owns nothing: the publication stays the admin's. No password here: the
 * caller sets it with a client-side SCRAM verifier, so it never travels or lands in a server log in clear. Pure
 * string generation, like {@link PublicationSql}, which the same callers run next.
 */
public final class ReplicationRoleSql {
  private ReplicationRoleSql() {}

  /** A {@code DO} block for the source database. Names come from the validated spec (identifiers only). */
  public static String ensure(PipelineSpec spec, PublicationSql.MissingTable missing) {
    String role = spec.security().replication().user();
    String quoted = quote(role);
    String schema = quote(spec.source().schema());
    StringBuilder sql = new StringBuilder("DO $$\nBEGIN\n")
        .append("  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '").append(role).append("') THEN\n")
        .append("    CREATE ROLE ").append(quoted).append(" LOGIN REPLICATION;\n")
        .append("  ELSIF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '").append(role)
        .append("' AND rolcanlogin AND rolreplication) THEN\n")
        .append("    ALTER ROLE ").append(quoted).append(" LOGIN REPLICATION;\n")
        .append("  END IF;\n")
        .append("  EXECUTE format('GRANT CONNECT ON DATABASE %I TO ").append(quoted.replace("'", "''"))
        .append("', current_database());\n")
        .append("  GRANT USAGE ON SCHEMA ").append(schema).append(" TO ").append(quoted).append(";\n");
    for (TableSpec table : spec.tables()) {
      String qualified = schema + "." + quote(table.name());
      String grant = "GRANT SELECT ON TABLE " + qualified + " TO " + quoted + ";\n";
      if (missing == PublicationSql.MissingTable.SKIP) {
        sql.append("  IF to_regclass('").append(qualified).append("') IS NOT NULL THEN\n    ").append(grant)
            .append("  END IF;\n");
      } else {
        sql.append("  ").append(grant);
      }
    }
    return sql.append("END\n$$").toString();
  }

  private static String quote(String identifier) {
    return "\"" + identifier + "\"";
  }
}
