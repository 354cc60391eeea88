package dev.lakehouse.models;

import dev.lakehouse.spec.ColumnSpec;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Small helpers for writing Trino SQL text: quoting, literals, spec types to Trino types. */
public final class Sql {
  /** Every table lives in Trino's Iceberg catalog; names are fully qualified so printed SQL runs anywhere. */
  public static final String CATALOG = "iceberg";

  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");

  private Sql() {}

  public static String table(String schema, String name) {
    return CATALOG + "." + schema + "." + name;
  }

  public static String id(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  static String ids(List<String> names, String qualifier) {
    return names.stream().map(n -> (qualifier == null ? "" : qualifier + ".") + id(n)).collect(Collectors.joining(", "));
  }

  public static String string(String value) {
    return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
  }

  /** The Trino type a spec column is stored as in parsed and vault tables. uuid stays varchar (canonical text). */
  static String trinoType(ColumnSpec c) {
    String t = c.type().toLowerCase(Locale.ROOT).trim();
    Matcher m = DECIMAL.matcher(t);
    if (m.matches()) {
      return "decimal(" + m.group(1) + "," + m.group(2) + ")";
    }
    return switch (t) {
      case "uuid", "varchar", "text" -> "varchar";
      case "boolean" -> "boolean";
      case "integer", "int" -> "integer";
      case "bigint" -> "bigint";
      case "double" -> "double";
      case "date" -> "date";
      case "timestamp" -> "timestamp(6)";
      default -> throw new IllegalArgumentException("column '" + c.name() + "' has type '" + c.type()
          + "' which the models cannot parse; use uuid, varchar, text, boolean, integer, bigint, double, date,"
          + " timestamp or decimal(p,s)");
    };
  }

  /**
   * The typed value of a column from its JSON scalar text {@code raw}, or NULL when it does not cast. Debezium
   * sends uuid as text, decimals as strings ({@code decimal.handling.mode=string}), dates as days since
   * 1970-01-01 and timestamps as microseconds since the epoch; ISO text is accepted as well.
   */
  static String typedValue(ColumnSpec c, String raw) {
    String type = trinoType(c);
    return switch (c.type().toLowerCase(Locale.ROOT).trim()) {
      case "uuid" -> "try(CAST(CAST(" + raw + " AS uuid) AS varchar))";
      case "varchar", "text" -> raw;
      case "date" -> "coalesce(try(date_add('day', CAST(" + raw + " AS integer), DATE '1970-01-01')), try(CAST("
          + raw + " AS date)))";
      case "timestamp" -> "coalesce(try(CAST(from_unixtime_nanos(CAST(" + raw + " AS bigint) * 1000) AS timestamp(6))),"
          + " try(CAST(" + raw + " AS timestamp(6))))";
      default -> "try(CAST(" + raw + " AS " + type + "))";
    };
  }

  /** Indents every line after the first by {@code n} spaces. */
  static String indent(String text, int n) {
    return text.replace("\n", "\n" + " ".repeat(n));
  }
}
