package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stopping and starting the stateful services keeps a PostgreSQL row and an Iceberg table (with its data).
 * The same through `./lakehouse down` + `up` (all eight) is in docs/local-stack.md.
 */
@ExtendWith(LakehouseStackExtension.class)
class RestartIT {

  @Test
  void downThenUpKeepsPostgresRowAndIcebergTable(Endpoints e) throws Exception {
    Its.requires("postgres");
    Its.requires("trino");
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String email = "restart-" + id + "@example.com";
    String table = "iceberg.restart_" + id + ".kept";
    try (Connection c = StackEndpoints.openPostgres(e);
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO users (email, name) VALUES ('" + email + "', 'Kept')");
    }
    try (Connection c = TrinoIcebergIT.trino(e); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA iceberg.restart_" + id);
      s.execute("CREATE TABLE " + table + " AS SELECT 42 AS answer");
    }

    // the services holding the state; Trino holds none and stays up (its restart alone costs 20-90 s here),
    // so reading the table back goes to the restarted catalog (catalog.db) and S3 (data files on disk)
    Stack stack = LakehouseStackExtension.stack();
    List<String> stateful = List.of("postgres", "s3", "iceberg-rest");
    stack.stop(stateful);
    for (String name : stateful) {
      assertThat(stack.running(stack.service(name))).as(name + " stopped").isFalse();
    }
    Stack.UpResult up = stack.up(); // starts only what is not running
    assertThat(up.started()).containsExactlyInAnyOrderElementsOf(stateful);
    System.out.printf("[RestartIT] restart of %s: healthy again in %.1f s%n", stateful, up.seconds());

    try (Connection c = StackEndpoints.openPostgres(e);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM users WHERE email = '" + email + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Kept");
    }
    try (Connection c = TrinoIcebergIT.trino(e); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT answer FROM " + table)) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }
}
