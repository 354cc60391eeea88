package dev.lakehouse.models;

import static dev.lakehouse.models.Sql.id;

import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.spec.HubSpec;
import dev.lakehouse.spec.LinkSpec;
import dev.lakehouse.spec.ModelCatalog;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.TableSpec;
import dev.lakehouse.spec.UserModelSpec;
import dev.lakehouse.workflows.activities.WrittenData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * The SQL of data checks (docs/models.md#checks), pure like {@link ModelSql}. Every check is a query for its
 * failing rows, each reduced to one failing key; the checks of an asset run as one statement ({@link #query}) whose
 * rows are (check index, failing rows, failing key), at most five keys per failing check (the smallest, as text)
 * and none for a passing one. A {@code sql} check is the user's query: it joins the statement once the runner knows
 * how many columns the query returns (from a probe that reads no row, {@link #probeQuery}), since the statement has
 * to name them to take the first as the failing key.
 *
 * <p>After an incremental run a check looks only at what the run could have written, so its cost follows the
 * batch, not the history: a parsed table's rows of the batch's Kafka offsets; a hub's or link's rows whose hash
 * key the batch computes (the key-sized lookup of the load's MERGE); a satellite's rows from the batch's smallest
 * LSN (the MERGE's bound). A uniqueness check then compares those rows' keys with the whole table (with the LSN
 * bound where the key holds {@code source_lsn}); a relationship looks them up in the referenced model.
 * {@code row_count_min}, {@code freshness} and {@code sql} are about the whole table and read it on every run.
 * With no batch ({@code lakehouse checks --full}, a full refresh) every check reads the whole table. A user
 * model has no load batch ({@link #isUserModel}): after an incremental run its checks read the rows the run wrote
 * ({@link WrittenRowsSql}: the data files of the snapshot its statement committed), its {@code sql} checks included
 * ({@code {{ this }}} is then those rows), and {@code unique} compares their keys with the whole table; the statement
 * also returns the table's current snapshot ({@link #CURRENT_SNAPSHOT}), since those files are the run's rows only
 * while it is the run's. Otherwise (a {@code table} or {@code view}, a first run) its checks read its whole table.
 */
public final class CheckSql {
  /** Up to this many failing keys are kept per check. */
  public static final int SAMPLE = 5;

  private final PipelineSpec spec;

  public CheckSql(PipelineSpec spec) {
    this.spec = spec;
  }

  /** The spec the checks are of. */
  public PipelineSpec spec() {
    return spec;
  }

  /** The checks of a model, built-in then declared, in the order {@link #query} indexes them. */
  public List<CheckSpec> checks(String asset) {
    return spec.checksOf(asset);
  }

  /**
   * One statement for every check of {@code asset} except {@code sql} ones, or empty when there is none. Rows:
   * (index in {@link #checks}, failing rows of that check, one failing key), ordered by index and key.
   * {@code batch} empty: whole tables.
   */
  public Optional<String> query(String asset, Optional<Batch> batch) {
    return query(asset, batch, Contents.GENERATED);
  }

  /** {@link #query} for the checks whose index {@code only} accepts (one at a time, after the statement failed). */
  public Optional<String> query(String asset, Optional<Batch> given, IntPredicate only) {
    return query(asset, given, new Contents(only, Map.of(), false));
  }

  /**
   * What one check statement of an asset holds: the checks whose index {@code only} accepts (a {@code sql} check
   * only when {@code sqlColumns} gives how many columns its query returns, index to count: the statement names
   * them to take the first as the failing key), and with {@code latestBatch} a row of index {@link #LATEST} whose
   * key is the input ranges of the asset's latest successful materialization (none before the first), so that a
   * check of a batch known from before also tells whether it is still the latest.
   */
  public record Contents(IntPredicate only, Map<Integer, Integer> sqlColumns, boolean latestBatch) {
    /** Every generated check, no {@code sql} check, no latest batch: the statement before anything is known. */
    public static final Contents GENERATED = new Contents(i -> true, Map.of(), false);

    public Contents {
      sqlColumns = Map.copyOf(sqlColumns);
    }
  }

  /** The check index of the row holding the latest batch's input ranges ({@link Contents#latestBatch}). */
  public static final int LATEST = -1;

  /**
   * The check index of the row holding the table's current snapshot id, in a statement over the rows a user
   * model's run wrote: they are what its files hold only while that snapshot is the run's.
   */
  public static final int CURRENT_SNAPSHOT = -2;

  /** The checks {@code statement} says, in one statement; empty when it holds none. */
  public Optional<String> query(String asset, Optional<Batch> given, Contents statement) {
    Optional<Batch> batch = scope(asset, given);
    Optional<WrittenData> written = batch.flatMap(Batch::written);
    String self = written.isPresent() ? "scoped" : ModelSql.table(asset);
    Target target = target(asset);
    List<CheckSpec> checks = checks(asset);
    List<String> ctes = new ArrayList<>();
    List<String> branches = new ArrayList<>();
    ctes.add("scoped AS (\n  " + Sql.indent(target.scope(batch), 2) + "\n)");
    for (int i = 0; i < checks.size(); i++) {
      CheckSpec c = checks.get(i);
      Integer columns = statement.sqlColumns().get(i);
      if (!statement.only().test(i) || c.kind() == CheckKind.SQL && columns == null) {
        continue;
      }
      String failing = c.kind() == CheckKind.SQL ? sqlFailing(c, columns, self) : failing(target, c, batch);
      ctes.add("c" + i + " AS (\n  -- " + c.name() + "\n  " + Sql.indent(failing, 2) + "\n)");
      branches.add("  SELECT " + i + " AS check_index, failing_key, count(*) OVER () AS failing_rows,"
          + " row_number() OVER (ORDER BY failing_key) AS n FROM c" + i);
    }
    if (branches.isEmpty() && written.isEmpty()) {
      return Optional.empty();
    }
    if (written.isPresent()) {
      branches.add("  SELECT " + CURRENT_SNAPSHOT + " AS check_index, CAST(snapshot_id AS varchar) AS failing_key,"
          + " CAST(0 AS bigint) AS failing_rows, CAST(1 AS bigint) AS n FROM (\n    "
          + WrittenRowsSql.currentQuery(asset) + "\n  )");
    }
    if (statement.latestBatch()) {
      branches.add("  SELECT " + LATEST + " AS check_index, input_ranges AS failing_key, CAST(0 AS bigint) AS"
          + " failing_rows, CAST(1 AS bigint) AS n FROM (\n    " + Sql.indent(latestBatchQuery(asset), 4) + "\n  )");
    }
    return Optional.of("WITH " + String.join(",\n", ctes) + "\n"
        + "SELECT check_index, failing_rows, failing_key\n"
        + "FROM (\n" + String.join("\n  UNION ALL\n", branches) + "\n)\n"
        + "WHERE n <= " + SAMPLE + "\n"
        + "ORDER BY check_index, failing_key");
  }

  /**
   * A {@code sql} check inside the asset's statement: the rows of the user's query, keyed by its first column as
   * text ({@code columns}, how many it returns, names them all, since a query's columns need not have names).
   */
  private static String sqlFailing(CheckSpec check, int columns, String self) {
    String names = java.util.stream.IntStream.rangeClosed(1, columns).mapToObj(k -> "k" + k)
        .collect(Collectors.joining(", "));
    return "SELECT CAST(k1 AS varchar) AS failing_key\n"
        + "FROM (\n  " + Sql.indent(userQuery(check, self), 2) + "\n) AS f (" + names + ")";
  }

  /** The user's query with {@code {{ this }}} standing for {@code self}: the model's table, or its scoped rows. */
  private static String userQuery(CheckSpec check, String self) {
    return check.sql().replaceAll("\\{\\{\\s*this\\s*}}", java.util.regex.Matcher.quoteReplacement(self));
  }

  private static String userQuery(CheckSpec check) {
    return userQuery(check, ModelSql.table(check.asset()));
  }

  /**
   * A {@code sql} check's statement when it runs alone (its first column Trino cannot cast to text, so it cannot
   * join the asset's statement), and as {@code lakehouse checks --sql} prints it: the user's query with
   * {@code {{ this }}} replaced by the model's table, returning five of its rows and, as the last column, how many
   * rows it returns in all.
   */
  public String sqlQuery(CheckSpec check) {
    return "SELECT f.*, count(*) OVER () AS failing_rows\nFROM (\n  " + Sql.indent(userQuery(check), 2) + "\n) f\nLIMIT " + SAMPLE;
  }

  /** {@link #sqlQuery} over what {@code given} scopes: after a user model's incremental run, the rows it wrote. */
  public String sqlQuery(CheckSpec check, Optional<Batch> given) {
    Optional<WrittenData> written = scope(check.asset(), given).flatMap(Batch::written);
    if (written.isEmpty()) {
      return sqlQuery(check);
    }
    return "WITH scoped AS (\n  " + Sql.indent(WrittenRowsSql.scope(check.asset(), written.get()), 2) + "\n)\n"
        + "SELECT f.*, count(*) OVER () AS failing_rows\nFROM (\n  " + Sql.indent(userQuery(check, "scoped"), 2)
        + "\n) f\nLIMIT " + SAMPLE;
  }

  /** The label of the column that starts each query's columns in a {@link #probeQuery} of several checks. */
  public static final String PROBE_MARKER = "lakehouse probe";

  /**
   * A statement that returns no row, only the columns of the {@code sql} checks' queries: how many each returns,
   * and the first one's type (Trino plans a {@code LIMIT 0} as no rows, so nothing is read). For one check it is laid
   * out as {@link #sqlQuery}, so that Trino's line numbers in an error are those of running the check alone; for
   * several, each query's columns follow a column labelled {@link #PROBE_MARKER}, and one round trip learns them all.
   */
  public String probeQuery(List<CheckSpec> checks) {
    if (checks.size() == 1) {
      return "SELECT *\nFROM (\n  " + Sql.indent(userQuery(checks.get(0)), 2) + "\n) f\nLIMIT 0";
    }
    List<String> from = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      from.add("(SELECT " + i + ") AS p" + i + " (" + id(PROBE_MARKER) + "), (\n  "
          + Sql.indent(userQuery(checks.get(i)), 2) + "\n) AS c" + i);
    }
    return "SELECT *\nFROM " + String.join(",\n", from) + "\nLIMIT 0";
  }

  /**
   * The input ranges of the asset's latest successful materialization (one row, or none before its first): the
   * batch that on-demand checks and checks after a run that read nothing look at.
   */
  public static String latestBatchQuery(String asset) {
    return "SELECT input_ranges FROM " + OpsSql.TABLE + "\n"
        + "WHERE asset = " + Sql.string(asset) + " AND status = " + OpsSql.Status.SUCCEEDED.literal() + "\n"
        + "ORDER BY finished_at DESC\n"
        + "LIMIT 1";
  }

  /** The smallest source LSN of a batch's input rows (its LSN bound, as the run's plan computed it). */
  public String minLsnQuery(String asset, InputRange range) {
    return "SELECT min(" + ParsedSql.ORDERING_LSN + ") FROM " + new ModelSql(spec).model(asset).input() + "\nWHERE "
        + Sql.indent(range.predicate(), 2);
  }

  /** Every statement of a check run of {@code asset}, as {@code lakehouse checks --sql} prints it. */
  public String render(String asset, Optional<Batch> given) {
    Optional<Batch> batch = scope(asset, given);
    StringBuilder sb = new StringBuilder("-- checks of ").append(asset).append(" (")
        .append(batch.isEmpty() ? "whole table" : batch.get().written().map(w -> "rows written by snapshot "
            + w.snapshotId()).orElse("rows of the batch " + batch.get().range().toJson())).append(")\n");
    checks(asset).forEach(c -> sb.append("--   ").append(c.name()).append(" [").append(c.severity().label())
        .append("]\n"));
    query(asset, batch).ifPresent(q -> sb.append('\n').append(q).append(";\n"));
    checks(asset).stream().filter(c -> c.kind() == CheckKind.SQL)
        .forEach(c -> sb.append("\n-- ").append(c.name()).append('\n').append(sqlQuery(c)).append(";\n"));
    return sb.toString();
  }

  /** The failing rows of one check, as one column {@code failing_key} (varchar). */
  private String failing(Target target, CheckSpec c, Optional<Batch> batch) {
    List<String> cols = c.columns();
    String col = cols.isEmpty() ? null : id(cols.get(0));
    return switch (c.kind()) {
      case UNIQUE -> unique(target, cols, batch);
      case NOT_NULL -> "SELECT " + key(target.rowKey, null) + " AS failing_key FROM scoped WHERE " + col + " IS NULL";
      case ACCEPTED_VALUES -> "SELECT CAST(" + col + " AS varchar) AS failing_key FROM scoped\nWHERE " + col
          + " IS NOT NULL AND CAST(" + col + " AS varchar) NOT IN ("
          + c.values().stream().map(Sql::string).collect(Collectors.joining(", ")) + ")";
      case RELATIONSHIPS -> "SELECT CAST(s." + col + " AS varchar) AS failing_key\n"
          + "FROM scoped s\n"
          + "LEFT JOIN (SELECT DISTINCT " + id(c.field()) + " AS k FROM " + ModelSql.table(c.to()) + ") p ON p.k = s."
          + col + "\n"
          + "WHERE s." + col + " IS NOT NULL AND p.k IS NULL";
      case ROW_COUNT_MIN -> "SELECT CAST(n_rows AS varchar) || ' rows, fewer than " + c.min() + "' AS failing_key\n"
          + "FROM (SELECT count(*) AS n_rows FROM " + target.table + ")\n"
          + "WHERE n_rows < " + c.min();
      case FRESHNESS -> "SELECT coalesce('newest ' || CAST(max(" + col + ") AS varchar), 'no rows') AS failing_key\n"
          + "FROM " + target.table + "\n"
          + "HAVING max(" + col + ") IS NULL OR max(" + col + ") < current_timestamp - parse_duration("
          + Sql.string(c.maxLag().toSeconds() + "s") + ")";
      case SQL -> throw new IllegalArgumentException("sql checks run alone: " + c.name());
    };
  }

  /**
   * Values of {@code cols} that occur more than once (NULLs ignored, as in dbt). In scope: the whole table's rows
   * holding a key of the scoped rows, with the batch's LSN bound when the key holds {@code source_lsn} (a
   * duplicate of a new row carries its LSN).
   */
  private String unique(Target target, List<String> cols, Optional<Batch> batch) {
    String notNull = cols.stream().map(k -> "t." + id(k) + " IS NOT NULL").collect(Collectors.joining(" AND "));
    String groupBy = Sql.ids(cols, "t");
    if (batch.isEmpty()) {
      return "SELECT " + key(cols, "t") + " AS failing_key\n"
          + "FROM " + target.table + " t\n"
          + "WHERE " + notNull + "\n"
          + "GROUP BY " + groupBy + "\n"
          + "HAVING count(*) > 1";
    }
    String on = cols.stream().map(k -> "t." + id(k) + " = k." + id(k)).collect(Collectors.joining(" AND "));
    String bound = cols.contains("source_lsn") ? batch.get().lsnBound("t") : "";
    return "SELECT " + key(cols, "t") + " AS failing_key\n"
        + "FROM " + target.table + " t\n"
        + "JOIN (SELECT DISTINCT " + Sql.ids(cols, null) + " FROM scoped) k\n"
        + "  ON " + on + bound + "\n"
        + "GROUP BY " + groupBy + "\n"
        + "HAVING count(*) > 1";
  }

  /** One varchar of a row's key columns, {@code |}-separated (NULL shown as {@code NULL}). */
  private static String key(List<String> cols, String alias) {
    if (cols.isEmpty()) {
      return "'row'";
    }
    String q = alias == null ? "" : alias + ".";
    List<String> parts = cols.stream().map(k -> "coalesce(CAST(" + q + id(k) + " AS varchar), 'NULL')").toList();
    return parts.size() == 1 ? parts.get(0) : String.join(" || '|' || ", parts);
  }

  /**
   * A model's table, the columns that identify one of its rows in a sample, and what a run could have written.
   * {@code scope} returns the scoped rows' query for a batch (every row without one).
   */
  private record Target(String table, List<String> rowKey, java.util.function.Function<Batch, String> inBatch) {
    String scope(Optional<Batch> batch) {
      return batch.isEmpty() ? "SELECT * FROM " + table : inBatch.apply(batch.get());
    }
  }

  private Target target(String asset) {
    String table = ModelSql.table(asset);
    for (TableSpec t : spec.tables()) {
      if (ModelCatalog.parsedKey(t.name()).equals(asset)) {
        List<String> key = new ArrayList<>(t.primaryKey());
        key.add("source_lsn");
        // parsed rows carry the raw Kafka coordinates the batch is made of
        return new Target(table, key, b -> "SELECT * FROM " + table + "\nWHERE " + Sql.indent(b.filter(null), 2));
      }
    }
    for (HubSpec h : spec.hubs()) {
      if (ModelCatalog.vaultKey(h.name()).equals(asset)) {
        VaultSql.Hub m = new VaultSql.Hub(spec, h);
        return new Target(table, h.businessKey(), b -> byHashKey(table, m.hk,
            VaultHash.hashKey(h.businessKey().stream().map(Sql::id).toList()), h.table(), b));
      }
    }
    for (LinkSpec l : spec.links()) {
      if (ModelCatalog.vaultKey(l.name()).equals(asset)) {
        VaultSql.Link m = new VaultSql.Link(spec, l);
        return new Target(table, List.of(m.hk), b -> byHashKey(table, m.hk,
            VaultHash.hashKey(m.hubKeys.values().stream().map(Sql::id).toList()), l.table(), b));
      }
    }
    for (SatelliteSpec s : spec.satellites()) {
      if (ModelCatalog.vaultKey(s.name()).equals(asset)) {
        String hk = ModelCatalog.hashKeyColumn(s.parent());
        // every row the MERGE could have written carries an LSN of the batch
        return new Target(table, List.of(hk, "source_lsn"), b -> "SELECT * FROM " + table
            + (b.minLsn().isPresent() ? "\nWHERE source_lsn >= " + b.minLsn().getAsLong() : ""));
      }
    }
    Optional<UserModelSpec> user = spec.userModel(asset);
    if (user.isPresent()) {
      // no load batch: the rows its incremental run wrote (scope keeps a batch only when it says them)
      return new Target(table, userRowKey(user.get()), b -> WrittenRowsSql.scope(asset, b.written().orElseThrow()));
    }
    throw new IllegalArgumentException("'" + asset + "' is not a model of the spec; models are "
        + ModelCatalog.of(spec).keys());
  }

  /**
   * What identifies a user model's row in a sample: its {@code unique_key}, else a column with a {@code unique}
   * test, else nothing (each failing row shows as {@code row}).
   */
  private static List<String> userRowKey(UserModelSpec m) {
    if (!m.uniqueKey().isEmpty()) {
      return m.uniqueKey();
    }
    return m.checks().stream().filter(c -> c.kind() == CheckKind.UNIQUE).findFirst().map(CheckSpec::columns)
        .orElse(List.of());
  }

  /**
   * Whether {@code asset} is a user model: it has no load batch to look up; its checks read the rows its
   * incremental run wrote when told them ({@link Batch#written}), else its whole table.
   */
  public boolean isUserModel(String asset) {
    return spec.userModel(asset).isPresent();
  }

  /** What the checks of {@code asset} read given {@code batch}: a user model's only the rows a run wrote. */
  private Optional<Batch> scope(String asset, Optional<Batch> batch) {
    return isUserModel(asset) ? batch.filter(b -> b.written().isPresent()) : batch;
  }

  /** The rows of a hub or link whose hash key the batch computes: what its insert-only MERGE looked up. */
  private static String byHashKey(String table, String hk, String keyExpr, String sourceTable, Batch b) {
    return "SELECT * FROM " + table + "\n"
        + "WHERE " + id(hk) + " IN (\n"
        + "  SELECT " + keyExpr + "\n"
        + "  FROM " + VaultSql.parsedTable(sourceTable) + "\n"
        + "  WHERE " + Sql.indent(b.filter(null), 2) + "\n"
        + ")";
  }
}
