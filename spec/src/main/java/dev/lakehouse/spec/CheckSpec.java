package dev.lakehouse.spec;

import java.time.Duration;
import java.util.List;

/**
 * One data check of a model ({@code lakehouse.checks}, docs/models.md#checks), or a built-in one. Shaped like a dbt
 * test so a {@code schema.yml} entry maps onto it: {@code unique}/{@code not_null} on a column,
 * {@code accepted_values: {values: [...]}}, {@code relationships: {to: ref('m'), field: f}}, {@code config:
 * {severity: warn}}, a singular test as {@link CheckKind#SQL}.
 *
 * @param asset the model checked, an asset key ({@code data_vault.s_users})
 * @param name unique within the asset; shown in results ({@code not_null email})
 * @param columns the checked columns (one, or several for a combined {@code unique}); empty when the kind has none
 * @param values {@code accepted_values} only
 * @param to {@code relationships} only: the asset key of the referenced model
 * @param field {@code relationships} only: the referenced column of {@code to}
 * @param min {@code row_count_min} only
 * @param maxLag {@code freshness} only
 * @param sql {@code sql} only: returns the failing rows, {@code {{ this }}} names the model's table
 */
public record CheckSpec(String asset, String name, CheckKind kind, CheckSeverity severity, List<String> columns,
    List<String> values, String to, String field, long min, Duration maxLag, String sql) {
  public CheckSpec {
    columns = List.copyOf(columns);
    values = List.copyOf(values);
  }

  /** The name a check gets when the spec gives none: the kind and its columns ({@code unique h_users_hk, source_lsn}). */
  public static String defaultName(CheckKind kind, List<String> columns, String to) {
    String base = kind.label() + (columns.isEmpty() ? "" : " " + String.join(", ", columns));
    return kind == CheckKind.RELATIONSHIPS && to != null ? base + " → " + to : base;
  }

  public CheckSpec withSeverity(CheckSeverity other) {
    return new CheckSpec(asset, name, kind, other, columns, values, to, field, min, maxLag, sql);
  }

  public static CheckSpec unique(String asset, List<String> columns) {
    return new CheckSpec(asset, defaultName(CheckKind.UNIQUE, columns, null), CheckKind.UNIQUE, CheckSeverity.ERROR,
        columns, List.of(), null, null, 0, null, null);
  }

  /** {@code column} of {@code asset} must be present in {@code field} of {@code to}. */
  public static CheckSpec relationship(String asset, String column, String to, String field) {
    String toName = to.substring(to.indexOf('.') + 1);
    return new CheckSpec(asset, defaultName(CheckKind.RELATIONSHIPS, List.of(column), toName),
        CheckKind.RELATIONSHIPS, CheckSeverity.ERROR, List.of(column), List.of(), to, field, 0, null, null);
  }
}
