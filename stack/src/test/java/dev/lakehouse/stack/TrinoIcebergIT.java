package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.Endpoints;
import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Trino on the Iceberg REST catalog, data files on S3Proxy. */
@ExtendWith(LakehouseStackExtension.class)
class TrinoIcebergIT {

  @BeforeEach
  void needsTrino() {
    Its.requires("trino");
  }

  static Connection trino(Endpoints e) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", e.trino().user());
    return DriverManager.getConnection(e.trino().jdbcUrl(), p);
  }

  @Test
  void createInsertReadBackAndSnapshots(Endpoints e) throws Exception {
    String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = trino(e); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA iceberg." + schema);
      s.execute("CREATE TABLE iceberg." + schema + ".events (id BIGINT, name VARCHAR, amount DECIMAL(15,2))");
      s.execute("INSERT INTO iceberg." + schema + ".events VALUES (1, 'one', 10.50), (2, 'two', 20.00)");
      s.execute("INSERT INTO iceberg." + schema + ".events VALUES (3, 'three', 0.01)");

      List<String> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT id, name, amount FROM iceberg." + schema + ".events ORDER BY id")) {
        while (rs.next()) {
          rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getBigDecimal(3));
        }
      }
      assertThat(rows).containsExactly("1|one|10.50", "2|two|20.00", "3|three|0.01");

      // CREATE TABLE commits an empty snapshot; then one snapshot per INSERT, with its record count
      List<String> added = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT operation, element_at(summary, 'added-records') FROM iceberg." + schema
          + ".\"events$snapshots\" ORDER BY committed_at")) {
        while (rs.next()) {
          added.add(rs.getString(1) + ":" + rs.getString(2));
        }
      }
      assertThat(added).endsWith("append:2", "append:1");
      try (ResultSet rs = s.executeQuery("SELECT file_path FROM iceberg." + schema + ".\"events$files\"")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).startsWith("s3://" + e.s3().bucket() + "/");
      }
      s.execute("DROP TABLE iceberg." + schema + ".events");
      s.execute("DROP SCHEMA iceberg." + schema);
    }
  }
}
