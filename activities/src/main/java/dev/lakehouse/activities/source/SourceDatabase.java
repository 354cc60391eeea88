package dev.lakehouse.activities.source;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.PublicationSql;
import dev.lakehouse.spec.ReplicationRoleSql;
import dev.lakehouse.spec.SecuritySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;

/** JDBC to the source database as the spec names it: short timeouts, a name that says who is connected. */
public final class SourceDatabase {
  /** The prefix of the logical decoding messages {@link #emitSnapshotNudge} writes (the connector drops them). */
  public static final String SNAPSHOT_NUDGE_PREFIX = "lakehouse-snapshot-nudge";

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
   * The role Debezium replicates with ({@link ReplicationRoleSql}: LOGIN REPLICATION, SELECT on the spec's tables),
   * its password set from the spec as a SCRAM verifier computed here, so it never reaches the server in clear. A
   * spec table the database lacks fails here, naming it.
   */
  public static void ensureReplicationRole(PipelineSpec spec) throws SQLException {
    try (Connection c = open(spec, "lakehouse-setup"); Statement s = c.createStatement()) {
      s.execute(ReplicationRoleSql.ensure(spec, PublicationSql.MissingTable.FAIL));
      SecuritySpec.Credentials replication = spec.security().replication();
      c.unwrap(PGConnection.class).alterUserPassword(replication.user(), replication.password().toCharArray(),
          "scram-sha-256");
    }
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

  /**
   * A transaction holding only a logical decoding message (WAL, no table touched): Debezium's read-only incremental
   * snapshot emits a chunk's rows once it streams a transaction that began after the chunk was read, so without
   * changes to the captured tables a snapshot waits for the next one. Each call lets one waiting chunk go.
   */
  public static void emitSnapshotNudge(PipelineSpec spec) throws SQLException {
    try (Connection c = open(spec, "lakehouse-apply");
        java.sql.PreparedStatement s = c.prepareStatement("SELECT pg_logical_emit_message(true, ?, '')")) {
      s.setString(1, SNAPSHOT_NUDGE_PREFIX);
      s.execute();
    }
  }
}
