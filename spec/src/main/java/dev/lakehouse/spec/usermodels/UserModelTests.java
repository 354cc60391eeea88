package dev.lakehouse.spec.usermodels;

import dev.lakehouse.spec.CheckKind;
import dev.lakehouse.spec.CheckSeverity;
import dev.lakehouse.spec.CheckSpec;
import dev.lakehouse.spec.UserModelSpec.ColumnDoc;
import dev.lakehouse.spec.UserModelSpec.DataTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user model's {@code schema.yml} tests as asset checks (docs/models.md#checks), with dbt's meaning: the generic
 * tests {@code unique}, {@code not_null}, {@code accepted_values: {values: [...]}} and {@code relationships: {to:
 * ref('x'), field: y}} of a column (or of the model with {@code column_name}), {@code config: {severity: warn}}
 * and an optional {@code name}; and the two most used tests of the dbt_utils package, mapped onto the same checks:
 * {@code dbt_utils.unique_combination_of_columns: {combination_of_columns: [a, b]}} (unique over the columns) and
 * {@code dbt_utils.expression_is_true: {expression: "..."}} (a sql check for the rows where the expression is
 * false; under a column the expression follows the column's name, as in dbt_utils). Columns are not checked here: a user model's columns are known only once Trino
 * has run it, so a test on a column the model does not produce fails when it runs, saying so. Any other mistake
 * (an unknown test, a missing argument, an unknown ref) is one {@link Mistake} naming the yml file and the model.
 */
final class UserModelTests {
  static final Set<CheckKind> KINDS = Set.of(CheckKind.UNIQUE, CheckKind.NOT_NULL, CheckKind.ACCEPTED_VALUES,
      CheckKind.RELATIONSHIPS);
  private static final String UNIQUE_COMBINATION = "dbt_utils.unique_combination_of_columns";
  private static final String EXPRESSION_IS_TRUE = "dbt_utils.expression_is_true";
  private static final List<String> KIND_LABELS = List.of("unique", "not_null", "accepted_values", "relationships",
      UNIQUE_COMBINATION, EXPRESSION_IS_TRUE);
  private static final Set<String> COMMON_ARGS = Set.of("name", "config", "severity", "column_name");
  private static final Map<CheckKind, Set<String>> ARGS = Map.of(CheckKind.UNIQUE, Set.of(), CheckKind.NOT_NULL,
      Set.of(), CheckKind.ACCEPTED_VALUES, Set.of("values"), CheckKind.RELATIONSHIPS, Set.of("to", "field"));
  private static final Pattern REF = Pattern.compile("\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*");

  /** A test that cannot become a check: one line naming the file and the model. */
  static final class Mistake extends RuntimeException {
    Mistake(String message) {
      super(message, null, false, false);
    }
  }

  private UserModelTests() {}

  /**
   * The checks of {@code asset}, model-level tests first, then each column's in order. {@code resolve} turns a
   * ref's argument into an asset key, or throws a {@link Mistake} message tail ("names no asset; did you mean").
   */
  static List<CheckSpec> checks(String asset, String file, List<DataTest> modelTests, List<ColumnDoc> columns,
      Function<String, Optional<String>> resolve, Function<String, String> noAsset) {
    List<DataTest> all = new ArrayList<>(modelTests);
    columns.forEach(c -> all.addAll(c.tests()));
    List<CheckSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (DataTest t : all) {
      String where = file + ": model " + asset.substring(asset.indexOf('.') + 1)
          + t.column().map(c -> ", column " + c).orElse("") + ", test " + t.name() + ": ";
      CheckSpec check = check(asset, t, where, resolve, noAsset);
      if (!names.add(check.name())) {
        throw new Mistake(where + "a test named '" + check.name() + "' is already on " + asset
            + "; give this one a name: ...");
      }
      out.add(check);
    }
    return out;
  }

  private static CheckSpec check(String asset, DataTest t, String where, Function<String, Optional<String>> resolve,
      Function<String, String> noAsset) {
    Map<String, Object> args = new LinkedHashMap<>(t.arguments());
    if (args.remove("arguments") instanceof Map<?, ?> nested) { // dbt 1.10's spelling
      nested.forEach((k, v) -> args.put(String.valueOf(k), v));
    }
    if (t.name().equals(UNIQUE_COMBINATION) || t.name().equals(EXPRESSION_IS_TRUE)) {
      return dbtUtils(asset, t, args, where);
    }
    CheckKind kind = CheckKind.parse(t.name()).filter(KINDS::contains).orElseThrow(() -> new Mistake(where
        + "unknown test; supported: " + String.join(", ", KIND_LABELS) + near(t.name())));
    for (String k : args.keySet()) {
      if (!COMMON_ARGS.contains(k) && !ARGS.get(kind).contains(k)) {
        List<String> known = new ArrayList<>(ARGS.get(kind));
        known.addAll(List.of("name", "config"));
        throw new Mistake(where + "unknown argument '" + k + "' (known: " + String.join(", ", known) + ")");
      }
    }
    Optional<String> column = t.column().or(() -> Optional.ofNullable(args.get("column_name")).map(String::valueOf));
    if (column.isEmpty()) {
      throw new Mistake(where + "a model-level test needs column_name: <column>; or put it under the column");
    }
    List<String> values = List.of();
    String to = null;
    String field = null;
    if (kind == CheckKind.ACCEPTED_VALUES) {
      if (!(args.get("values") instanceof List<?> list) || list.isEmpty()) {
        throw new Mistake(where + "needs values: [a, b, ...]");
      }
      values = list.stream().map(String::valueOf).toList();
    } else if (kind == CheckKind.RELATIONSHIPS) {
      Matcher ref = REF.matcher(String.valueOf(args.getOrDefault("to", "")));
      if (!ref.matches()) {
        throw new Mistake(where + "needs to: ref('<model>') (got " + args.get("to") + ")");
      }
      to = resolve.apply(ref.group(1)).orElseThrow(() -> new Mistake(where + "to: " + ref.group(0).strip() + " "
          + noAsset.apply(ref.group(1))));
      field = String.valueOf(args.getOrDefault("field", column.get()));
    }
    String name = args.containsKey("name") ? String.valueOf(args.get("name"))
        : CheckSpec.defaultName(kind, List.of(column.get()), to == null ? null : to.substring(to.indexOf('.') + 1));
    return new CheckSpec(asset, name, kind, severity(args, where), List.of(column.get()), values, to, field, 0, null,
        null);
  }

  /** The dbt_utils tests this project runs, as a unique or a sql check. */
  private static CheckSpec dbtUtils(String asset, DataTest t, Map<String, Object> args, String where) {
    boolean unique = t.name().equals(UNIQUE_COMBINATION);
    String required = unique ? "combination_of_columns" : "expression";
    for (String k : args.keySet()) {
      if (!COMMON_ARGS.contains(k) && !k.equals(required)) {
        throw new Mistake(where + "unknown argument '" + k + "' (known: " + required + ", name, config)");
      }
    }
    CheckSeverity severity = severity(args, where);
    if (unique) {
      if (!(args.get(required) instanceof List<?> list) || list.isEmpty()) {
        throw new Mistake(where + "needs combination_of_columns: [a, b, ...]");
      }
      List<String> columns = list.stream().map(String::valueOf).toList();
      String name = args.containsKey("name") ? String.valueOf(args.get("name"))
          : CheckSpec.defaultName(CheckKind.UNIQUE, columns, null);
      return new CheckSpec(asset, name, CheckKind.UNIQUE, severity, columns, List.of(), null, null, 0, null, null);
    }
    Object expression = args.get(required);
    if (expression == null || String.valueOf(expression).isBlank()) {
      throw new Mistake(where + "needs expression: \"<a SQL condition every row meets>\"");
    }
    Optional<String> column = t.column().or(() -> Optional.ofNullable(args.get("column_name")).map(String::valueOf));
    String condition = column.map(c -> c + " ").orElse("") + String.valueOf(expression).strip();
    String name = args.containsKey("name") ? String.valueOf(args.get("name")) : "expression_is_true " + condition;
    // rows where the condition is false fail; NULL (unknown) does not, as in dbt_utils
    return new CheckSpec(asset, name, CheckKind.SQL, severity, List.of(), List.of(), null, null, 0, null,
        "SELECT * FROM {{ this }} WHERE NOT (" + condition + ")");
  }

  /** {@code config: {severity: warn}} (or {@code severity:} beside the arguments, as older dbt wrote it). */
  private static CheckSeverity severity(Map<String, Object> args, String where) {
    Object severity = args.get("severity");
    if (args.containsKey("config")) {
      if (!(args.get("config") instanceof Map<?, ?> config)) {
        throw new Mistake(where + "config must be a map such as {severity: warn}");
      }
      for (Object k : config.keySet()) {
        if (!"severity".equals(k)) {
          throw new Mistake(where + "config " + k + " is not supported; supported: severity");
        }
      }
      severity = config.containsKey("severity") ? config.get("severity") : severity;
    }
    if (severity == null) {
      return CheckSeverity.ERROR;
    }
    String s = String.valueOf(severity);
    return CheckSeverity.parse(s.toLowerCase(Locale.ROOT))
        .orElseThrow(() -> new Mistake(where + "severity '" + s + "' is neither error nor warn"));
  }

  private static String near(String name) {
    List<String> near = Suggestions.near(name, KIND_LABELS);
    return near.isEmpty() ? "" : "; did you mean: " + String.join(", ", near);
  }
}
