package dev.lakehouse.activities.source;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.apply.SourceTableState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the source database says about the spec's tables and the publication: read only, never DDL. */
public final class SourceTables {
  /** Existence, primary key and replica identity ({@code f} = FULL) of one table of the spec's schema. */
  static final String TABLE = "SELECT c.relreplident, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid"
      + " AND i.indisprimary) AS has_pk FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')";
  static final String PUBLICATION = "SELECT 1 FROM pg_publication WHERE pubname = ?";
  static final String PUBLISHED = "SELECT tablename FROM pg_publication_tables WHERE pubname = ? AND schemaname = ?"
      + " ORDER BY tablename";

  /** The publication ({@code exists}) and its tables of the spec's schema. */
  public record Publication(boolean exists, List<String> tables) {}

  private SourceTables() {}

  public static List<SourceTableState> states(PipelineSpec spec, List<String> tables) throws SQLException {
    List<SourceTableState> out = new ArrayList<>();
    try (Connection c = SourceDatabase.open(spec, "lakehouse-apply"); PreparedStatement s = c.prepareStatement(TABLE)) {
      for (String table : tables) {
        s.setString(1, spec.source().schema());
        s.setString(2, table);
        try (ResultSet rs = s.executeQuery()) {
          out.add(rs.next() ? new SourceTableState(table, true, rs.getBoolean("has_pk"),
              "f".equals(rs.getString("relreplident"))) : SourceTableState.missing(table));
        }
      }
    }
    return out;
  }

  public static Publication publication(PipelineSpec spec) throws SQLException {
    String name = spec.source().publication();
    try (Connection c = SourceDatabase.open(spec, "lakehouse-apply")) {
      try (PreparedStatement s = c.prepareStatement(PUBLICATION)) {
        s.setString(1, name);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return new Publication(false, List.of());
          }
        }
      }
      List<String> tables = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(PUBLISHED)) {
        s.setString(1, name);
        s.setString(2, spec.source().schema());
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            tables.add(rs.getString(1));
          }
        }
      }
      return new Publication(true, tables);
    }
  }
}
