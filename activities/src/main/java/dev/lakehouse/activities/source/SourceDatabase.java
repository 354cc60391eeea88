package dev.lakehouse.activities.source;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.PublicationSql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** JDBC to the source database as the spec names it: short timeouts, a name that says who is connected. */
public final class SourceDatabase {
  private SourceDatabase() {}

  public static Connection open(PipelineSpec spec, String applicationName) throws SQLException {
    Endpoints.Postgres pg = spec.endpoints().postgres();
    Properties props = new Properties();
    props.setProperty("user", pg.user());
    props.setProperty("password", pg.password());
    props.setProperty("connectTimeout", "5");
    props.setProperty("socketTimeout", "15");
    props.setProperty("ApplicationName", applicationName);
    return DriverManager.getConnection(pg.jdbcUrl(), props);
  }

  /**
   * The publication Debezium reads, over every spec table ({@link PublicationSql}); a spec table the database
   * lacks fails here, naming it, rather than never reaching Kafka.
   */
  public static void ensurePublication(PipelineSpec spec) throws SQLException {
    try (Connection c = open(spec, "lakehouse-setup"); Statement s = c.createStatement()) {
      s.execute(PublicationSql.ensure(spec, PublicationSql.MissingTable.FAIL));
    }
  }
}
