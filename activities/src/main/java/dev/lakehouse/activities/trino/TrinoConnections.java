package dev.lakehouse.activities.trino;

import dev.lakehouse.workflows.spec.Endpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens trino-jdbc connections to the spec's Trino, catalog {@code iceberg}. One per activity call. */
public final class TrinoConnections {
  private final String url;
  private final String user;

  public TrinoConnections(Endpoints.Trino trino) {
    this(trino.jdbcUrl(), trino.user());
  }

  public TrinoConnections(String url, String user) {
    this.url = url;
    this.user = user;
  }

  public Connection open() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    return DriverManager.getConnection(url, p);
  }

  public String url() {
    return url;
  }
}
