package dev.lakehouse.stack;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.TrinoClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * The spec's endpoints as the local stack serves them, and the connections the stack and the ITs open on them.
 * The values are the spec's records; only the I/O lives here.
 */
public final class StackEndpoints {
  private StackEndpoints() {}

  /**
   * The endpoints with every service on the shared host: the local stack binds all of them there, whatever a
   * service's own host (a Docker service name) says.
   */
  public static Endpoints local(Endpoints e) {
    String h = e.host();
    Endpoints.Postgres pg = e.postgres();
    Endpoints.Flink flink = e.flink();
    Endpoints.S3 s3 = e.s3();
    Endpoints.Temporal t = e.temporal();
    return new Endpoints(h,
        new Endpoints.Postgres(h, pg.port(), pg.database(), pg.user(), pg.password()),
        new Endpoints.Kafka(h, e.kafka().port(), e.kafka().controllerPort()),
        new Endpoints.Connect(h, e.connect().port()),
        new Endpoints.Flink(h, flink.port(), h, flink.sqlGatewayPort(), flink.rpcPort()),
        new Endpoints.IcebergRest(h, e.icebergRest().port()),
        new Endpoints.S3(h, s3.port(), s3.bucket(), s3.accessKey(), s3.secretKey(), s3.region(),
            s3.credentials()),
        new Endpoints.Trino(h, e.trino().port(), e.trino().user()),
        new Endpoints.Temporal(h, t.port(), t.uiPort(), t.httpPort(), t.metricsPort(), t.namespace(), t.taskQueue()),
        new Endpoints.Console(h, e.console().port()));
  }

  /** A new connection to the source database, as the spec's user. */
  public static Connection openPostgres(Endpoints e) throws SQLException {
    Endpoints.Postgres pg = e.postgres();
    return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
  }

  /**
   * A new connection to Trino's {@code iceberg} catalog as the endpoints' user, without password or TLS (the stack
   * the tests and the benchmark start has neither; needs trino-jdbc on the caller's classpath).
   */
  public static Connection openTrino(Endpoints e) throws SQLException {
    return openTrino(TrinoClient.plain(e.trino()));
  }

  /** A new connection to Trino's {@code iceberg} catalog with the client's password and TLS, if any. */
  public static Connection openTrino(TrinoClient client) throws SQLException {
    java.util.Properties properties;
    try {
      properties = client.jdbcProperties();
    } catch (java.io.UncheckedIOException e) { // the token file: one line that names the key
      throw new SQLException(e.getMessage(), e);
    }
    return DriverManager.getConnection(client.jdbcUrl(), properties);
  }

  /**
   * Spec overrides ({@code lakehouse.endpoints.postgres.port -> "54321"}, ...) that point a component loading
   * lakehouse.conf at these endpoints.
   */
  public static Map<String, String> configOverrides(Endpoints e) {
    return SpecLoader.overrides(e);
  }
}
