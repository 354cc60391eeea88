package dev.lakehouse.models;

import dev.lakehouse.models.ModelStatement.Role;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SatelliteSpec;
import dev.lakehouse.spec.UserModelSpec;
import dev.lakehouse.spec.UserModelSpec.IncrementalStrategy;
import dev.lakehouse.spec.UserModelSpec.Materialization;
import dev.lakehouse.spec.usermodels.ModelTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The statements of a user SQL model run (docs/models.md#user-models), from its template: pure, so
 * {@code lakehouse models sql} prints what the activity runs. {@code view}: CREATE OR REPLACE VIEW; {@code table}:
 * CREATE OR REPLACE TABLE ... AS (atomic: readers see the old or the new table); {@code incremental}: CREATE
 * TABLE ... AS on the first run or a full refresh, then a MERGE on {@code unique_key} (rows matched are updated)
 * or an INSERT ({@code append}) of the SELECT rendered with {@code is_incremental()} true.
 */
public final class UserModelSql {
  private final PipelineSpec spec;
  private final ModelTemplate template = new ModelTemplate();

  public UserModelSql(PipelineSpec spec) {
    this.spec = spec;
  }

  /**
   * What a run knows before it renders: whether the target exists, whether this is a full refresh, the range of
   * the {@code new_rows} upstream's input offsets loaded since the model's last run (null offline: every row),
   * and the target's columns (for the MERGE; empty offline).
   */
  public record Run(boolean targetExists, boolean fullRefresh, InputRange newRows, List<String> targetColumns) {
    public Run {
      targetColumns = List.copyOf(targetColumns);
    }

    public static Run offline(boolean fullRefresh) {
      return new Run(true, fullRefresh, null, List.of());
    }
  }

  public UserModelSpec model(String asset) {
    return spec.userModel(asset).orElseThrow(() -> new IllegalArgumentException("'" + asset
        + "' is not a user model"));
  }

  /** The relation a user model writes: {@code iceberg.marts.user_balances}. */
  public static String relation(UserModelSpec m) {
    return ModelSql.table(m.key());
  }

  /** {@code is_incremental()} of a run: dbt's meaning (incremental model, target exists, no full refresh). */
  public static boolean isIncremental(UserModelSpec m, Run run) {
    return m.materialized() == Materialization.INCREMENTAL && run.targetExists() && !run.fullRefresh();
  }

  /** The model's SELECT rendered for {@code run}; a model with a problem throws it (one line, file and line). */
  public String select(UserModelSpec m, Run run) {
    m.problem().ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    boolean incremental = isIncremental(m, run);
    String sql = template.render(m.file(), m.template(), relation(m), new ModelTemplate.Scope() {
      @Override
      public String ref(String model, int line) {
        return ModelSql.table(resolve(m, model));
      }

      @Override
      public String source(String schema, String table, int line) {
        return Sql.table(schema, table);
      }

      @Override
      public void config(Map<String, Object> values, int line) {}

      @Override
      public boolean isIncremental() {
        return incremental;
      }

      @Override
      public String newRows(String model, String alias, int line) {
        return newRowsPredicate(resolve(m, model), alias, run.newRows());
      }
    });
    return sql.strip();
  }

  /**
   * Where Trino's {@code line:column} in {@code statement} (one of {@link #statements} of {@code run}) is for the
   * reader: {@code marts/x.sql:3:8} when the line comes from one line of the file (its text, with each
   * {@code {{ ... }}} standing for what it rendered; the column only when it is before the first), else the line of the
   * SELECT as {@code lakehouse models sql} prints it; just the file when the position is outside the SELECT (the
   * MERGE around it).
   */
  public String position(UserModelSpec m, Run run, String statement, int line, int column) {
    String select = select(m, run);
    int indent = statement.contains(select) ? 0 : 2; // a MERGE indents its USING (...)
    int at = statement.indexOf(indent == 0 ? select : Sql.indent(select, indent));
    List<String> lines = select.lines().toList();
    int selectLine = at < 0 ? 0 : line - (int) statement.substring(0, at).chars().filter(c -> c == '\n').count();
    if (selectLine < 1 || selectLine > lines.size()) {
      return m.file();
    }
    String text = lines.get(selectLine - 1);
    List<String> template = m.template().lines().toList();
    int found = -1;
    for (int i = 0; i < template.size(); i++) {
      if (!template.get(i).contains("{%") && renders(template.get(i), text)) {
        if (found >= 0) {
          found = -2; // two lines could have given it: do not guess
          break;
        }
        found = i;
      }
    }
    if (found >= 0) {
      // the column holds up to the line's first {{ ... }}, which renders to other text
      String same = template.get(found).contains("{{") ? template.get(found).substring(0,
          template.get(found).indexOf("{{")) : template.get(found);
      boolean exact = text.startsWith(same) && column - indent <= same.length();
      return m.file() + ":" + (found + 1) + (exact ? ":" + (column - indent) : "");
    }
    return m.file() + ", line " + selectLine + ":" + (column - indent) + " of its SELECT as `lakehouse models sql "
        + m.key() + "` prints it";
  }

  /** Whether a template line, each {@code {{ ... }}} standing for any text, is {@code rendered} (indents aside). */
  private static boolean renders(String templateLine, String rendered) {
    String line = templateLine.strip();
    StringBuilder regex = new StringBuilder();
    int from = 0;
    for (int open = line.indexOf("{{"); open >= 0 && line.indexOf("}}", open) >= 0; open = line.indexOf("{{", from)) {
      regex.append(Pattern.quote(line.substring(from, open))).append(".*?");
      from = line.indexOf("}}", open) + 2;
    }
    regex.append(Pattern.quote(line.substring(from)));
    // a line of nothing but {{ ... }} (config, a macro on its own line) could be anything: it identifies nothing
    return !line.replaceAll("\\{\\{.*?}}", "").isBlank() && rendered.strip().matches(regex.toString());
  }

  /** The upstream key a ref names (by key, or by name alone when unique: compiled already). */
  private static String resolve(UserModelSpec m, String ref) {
    return m.upstream().stream().filter(k -> k.equals(ref) || k.substring(k.indexOf('.') + 1).equals(ref))
        .findFirst().orElseThrow(() -> new IllegalArgumentException(m.file() + ": ref('" + ref + "') was not compiled"));
  }

  /**
   * The rows of {@code upstream} loaded in {@code range} of its input offsets: a parsed table by its own Kafka
   * coordinates, a satellite by the LSNs of the parsed rows of the range (every satellite row comes from one).
   */
  String newRowsPredicate(String upstream, String alias, InputRange range) {
    String q = alias == null ? "" : alias + ".";
    if (range == null) {
      return "TRUE /* offline: a run reads the rows " + upstream + " loaded since this model's last run */";
    }
    if (upstream.startsWith(PipelineSpec.PARSED_SCHEMA + ".")) {
      return range.predicate(alias);
    }
    SatelliteSpec sat = spec.satellite(upstream.substring(upstream.indexOf('.') + 1)).orElseThrow(
        () -> new IllegalArgumentException("new_rows('" + upstream + "'): not a parsed table or a satellite"));
    return q + "source_lsn IN (\n    SELECT source_lsn FROM " + VaultSql.parsedTable(sat.table()) + "\n    WHERE "
        + range.predicate() + ")";
  }

  /** The input whose offsets {@code new_rows} ranges over: the upstream itself (parsed) or its parsed table. */
  public String newRowsInput(UserModelSpec m) {
    String up = m.newRowsOf().orElseThrow();
    return up.startsWith(PipelineSpec.PARSED_SCHEMA + ".") ? ModelSql.table(up)
        : VaultSql.parsedTable(spec.satellite(up.substring(up.indexOf('.') + 1)).orElseThrow().table());
  }

  /** Every statement of a run, in order (the runner adds the ops rows). */
  public List<ModelStatement> statements(UserModelSpec m, Run run) {
    String select = select(m, run);
    String target = relation(m);
    List<ModelStatement> out = new ArrayList<>();
    out.add(new ModelStatement(Role.DDL, "CREATE SCHEMA IF NOT EXISTS " + Sql.CATALOG + "." + m.schema()));
    switch (m.materialized()) {
      case VIEW -> out.add(new ModelStatement(Role.MODEL, "CREATE OR REPLACE VIEW " + target + " AS\n" + select));
      case TABLE -> out.add(new ModelStatement(Role.MODEL, "CREATE OR REPLACE TABLE " + target + " AS\n" + select));
      case INCREMENTAL -> {
        if (!isIncremental(m, run)) {
          out.add(new ModelStatement(Role.MODEL, "CREATE OR REPLACE TABLE " + target + " AS\n" + select));
        } else if (m.strategy() == IncrementalStrategy.APPEND) {
          out.add(new ModelStatement(Role.MODEL, "INSERT INTO " + target + "\n" + select));
        } else {
          out.add(new ModelStatement(Role.MODEL, merge(m, target, select, run.targetColumns())));
        }
      }
      default -> throw new IllegalStateException(m.materialized().toString());
    }
    return out;
  }

  private static String merge(UserModelSpec m, String target, String select, List<String> columns) {
    List<String> cols = columns.isEmpty() ? List.of("<each column of " + target + ">") : columns;
    String on = m.uniqueKey().stream().map(k -> "t." + Sql.id(k) + " = s." + Sql.id(k))
        .collect(Collectors.joining(" AND "));
    List<String> updates = cols.stream().filter(c -> !m.uniqueKey().contains(c))
        .map(c -> Sql.id(c) + " = s." + Sql.id(c)).toList();
    return "MERGE INTO " + target + " t\nUSING (\n  " + Sql.indent(select, 2) + "\n) s\nON " + on + "\n"
        + (updates.isEmpty() ? "" : "WHEN MATCHED THEN UPDATE SET " + String.join(", ", updates) + "\n")
        + "WHEN NOT MATCHED THEN INSERT (" + cols.stream().map(Sql::id).collect(Collectors.joining(", "))
        + ")\nVALUES (" + cols.stream().map(c -> "s." + Sql.id(c)).collect(Collectors.joining(", ")) + ")";
  }

  /** The SQL of a run as {@code lakehouse models sql} prints it (like {@code dbt compile}). */
  public String render(String asset, Run run) {
    UserModelSpec m = model(asset);
    StringBuilder sb = new StringBuilder();
    sb.append("-- user model ").append(asset).append(" (").append(m.file()).append(", ")
        .append(m.materialized().label());
    if (m.materialized() == Materialization.INCREMENTAL) {
      sb.append(' ').append(m.strategy().label()).append(m.uniqueKey().isEmpty() ? ""
          : " on " + String.join(", ", m.uniqueKey()));
    }
    sb.append(isIncremental(m, run) ? ", is_incremental() true" : run.fullRefresh() ? ", full refresh" : "")
        .append(")\n");
    if (!m.description().isEmpty()) {
      sb.append("-- ").append(m.description()).append('\n');
    }
    List<ModelStatement> all = statements(m, run);
    sb.append(all.stream().map(s -> "\n-- [" + s.role().name().toLowerCase(java.util.Locale.ROOT) + "]\n" + s.sql()
        + ";").collect(Collectors.joining("\n")));
    sb.append("\n\n-- [record]\n-- INSERT INTO ").append(OpsSql.TABLE).append(" ... status ")
        .append(OpsSql.Status.SUCCEEDED.literal())
        .append(m.newRowsOf().isPresent() ? ", input_ranges = the offsets of " + newRowsInput(m)
            + " loaded so far (the watermark of new_rows)" : "").append('\n');
    return sb.toString();
  }
}
