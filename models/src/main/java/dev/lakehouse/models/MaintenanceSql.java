package dev.lakehouse.models;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.UserModelSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Iceberg table maintenance through Trino's table procedures ({@code ALTER TABLE ... EXECUTE}), and the tables each
 * group covers: {@code vault} (hubs, links, satellites and their state tables, {@code ops.asset_checks} and {@code ops.materializations},
 * which every model run appends a small file to and whose watermark query reads them all), {@code raw_parsed}
 * (raw, parsed and rejected tables), {@code all} (both, and the tables of the user models that are not views), and for the frequent compaction {@code appends}: the
 * tables whose writers only append (the raw tables, written by Flink; {@code ops.materializations} and {@code
 * ops.asset_checks}, by INSERTs), so a rewrite of their small files never conflicts with a write ({@code raw}: the
 * raw tables alone; {@code ops}: the ops history alone).
 *
 * <p>Every method throws {@link IllegalArgumentException} for an input no run could fix (an unknown group, a
 * table key without a schema, a threshold Trino would reject), so the caller reports it as configuration.
 */
public final class MaintenanceSql {
  private static final Pattern THRESHOLD = Pattern.compile("\\d+(\\.\\d+)?(B|kB|MB|GB|TB|ms|s|m|h|d)");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  /** The snapshot summary key a Flink sink's commit carries: its job's id (Iceberg's {@code SinkUtil}). */
  public static final String FLINK_JOB_ID = "flink.job-id";

  /**
   * Kept on top of the age of a Flink sink's last commit when expiring: the expiry's own clock reads later than the
   * age query's, and the Flink and Trino hosts' clocks may differ (a snapshot's time is its writer's clock).
   */
  public static final Duration FLINK_COMMIT_MARGIN = Duration.ofMinutes(10);

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
    List<String> ops = List.of(OpsSql.SCHEMA + ".materializations",
        OpsSql.SCHEMA + ".asset_checks"); // one small file per run of a model, per run's check results
    vault.addAll(ops);
    List<String> raw = new ArrayList<>();
    List<String> rawParsed = new ArrayList<>();
    spec.tables().forEach(t -> {
      raw.add(PipelineSpec.RAW_SCHEMA + "." + t.name());
      rawParsed.add(PipelineSpec.RAW_SCHEMA + "." + t.name());
      rawParsed.add(PipelineSpec.PARSED_SCHEMA + "." + PipelineSpec.parsedTableName(t.name()));
      rawParsed.add(PipelineSpec.PARSED_SCHEMA + "." + PipelineSpec.rejectedTableName(t.name()));
    });
    return switch (group) {
      case "vault" -> vault;
      case "raw_parsed" -> rawParsed;
      case "raw" -> raw;
      case "ops" -> ops;
      case "appends" -> {
        List<String> appends = new ArrayList<>(raw);
        appends.addAll(ops);
        yield appends;
      }
      case "models" -> {
        // what model runs write (a commit per run each): every table but the raw ones
        List<String> models = new ArrayList<>(rawParsed);
        models.removeAll(raw);
        models.addAll(vault);
        spec.userModels().stream().filter(m -> m.materialized() != UserModelSpec.Materialization.VIEW)
            .forEach(m -> models.add(m.key())); // their tables: a table model is replaced by every run
        yield models;
      }
      case "all" -> {
        List<String> all = new ArrayList<>(raw);
        all.addAll(tables(spec, "models"));
        yield all;
      }
      default -> throw new IllegalArgumentException("unknown table group '" + group + "'; use vault, raw_parsed, raw,"
          + " appends, ops, models or all");
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

  /**
   * The {@code schema.table} key of a table name as the model statements write it ({@code iceberg.ops.x} is
   * {@code ops.x}); a key passes unchanged.
   */
  public static String key(String table) {
    String prefix = Sql.CATALOG + ".";
    String key = table != null && table.startsWith(prefix) ? table.substring(prefix.length()) : table;
    parts(key);
    return key;
  }

  /** Rewrites the files smaller than {@code fileSizeThreshold} (like {@code 128MB}) into larger ones. */
  public static String optimize(String table, String fileSizeThreshold) {
    return execute(table, "optimize(file_size_threshold => " + threshold(fileSizeThreshold) + ")");
  }

  /**
   * Forgets the snapshots older than {@code retention} and deletes the files only they held. The retention is an
   * ISO-8601 duration ({@code PT168H}) or already a Trino duration ({@code 7d}), see {@link #retention}.
   */
  public static String expireSnapshots(String table, String retention) {
    return execute(table, "expire_snapshots(retention_threshold => " + threshold(retention(retention)) + ")");
  }

  /**
   * One row, one column: the milliseconds since the newest kept snapshot of {@code table} that a Flink sink committed
   * (its summary carries {@link #FLINK_JOB_ID}) among the current snapshot's ancestors, the only ones a sink's
   * restore walks through (a newer one off that line, after a rollback, is not what it looks for); NULL when none is
   * kept (a table no Flink job writes).
   */
  public static String lastFlinkCommitAgeQuery(String table) {
    String[] parts = parts(table);
    String prefix = Sql.CATALOG + "." + parts[0] + ".\"" + parts[1];
    return "SELECT date_diff('millisecond', max(s.committed_at), current_timestamp) FROM " + prefix
        + "$snapshots\" s JOIN " + prefix + "$history\" h ON h.snapshot_id = s.snapshot_id"
        + " WHERE h.is_current_ancestor AND element_at(s.summary, " + Sql.string(FLINK_JOB_ID) + ") IS NOT NULL";
  }

  /**
   * {@link #expireSnapshots(String, String)} that also keeps the snapshot a Flink sink committed
   * {@code lastFlinkCommitAge} ago and every newer one: the retention is the longer of {@code retention} and that
   * age plus {@code margin} ({@link #FLINK_COMMIT_MARGIN} in production), rounded up to whole seconds. On restore
   * the sink walks the table's snapshots back from the current one to its job's last commit for the checkpoint it
   * committed; a walk that does not find it (expired) commits the restored checkpoint's files again.
   * {@code lastFlinkCommitAge} null (no Flink commit kept): {@code retention} alone, as nothing a restore could find
   * is left to keep.
   */
  public static String expireSnapshots(String table, String retention, Duration lastFlinkCommitAge,
      Duration margin) {
    String configured = retention(retention);
    threshold(configured);
    if (lastFlinkCommitAge == null) {
      return expireSnapshots(table, configured);
    }
    Duration keep = lastFlinkCommitAge.plus(margin);
    keep = Duration.ofSeconds(keep.getSeconds() + (keep.getNano() > 0 ? 1 : 0)); // whole seconds, rounded up
    return expireSnapshots(table, keep.compareTo(duration(configured)) > 0 ? trinoDuration(keep) : configured);
  }

  /** Deletes files no snapshot references that are older than {@code retention} (as for expireSnapshots). */
  public static String removeOrphanFiles(String table, String retention) {
    return execute(table, "remove_orphan_files(retention_threshold => " + threshold(retention(retention)) + ")");
  }

  /** Drops the column statistics ANALYZE collected, which go stale as the table changes. */
  public static String dropExtendedStats(String table) {
    return execute(table, "drop_extended_stats");
  }

  /**
   * A retention in Trino's duration syntax. Workflow inputs carry it as ISO-8601 ({@code PT168H}, the text of a
   * {@link Duration}); a value already in Trino's syntax ({@code 7d}) passes unchanged, as maintenance crons started
   * before carry it, and a hand-written input may.
   */
  static String retention(String value) {
    if (value == null || !value.startsWith("P")) {
      return value;
    }
    try {
      return trinoDuration(Duration.parse(value));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("retention '" + value + "' is not an ISO-8601 duration like PT168H or P7D",
          e);
    }
  }

  /** Trino's duration literal in the largest whole unit: {@code 7d}, {@code 12h}, {@code 90s}, {@code 1500ms}. */
  public static String trinoDuration(Duration d) {
    if (d.getNano() != 0) {
      return d.toMillis() + "ms"; // never rounded down to 0s, which would remove files still being written
    }
    long s = d.getSeconds();
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    return s + "s";
  }

  /** A duration in Trino's syntax ({@code 7d}, {@code 1500ms}, {@code 1.5h}) as a {@link Duration}. */
  static Duration duration(String trino) {
    Matcher m = trino == null ? null : DURATION.matcher(trino);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("retention '" + trino + "' is not a duration like 7d or PT168H");
    }
    long unitMillis = switch (m.group(2)) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 86_400_000L;
    };
    return Duration.ofMillis(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitMillis))
        .setScale(0, RoundingMode.CEILING).longValueExact());
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
