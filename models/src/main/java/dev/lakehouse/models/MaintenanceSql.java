package dev.lakehouse.models;

import dev.lakehouse.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Iceberg table maintenance through Trino's table procedures ({@code ALTER TABLE ... EXECUTE}), and the tables each
 * group covers: {@code vault} (hubs, links, satellites and their state tables, and {@code ops.materializations},
 * which every model run appends a small file to and whose watermark query reads them all), {@code raw_parsed}
 * (raw, parsed and rejected tables), {@code all} (both).
 *
 * <p>Every method throws {@link IllegalArgumentException} for an input no run could fix (an unknown group, a
 * table key without a schema, a threshold Trino would reject), so the caller reports it as configuration.
 */
public final class MaintenanceSql {
  private static final Pattern THRESHOLD = Pattern.compile("\\d+(\\.\\d+)?(B|kB|MB|GB|TB|ms|s|m|h|d)");

  private MaintenanceSql() {}

  /** The tables of a group as {@code schema.table} keys. */
  public static List<String> tables(PipelineSpec spec, String group) {
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
      default -> throw new IllegalArgumentException("unknown table group '" + group + "'; use vault, raw_parsed or all");
    };
  }

  /**
   * One row, one column: how many tables are named {@code table} (0 or 1). Maintenance skips a table that does not
   * exist yet (a model never run) instead of failing.
   */
  public static String existsQuery(String table) {
    String[] parts = parts(table);
    return "SELECT count(*) FROM " + Sql.CATALOG + ".information_schema.tables"
        + " WHERE table_schema = " + Sql.string(parts[0]) + " AND table_name = " + Sql.string(parts[1]);
  }

  /** Rewrites the files smaller than {@code fileSizeThreshold} (like {@code 128MB}) into larger ones. */
  public static String optimize(String table, String fileSizeThreshold) {
    return execute(table, "optimize(file_size_threshold => " + threshold(fileSizeThreshold) + ")");
  }

  /** Forgets the snapshots older than {@code retention} (like {@code 7d}) and deletes the files only they held. */
  public static String expireSnapshots(String table, String retention) {
    return execute(table, "expire_snapshots(retention_threshold => " + threshold(retention) + ")");
  }

  /** Deletes files no snapshot references that are older than {@code retention}. */
  public static String removeOrphanFiles(String table, String retention) {
    return execute(table, "remove_orphan_files(retention_threshold => " + threshold(retention) + ")");
  }

  /** Drops the column statistics ANALYZE collected, which go stale as the table changes. */
  public static String dropExtendedStats(String table) {
    return execute(table, "drop_extended_stats");
  }

  /** {@code ALTER TABLE iceberg.<table> EXECUTE <procedure>}. */
  static String execute(String table, String procedure) {
    parts(table);
    return "ALTER TABLE " + Sql.CATALOG + "." + table + " EXECUTE " + procedure;
  }

  private static String[] parts(String table) {
    String[] parts = table == null ? new String[0] : table.split("\\.");
    if (parts.length != 2) {
      throw new IllegalArgumentException("'" + table + "' is not a table key of the form schema.table");
    }
    return parts;
  }

  private static String threshold(String value) {
    if (value == null || !THRESHOLD.matcher(value).matches()) {
      throw new IllegalArgumentException("threshold '" + value + "' is not a size or duration like 128MB or 7d");
    }
    return Sql.string(value);
  }
}
