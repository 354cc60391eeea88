package dev.lakehouse.activities.trino;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.MaintenanceActivities;
import dev.lakehouse.workflows.activities.MaintenanceResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@link MaintenanceActivities} through Trino's Iceberg table procedures ({@code ALTER TABLE ... EXECUTE}).
 * Groups: {@code vault} (hubs, links, satellites and their state tables, and {@code ops.materializations}, which
 * every model run appends a small file to and whose watermark query reads them all), {@code raw_parsed} (raw,
 * parsed and rejected tables), {@code all} (both). A table that does not exist yet is skipped, not an error.
 */
public final class TrinoMaintenanceActivities implements MaintenanceActivities {
  private static final Pattern THRESHOLD = Pattern.compile("\\d+(\\.\\d+)?(B|kB|MB|GB|TB|ms|s|m|h|d)");

  private final PipelineSpec spec;
  private final TrinoConnections connections;

  public TrinoMaintenanceActivities(PipelineSpec spec, TrinoConnections connections) {
    this.spec = spec;
    this.connections = connections;
  }

  public static TrinoMaintenanceActivities create(PipelineSpec spec) {
    return new TrinoMaintenanceActivities(spec, new TrinoConnections(spec.endpoints().trino()));
  }

  @Override
  public List<String> tables(String group) {
    List<String> vault = new ArrayList<>();
    spec.hubs().forEach(h -> vault.add(PipelineSpec.VAULT_SCHEMA + "." + h.name()));
    spec.links().forEach(l -> vault.add(PipelineSpec.VAULT_SCHEMA + "." + l.name()));
    spec.satellites().forEach(s -> {
      vault.add(PipelineSpec.VAULT_SCHEMA + "." + s.name());
      vault.add(PipelineSpec.VAULT_SCHEMA + "." + SatelliteSql.stateTableName(s.name()));
    });
    vault.add(OpsSql.SCHEMA + ".materializations");
    List<String> rawParsed = new ArrayList<>();
    spec.tables().forEach(t -> {
      rawParsed.add(PipelineSpec.RAW_SCHEMA + "." + t.name());
      rawParsed.add(PipelineSpec.PARSED_SCHEMA + "." + PipelineSpec.parsedTableName(t.name()));
      rawParsed.add(PipelineSpec.PARSED_SCHEMA + "." + PipelineSpec.rejectedTableName(t.name()));
    });
    return switch (group) {
      case "vault" -> vault;
      case "raw_parsed" -> rawParsed;
      case "all" -> {
        List<String> all = new ArrayList<>(rawParsed);
        all.addAll(vault);
        yield all;
      }
      default -> throw TrinoErrors.of("maintenance", "list tables",
          new IllegalArgumentException("unknown table group '" + group + "'; use vault, raw_parsed or all"));
    };
  }

  @Override
  public MaintenanceResult optimize(String table, String fileSizeThreshold) {
    return execute(table, "optimize", "optimize(file_size_threshold => " + threshold(table, fileSizeThreshold) + ")");
  }

  @Override
  public MaintenanceResult expireSnapshots(String table, String retention) {
    return execute(table, "expire_snapshots", "expire_snapshots(retention_threshold => " + threshold(table, retention) + ")");
  }

  @Override
  public MaintenanceResult removeOrphanFiles(String table, String retention) {
    return execute(table, "remove_orphan_files",
        "remove_orphan_files(retention_threshold => " + threshold(table, retention) + ")");
  }

  @Override
  public MaintenanceResult dropExtendedStats(String table) {
    return execute(table, "drop_extended_stats", "drop_extended_stats");
  }

  /** {@code ALTER TABLE iceberg.<table> EXECUTE <procedure>}. */
  static String sql(String table, String procedure) {
    return "ALTER TABLE " + Sql.CATALOG + "." + table + " EXECUTE " + procedure;
  }

  private static String threshold(String table, String value) {
    if (value == null || !THRESHOLD.matcher(value).matches()) {
      throw TrinoErrors.of(table, "maintenance",
          new IllegalArgumentException("threshold '" + value + "' is not a size or duration like 128MB or 7d"));
    }
    return Sql.string(value);
  }

  private MaintenanceResult execute(String table, String operation, String procedure) {
    String[] parts = table.split("\\.");
    if (parts.length != 2) {
      throw TrinoErrors.of(table, operation, new IllegalArgumentException("not a table key of the form schema.table"));
    }
    try (Connection c = connections.open(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Sql.CATALOG + ".information_schema.tables"
          + " WHERE table_schema = " + Sql.string(parts[0]) + " AND table_name = " + Sql.string(parts[1]))) {
        rs.next();
        if (rs.getLong(1) == 0) {
          return new MaintenanceResult(table, operation, "skipped: table does not exist yet");
        }
      }
      st.execute(sql(table, procedure));
      return new MaintenanceResult(table, operation, "done");
    } catch (SQLException e) {
      throw TrinoErrors.of(table, operation, e);
    }
  }
}
