package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.PublicationSql;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Embedded PostgreSQL: logical decoding works, the bank schema is in place, the publication follows the spec. */
@ExtendWith(LakehouseStackExtension.class)
class PostgresIT {

  @BeforeEach
  void needsPostgres() {
    Its.requires("postgres");
  }

  private static Connection connect(Endpoints e) throws Exception {
    return DriverManager.getConnection(e.postgres().jdbcUrl(), e.postgres().user(), e.postgres().password());
  }

  @Test
  void bankSchemaIsReadyForDebezium(Endpoints e) throws Exception {
    try (Connection c = connect(e); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SHOW wal_level")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("logical");
      }
      List<String> published = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(
          "SELECT tablename FROM pg_publication_tables WHERE pubname = 'bank_pub' ORDER BY tablename")) {
        while (rs.next()) {
          published.add(rs.getString(1));
        }
      }
      assertThat(published).containsExactly("accounts", "users");
      try (ResultSet rs = s.executeQuery(
          "SELECT relname, relreplident FROM pg_class WHERE relname IN ('users', 'accounts') ORDER BY relname")) {
        List<String> identity = new ArrayList<>();
        while (rs.next()) {
          identity.add(rs.getString(1) + "=" + rs.getString(2));
        }
        assertThat(identity).containsExactly("accounts=f", "users=f"); // REPLICA IDENTITY FULL
      }
    }
  }

  /**
   * A restart under writes runs the schema setup again while clients already write: it must not queue for a
   * table lock behind their open transactions (the queued lock blocks their next write, and a client driving
   * two sessions then waits on itself forever).
   */
  @Test
  void schemaSetupAgainDoesNotWaitOnAnOpenWriteTransaction(Endpoints e) throws Exception {
    String email = "open-" + UUID.randomUUID() + "@example.com";
    try (Connection open = connect(e); Statement s = open.createStatement()) {
      open.setAutoCommit(false);
      s.execute("INSERT INTO users (email, name) VALUES ('" + email + "', 'Open')");
      long t0 = System.nanoTime();
      assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> new PostgresService().afterHealthy(LakehouseStackExtension.stack().context()));
      System.out.printf("[PostgresIT] schema setup beside an open write transaction: %.2f s%n",
          (System.nanoTime() - t0) / 1e9);
      s.execute("INSERT INTO users (email, name) VALUES ('second-" + email + "', 'Open')"); // not blocked
      open.rollback();
    }
  }

  @Test
  void logicalSlotWithPgoutputReadsAChange(Endpoints e) throws Exception {
    String slot = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String email = slot + "@example.com";
    try (Connection c = connect(e); Statement s = c.createStatement()) {
      s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
      try {
        s.execute("INSERT INTO users (email, name) VALUES ('" + email + "', 'Slot Reader')");
        List<byte[]> messages = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT data FROM pg_logical_slot_get_binary_changes('" + slot
            + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'bank_pub')")) {
          while (rs.next()) {
            messages.add(rs.getBytes(1));
          }
        }
        // pgoutput: B(egin), R(elation), I(nsert) carrying the new row in text form, C(ommit)
        assertThat(messages).extracting(m -> (char) m[0]).contains('B', 'R', 'I', 'C');
        assertThat(messages).filteredOn(m -> m[0] == 'I')
            .anySatisfy(m -> assertThat(new String(m, StandardCharsets.UTF_8)).contains(email));
      } finally {
        s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
      }
    }
  }

  private static List<String> published(Statement s) throws Exception {
    List<String> tables = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(
        "SELECT tablename FROM pg_publication_tables WHERE pubname = 'bank_pub' ORDER BY tablename")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    return tables;
  }

  @Test
  void thePublicationIsCompletedFromTheSpecsTables(Endpoints e) throws Exception {
    PipelineSpec spec = SpecLoader.load(StackEndpoints.configOverrides(e));
    // a spec table the database does not have
    Map<String, Object> cards = new HashMap<>(StackEndpoints.configOverrides(e));
    cards.put("lakehouse.tables.cards.primary-key", List.of("id"));
    cards.put("lakehouse.tables.cards.columns", List.of(Map.of("name", "id", "type", "uuid")));
    PipelineSpec withCards = SpecLoader.load(cards);
    try (Connection c = connect(e); Statement s = c.createStatement()) {
      s.execute("ALTER PUBLICATION bank_pub DROP TABLE accounts");
      assertThat(published(s)).containsExactly("users");
      s.execute(PublicationSql.ensure(spec, PublicationSql.MissingTable.FAIL));
      assertThat(published(s)).containsExactly("accounts", "users");
      s.execute(PublicationSql.ensure(spec, PublicationSql.MissingTable.FAIL)); // nothing missing: no DDL

      s.execute(PublicationSql.ensure(withCards, PublicationSql.MissingTable.SKIP));
      assertThat(published(s)).containsExactly("accounts", "users");
      assertThatThrownBy(() -> s.execute(PublicationSql.ensure(withCards, PublicationSql.MissingTable.FAIL)))
          .isInstanceOf(SQLException.class).hasMessageContaining("public.cards").hasMessageContaining("does not exist");
    }
  }
}
