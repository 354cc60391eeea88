package dev.lakehouse.models;

import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.spec.HubSpec;
import dev.lakehouse.spec.LinkSpec;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.TableSpec;
import dev.lakehouse.workflows.assets.AssetGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Generates every statement of a model run from the spec, with no database: the model's DDL, the load for a
 * {@link Batch}, the full refresh's rebuild, the input queries. Pure, so {@code lakehouse models sql <asset>} prints
 * exactly what the activity runs ({@link #render}), and golden tests pin it.
 */
public final class ModelSql {
  /** How every generated model creates its tables; a full refresh replaces them instead ({@link #replacedBy}). */
  private static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS ";
  private final PipelineSpec spec;

  public ModelSql(PipelineSpec spec) {
    this.spec = spec;
  }

  /** The spec the SQL comes from (user models render through {@link UserModelSql} over the same spec). */
  public PipelineSpec spec() {
    return spec;
  }

  /** One model: what it reads, what it writes, its SQL. */
  public interface Model {
    String asset();

    /** The table the model reads by Kafka offset ({@code raw_data.users} or {@code parsed_data.parsed_users}). */
    String input();

    /** The tables the model owns (replaced by a full refresh). */
    List<String> targets();

    /** Every relation its DDL creates (targets, views, ops table): when all exist, a run skips the DDL. */
    List<String> relations();

    List<ModelStatement> ddl();

    List<ModelStatement> load(Batch batch);

    /**
     * A full refresh of the batch (every input row, or the first bounded cut of them): each of the model's tables
     * replaced by the rows its incremental statements would write into empty tables, one {@code CREATE OR REPLACE
     * TABLE ... AS} each ({@link #replacedBy}), in the order the runner runs them; roles as {@link #load}'s.
     */
    List<ModelStatement> rebuild(Batch batch);
  }

  /** The model behind an asset key, or a configuration error naming the known models. */
  public Model model(String asset) {
    return find(asset).orElseThrow(() -> new IllegalArgumentException("'" + asset + "' is not a model of the spec;"
        + " models are " + modelKeys() + (spec.userModels().isEmpty() ? "" : " and the user models "
        + spec.userModels().stream().map(dev.lakehouse.spec.UserModelSpec::key).toList())));
  }

  public List<String> modelKeys() {
    List<String> keys = new ArrayList<>();
    spec.tables().forEach(t -> keys.add(AssetGraph.parsedKey(t.name())));
    spec.hubs().forEach(h -> keys.add(AssetGraph.vaultKey(h.name())));
    spec.links().forEach(l -> keys.add(AssetGraph.vaultKey(l.name())));
    spec.satellites().forEach(s -> keys.add(AssetGraph.vaultKey(s.name())));
    return keys;
  }

  private Optional<Model> find(String asset) {
    for (TableSpec t : spec.tables()) {
      if (AssetGraph.parsedKey(t.name()).equals(asset)) {
        ParsedSql p = new ParsedSql(t);
        return Optional.of(model(asset, p.input(), p.targets(), p.targets(), p::ddl, p::load, p::rebuild));
      }
    }
    for (HubSpec h : spec.hubs()) {
      if (AssetGraph.vaultKey(h.name()).equals(asset)) {
        VaultSql.Hub m = new VaultSql.Hub(spec, h);
        return Optional.of(model(asset, VaultSql.parsedTable(h.table()), List.of(m.target), List.of(m.target), m::ddl,
            m::load, m::rebuild));
      }
    }
    for (LinkSpec l : spec.links()) {
      if (AssetGraph.vaultKey(l.name()).equals(asset)) {
        VaultSql.Link m = new VaultSql.Link(spec, l);
        return Optional.of(model(asset, VaultSql.parsedTable(l.table()), List.of(m.target), List.of(m.target), m::ddl,
            m::load, m::rebuild));
      }
    }
    for (SatelliteSpec s : spec.satellites()) {
      if (AssetGraph.vaultKey(s.name()).equals(asset)) {
        SatelliteSql m = new SatelliteSql(spec, s);
        return Optional.of(model(asset, VaultSql.parsedTable(s.table()), m.targets(), m.relations(), m::ddl,
            m::load, m::rebuild));
      }
    }
    return Optional.empty();
  }

  private static Model model(String asset, String input, List<String> targets, List<String> relations,
      java.util.function.Supplier<List<ModelStatement>> ddl, java.util.function.Function<Batch, List<ModelStatement>> load,
      java.util.function.Function<Batch, List<ModelStatement>> rebuild) {
    return new Model() {
      @Override
      public String asset() {
        return asset;
      }

      @Override
      public String input() {
        return input;
      }

      @Override
      public List<String> targets() {
        return targets;
      }

      @Override
      public List<String> relations() {
        List<String> all = new ArrayList<>(relations);
        all.add(OpsSql.TABLE);
        return all;
      }

      @Override
      public List<ModelStatement> ddl() {
        List<ModelStatement> all = new ArrayList<>(OpsSql.ddl());
        all.addAll(ddl.get());
        return all;
      }

      @Override
      public List<ModelStatement> load(Batch batch) {
        return load.apply(batch);
      }

      @Override
      public List<ModelStatement> rebuild(Batch batch) {
        return rebuild.apply(batch);
      }
    };
  }

  /** The fully qualified name of an asset's table: {@code raw_data.users} is {@code iceberg.raw_data.users}. */
  public static String table(String assetKey) {
    return Sql.CATALOG + "." + assetKey;
  }

  /**
   * {@code table} replaced by {@code rows} in one statement: {@code CREATE OR REPLACE TABLE ... AS}, with the
   * properties and, through a CAST of every column, the shape of the table's {@code CREATE TABLE} in {@code ddl}
   * (a CTAS types its columns by the query: a string literal would be a {@code varchar(n)}), so a rebuilt table is
   * the table an incremental run writes. The table's earlier snapshots stay until they expire, as after any write.
   */
  static ModelStatement replacedBy(List<ModelStatement> ddl, String table, Role role, String rows) {
    String head = CREATE_TABLE + table + " (\n";
    String create = ddl.stream().map(ModelStatement::sql).filter(s -> s.startsWith(head)).findFirst()
        .orElseThrow(() -> new IllegalStateException(table + ": every table a generated model writes is created by a"
            + " plain CREATE TABLE of its DDL; none found"));
    int end = create.indexOf("\n)", head.length());
    String properties = create.substring(end + 2).strip();
    List<String> casts = new ArrayList<>();
    for (String line : create.substring(head.length(), end).split("\n")) {
      String def = line.strip();
      def = def.endsWith(",") ? def.substring(0, def.length() - 1) : def;
      // a column is `name type`: the name quoted (it may hold a space) or a plain word
      int split = def.startsWith("\"") ? def.indexOf('"', 1) + 1 : def.indexOf(' ');
      String name = def.substring(0, split);
      casts.add("CAST(" + name + " AS " + def.substring(split).strip() + ") AS " + name);
    }
    return new ModelStatement(role, "CREATE OR REPLACE TABLE " + table + "\n"
        + properties + "\n"
        + "AS\n"
        + "SELECT " + String.join(",\n  ", casts) + "\n"
        + "FROM (\n"
        + "  " + Sql.indent(rows, 2) + "\n"
        + ")");
  }

  /**
   * Per partition of the model's input, over the rows above {@code watermark}: (partition, max offset, row count,
   * smallest ordering LSN: a snapshot read without LSN counts as 0, as the parse model writes it). The upper end of
   * the next run and its batch statistics in one round trip.
   */
  public static String pendingQuery(Model model, java.util.Map<Integer, Long> watermark) {
    return pendingQueryOver(InputRange.newRows(watermark, PENDING_ROW, model.input()));
  }

  /**
   * {@link #pendingQuery}'s four columns over exactly {@code range}: the plan of a batch cut to a bounded size
   * ({@link Plan#bounded}).
   */
  public static String pendingQuery(Model model, InputRange range) {
    return pendingQueryOver("SELECT " + PENDING_ROW + " FROM " + model.input() + " WHERE " + range.predicate());
  }

  /** What {@link #pendingQuery} aggregates of each input row. */
  private static final String PENDING_ROW = "kafka_partition, kafka_offset, " + ParsedSql.ORDERING_LSN + " AS ordering_lsn";

  /** Per partition of {@code rows} ({@link #PENDING_ROW}): highest offset, count, smallest ordering LSN. */
  private static String pendingQueryOver(String rows) {
    return "SELECT kafka_partition, max(kafka_offset), count(*), min(ordering_lsn)\n"
        + "FROM (\n  " + Sql.indent(rows, 2) + "\n)\n"
        + "GROUP BY kafka_partition";
  }

  /**
   * {@link #pendingQuery} above a watermark the runner expects (the one it last wrote), and the model's actual
   * watermark row ({@link OpsSql#watermarkQuery}) in the same query: one round trip instead of two. Rows: column 1
   * {@code 'pending'} with the four columns of {@link #pendingQuery} in columns 2-5, or {@code 'watermark'} with
   * {@code input_ranges} in column 6 (no such row for a model never run). The pending rows count only when the
   * actual watermark is the expected one; otherwise the runner plans again from the actual one, so the
   * speculation never changes a range (docs/models.md#a-run-incremental).
   */
  public static String planQuery(Model model, java.util.Map<Integer, Long> expectedWatermark) {
    return "SELECT 'pending' AS kind, kafka_partition, max(kafka_offset), count(*), min(ordering_lsn),"
        + " CAST(NULL AS varchar)\n"
        + "FROM (\n  " + Sql.indent(InputRange.newRows(expectedWatermark, PENDING_ROW, model.input()), 2) + "\n)\n"
        + "GROUP BY kafka_partition\n"
        + "UNION ALL\n"
        + "SELECT 'watermark', NULL, NULL, NULL, NULL, input_ranges\n"
        + "FROM (\n  " + Sql.indent(OpsSql.watermarkQuery(model.asset()), 2) + "\n)";
  }

  /** Rows (schema, name) of every table and view in the schemas of {@code relations}. */
  public static String existingRelationsQuery(List<String> relations) {
    String schemas = relations.stream().map(r -> Sql.string(r.split("\\.")[1])).distinct().sorted()
        .collect(Collectors.joining(", "));
    return "SELECT table_schema, table_name FROM " + Sql.CATALOG + ".information_schema.tables"
        + " WHERE table_schema IN (" + schemas + ")";
  }

  /**
   * The SQL of a run as text, as {@code lakehouse models sql <asset>} prints it. With {@code batch} =
   * {@link Batch#all()} (offline: no watermark known) the input filter reads every row; at run time the
   * activity puts the Kafka offset range above the watermark there and records it in ops.materializations.
   */
  public String render(String asset, Batch batch, boolean fullRefresh) {
    Model m = model(asset);
    StringBuilder sb = new StringBuilder();
    sb.append("-- model ").append(asset).append(" (").append(fullRefresh ? "full refresh" : "incremental")
        .append("), input ").append(m.input()).append('\n');
    sb.append("-- input rows: ").append(batch.range() == null
        ? "every row (printed offline; a run reads the Kafka offsets above its watermark, see ops.materializations)"
        : batch.range().toJson()).append('\n');
    List<ModelStatement> all = new ArrayList<>();
    if (fullRefresh) {
      all.add(new ModelStatement(Role.RESET, "-- INSERT INTO " + OpsSql.TABLE + " ... status "
          + OpsSql.Status.RESET.literal() + " (watermark forgotten), only when the rebuild reads less than the"
          + " watermark covers (a bounded batch, a recreated topic)"));
      all.addAll(m.rebuild(batch));
    } else {
      all.addAll(m.ddl());
      all.addAll(m.load(batch));
    }
    all.add(new ModelStatement(Role.RECORD, "-- INSERT INTO " + OpsSql.TABLE + " ... status "
        + OpsSql.Status.SUCCEEDED.literal() + ", input_ranges = "
        + "the batch's offsets (the new watermark), row counts"));
    sb.append(all.stream().map(s -> "\n-- [" + s.role().name().toLowerCase(java.util.Locale.ROOT) + "]\n"
        + (s.sql().startsWith("--") ? s.sql() : s.sql() + ";")).collect(Collectors.joining("\n")));
    return sb.append('\n').toString();
  }
}
