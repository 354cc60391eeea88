package dev.lakehouse.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads {@code lakehouse.checks} (optional): declared checks of generated models, keyed by asset key, either quoted
 * ({@code "data_vault.s_users" = [...]}) or nested by schema ({@code data_vault { s_users = [...] }}). Each entry is
 * validated against the model's columns ({@link ModelCatalog}), so a check on a column that does not exist fails
 * at load, naming the columns there are.
 */
final class CheckReader {
  static final String BLOCK = "checks";
  private static final Set<String> KEYS = Set.of("kind", "name", "severity", "column", "columns", "values", "to",
      "field", "min", "max-lag", "sql");

  private final SpecValues in;

  CheckReader(SpecValues in) {
    this.in = in;
  }

  List<CheckSpec> read(ModelCatalog catalog) {
    if (!in.has(BLOCK)) {
      return List.of();
    }
    ConfigValue block = in.value(BLOCK);
    if (block.valueType() != ConfigValueType.OBJECT) {
      in.problem(BLOCK, "must be an object keyed by model, e.g. \"data_vault.s_users\" = [{ kind = not_null, column = email }]");
      return List.of();
    }
    // flatten both spellings into asset key -> list, sorted
    Map<String, ConfigValue> byAsset = new TreeMap<>();
    ((ConfigObject) block).forEach((k, v) -> {
      if (v.valueType() == ConfigValueType.OBJECT) {
        ((ConfigObject) v).forEach((m, list) -> byAsset.put(k + "." + m, list));
      } else {
        byAsset.put(k, v);
      }
    });
    List<CheckSpec> out = new ArrayList<>();
    byAsset.forEach((asset, value) -> {
      String path = BLOCK + ".\"" + asset + "\"";
      if (catalog.columns(asset).isEmpty()) {
        in.problem(path, "unknown model '" + asset + "'" + SpecValues.known(catalog.keys()));
        return;
      }
      if (value.valueType() != ConfigValueType.LIST) {
        in.problem(path, "must be a list of checks, e.g. [{ kind = not_null, column = email }]");
        return;
      }
      Set<String> names = new HashSet<>();
      catalog.builtIn(asset).forEach(c -> names.add(c.name()));
      ConfigList list = (ConfigList) value;
      for (int i = 0; i < list.size(); i++) {
        String p = path + "[" + i + "]";
        if (list.get(i).valueType() != ConfigValueType.OBJECT) {
          in.problem(p, "must be an object such as { kind = unique, column = id }");
          continue;
        }
        CheckSpec check = check(catalog, asset, ((ConfigObject) list.get(i)).toConfig(), p);
        if (check != null && !names.add(check.name())) {
          in.problem(p, "a check named '" + check.name() + "' already exists on " + asset
              + " (built-in or declared); give this one a name = ...");
        } else if (check != null) {
          out.add(check);
        }
      }
    });
    return out;
  }

  private CheckSpec check(ModelCatalog catalog, String asset, Config c, String p) {
    int problems = in.problems().size();
    for (String key : c.root().keySet()) {
      if (!KEYS.contains(key)) {
        in.problem(p + "." + key, "unknown key (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
      }
    }
    String kindText = in.subString(c, p, "kind");
    CheckKind kind = CheckKind.parse(kindText).orElse(null);
    if (kind == null) {
      if (!kindText.isEmpty()) {
        in.problem(p + ".kind", "unknown check kind '" + kindText + "' (" + CheckKind.labels() + ")");
      }
      return null;
    }
    CheckSeverity severity = CheckSeverity.ERROR;
    if (c.hasPath("severity")) {
      String s = in.subString(c, p, "severity");
      severity = CheckSeverity.parse(s).orElse(CheckSeverity.ERROR);
      if (CheckSeverity.parse(s).isEmpty()) {
        in.problem(p + ".severity", "'" + s + "' is neither error nor warn");
      }
    }
    List<String> columns = columns(c, p);
    List<String> known = catalog.columns(asset).orElseThrow();
    if (kind.needsColumns() && columns.isEmpty()) {
      in.problem(p, kind.label() + " needs column = <name>" + (kind == CheckKind.UNIQUE ? " or columns = [...]" : ""));
    } else if (!kind.needsColumns() && !columns.isEmpty()) {
      in.problem(p + ".column", kind.label() + " takes no column");
    } else if (kind != CheckKind.UNIQUE && columns.size() > 1) {
      in.problem(p + ".columns", kind.label() + " takes one column");
    }
    for (String col : columns) {
      if (!known.contains(col)) {
        in.problem(p + ".column", "unknown column '" + col + "' in " + asset + SpecValues.known(known));
      }
    }
    List<String> values = List.of();
    String to = null;
    String field = null;
    long min = 0;
    Duration maxLag = null;
    String sql = null;
    switch (kind) {
      case ACCEPTED_VALUES -> {
        values = strings(c, p, "values");
        if (values.isEmpty()) {
          in.problem(p + ".values", "accepted_values needs a non-empty list of values");
        }
      }
      case RELATIONSHIPS -> {
        String target = in.subString(c, p, "to");
        to = target.contains(".") ? target : catalog.keys().stream()
            .filter(k -> k.endsWith("." + target)).findFirst().orElse(target);
        field = c.hasPath("field") ? in.subString(c, p, "field") : columns.isEmpty() ? "" : columns.get(0);
        List<String> targetColumns = catalog.columns(to).orElse(null);
        if (!target.isEmpty() && targetColumns == null) {
          in.problem(p + ".to", "unknown model '" + target + "'" + SpecValues.known(catalog.keys()));
        } else if (targetColumns != null && !targetColumns.contains(field)) {
          in.problem(p + ".field", "unknown column '" + field + "' in " + to + SpecValues.known(targetColumns));
        }
      }
      case ROW_COUNT_MIN -> {
        min = c.hasPath("min") ? longValue(c, p + ".min") : -1;
        if (min < 0) {
          in.problem(p + ".min", "row_count_min needs min = <rows>, at least 0");
        }
      }
      case FRESHNESS -> {
        maxLag = durationValue(c, p + ".max-lag");
      }
      case SQL -> {
        sql = in.subString(c, p, "sql").strip();
        if (sql.endsWith(";")) {
          sql = sql.substring(0, sql.length() - 1);
        }
        if (!c.hasPath("name")) {
          in.problem(p + ".name", "a sql check needs a name (what it looks for, e.g. \"negative balance\")");
        }
      }
      default -> { }
    }
    String name = c.hasPath("name") ? in.subString(c, p, "name")
        : CheckSpec.defaultName(kind, columns, to == null ? null : to.substring(to.indexOf('.') + 1));
    if (in.problems().size() > problems) {
      return null;
    }
    return new CheckSpec(asset, name, kind, severity, columns, values, to, field, min, maxLag, sql);
  }

  private List<String> columns(Config c, String p) {
    if (c.hasPath("column") && c.hasPath("columns")) {
      in.problem(p, "give column or columns, not both");
    }
    if (c.hasPath("column")) {
      return List.of(in.subString(c, p, "column"));
    }
    return c.hasPath("columns") ? strings(c, p, "columns") : List.of();
  }

  private List<String> strings(Config c, String p, String key) {
    try {
      return c.hasPath(key) ? c.getStringList(key) : List.of();
    } catch (ConfigException e) {
      in.problem(p + "." + key, "must be a list of strings");
      return List.of();
    }
  }

  private long longValue(Config c, String path) {
    try {
      return c.getLong("min");
    } catch (ConfigException e) {
      in.problem(path, "must be a whole number");
      return 0;
    }
  }

  private Duration durationValue(Config c, String path) {
    try {
      Duration d = c.getDuration("max-lag");
      if (d.isNegative() || d.isZero()) {
        in.problem(path, "must be positive, got " + d);
      }
      return d;
    } catch (ConfigException.Missing e) {
      in.problem(path, "freshness needs max-lag = <duration>, e.g. 1h");
    } catch (ConfigException e) {
      in.problem(path, "not a duration (e.g. 30m, 1h, 2d)");
    }
    return Duration.ofHours(1);
  }
}
