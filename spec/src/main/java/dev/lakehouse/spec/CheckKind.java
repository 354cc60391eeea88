package dev.lakehouse.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a data check asserts (docs/models.md#checks). The first four are dbt's generic tests, with dbt's names, so
 * a {@code schema.yml} {@code tests:} entry maps onto a {@link CheckSpec} one to one.
 */
public enum CheckKind {
  /** no value (or combination of values, for several columns) occurs twice */
  UNIQUE,
  /** the column is never NULL */
  NOT_NULL,
  /** the column holds only the listed values (NULL passes, as in dbt) */
  ACCEPTED_VALUES,
  /** every non-NULL value of the column is present in {@code field} of the model {@code to} */
  RELATIONSHIPS,
  /** the table has at least {@code min} rows */
  ROW_COUNT_MIN,
  /** the newest value of a timestamp column is at most {@code max-lag} old */
  FRESHNESS,
  /** a query that returns the failing rows; {@code {{ this }}} stands for the model's table */
  SQL;

  /** The name in the spec and in {@code ops.asset_checks}: {@code not_null}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CheckKind> parse(String label) {
    return Arrays.stream(values()).filter(k -> k.label().equals(label)).findFirst();
  }

  /** {@code unique, not_null, ...} for messages. */
  public static String labels() {
    return Arrays.stream(values()).map(CheckKind::label).collect(Collectors.joining(", "));
  }

  /** Whether the kind is about given columns ({@code column} or {@code columns} in the spec). */
  public boolean needsColumns() {
    return this != ROW_COUNT_MIN && this != SQL;
  }
}
