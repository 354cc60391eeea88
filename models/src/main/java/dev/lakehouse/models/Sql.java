package dev.lakehouse.models;

import dev.lakehouse.spec.ColumnSpec;
import dev.lakehouse.spec.ColumnType;
import java.util.List;
import java.util.stream.Collectors;

/** Small helpers for writing Trino SQL text: quoting, literals, spec types to Trino types. */
public final class Sql {
  /** Every table lives in Trino's Iceberg catalog; names are fully qualified so printed SQL runs anywhere. */
  public static final String CATALOG = "iceberg";

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
    ColumnType t = c.type();
    return switch (t.kind()) {
      case UUID, VARCHAR, TEXT -> "varchar";
      case BOOLEAN -> "boolean";
      case INTEGER -> "integer";
      case BIGINT -> "bigint";
      case DOUBLE -> "double";
      case DATE -> "date";
      case TIMESTAMP -> "timestamp(6)";
      case DECIMAL -> "decimal(" + t.precision() + "," + t.scale() + ")";
    };
  }

  /**
   * The typed value of a column from its JSON scalar text {@code raw}, or NULL when it does not cast. Debezium
   * sends uuid as text, decimals as strings ({@code decimal.handling.mode=string}), dates as days since
   * 1970-01-01 and timestamps as microseconds since the epoch; ISO text is accepted as well.
   */
  static String typedValue(ColumnSpec c, String raw) {
    return switch (c.type().kind()) {
      case UUID -> "try(CAST(CAST(" + raw + " AS uuid) AS varchar))";
      case VARCHAR, TEXT -> raw;
      case DATE -> "coalesce(try(date_add('day', CAST(" + raw + " AS integer), DATE '1970-01-01')), try(CAST("
          + raw + " AS date)))";
      case TIMESTAMP -> "coalesce(try(CAST(from_unixtime_nanos(CAST(" + raw + " AS bigint) * 1000) AS timestamp(6))),"
          + " try(CAST(" + raw + " AS timestamp(6))))";
      case BOOLEAN, INTEGER, BIGINT, DOUBLE -> "try(CAST(" + raw + " AS " + trinoType(c) + "))";
      // A CAST to decimal(p, s) rounds extra fraction digits: a value that differs from itself read at the widest
      // scale that keeps the spec's integer digits (a source column whose scale grew) is no value of the spec's
      // type, so its row is quarantined instead of rounded.
      case DECIMAL -> "CASE WHEN try(CAST(" + raw + " AS decimal(38, " + (38 - (c.type().precision()
          - c.type().scale())) + "))) = try(CAST(" + raw + " AS " + trinoType(c) + ")) THEN try(CAST(" + raw + " AS "
          + trinoType(c) + ")) END";
    };
  }

  /** Indents every line after the first by {@code n} spaces. */
  static String indent(String text, int n) {
    return text.replace("\n", "\n" + " ".repeat(n));
  }
}
