package dev.lakehouse.spec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A user SQL model: one {@code .sql} file of the user models directory ({@code lakehouse.user-models.path}), a
 * SELECT in dbt syntax (docs/models.md#user-models), compiled when the spec loads: its asset key
 * {@code <schema>.<name>}, its {@code config(...)}, the assets its {@code ref}/{@code source} calls name
 * ({@code upstream}, edges of the asset graph), and its docs from the {@code schema.yml} beside it. A model that
 * cannot be compiled (template error, unknown ref, cycle) is kept with its {@code problem}, one line naming the
 * file and line: it shows in {@code lakehouse assets} and its runs fail with that line, while every other model
 * still runs. {@code checks} are its {@code schema.yml} tests as asset checks (docs/models.md#checks).
 * {@code cron} ({@code config(cron='* * * * *')}): the model runs on that schedule of its own instead of in
 * every run its upstream models' changes start (docs/models.md#a-models-own-schedule).
 */
public record UserModelSpec(
    String key,
    String file,
    String template,
    Materialization materialized,
    List<String> uniqueKey,
    IncrementalStrategy strategy,
    Optional<String> cron,
    List<String> upstream,
    Optional<String> newRowsOf,
    String description,
    List<ColumnDoc> columns,
    List<DataTest> tests,
    List<CheckSpec> checks,
    Optional<String> problem) {

  public UserModelSpec {
    uniqueKey = List.copyOf(uniqueKey);
    upstream = List.copyOf(upstream);
    columns = List.copyOf(columns);
    tests = List.copyOf(tests);
    checks = List.copyOf(checks);
  }

  /** {@code config(materialized=...)}: dbt's materializations. */
  public enum Materialization {
    VIEW, TABLE, INCREMENTAL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code config(incremental_strategy=...)} of an incremental model. */
  public enum IncrementalStrategy {
    MERGE, APPEND;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A documented column of the model ({@code schema.yml}). */
  public record ColumnDoc(String name, String description, List<DataTest> tests) {
    public ColumnDoc {
      tests = List.copyOf(tests);
    }
  }

  /**
   * A data test declared in {@code schema.yml} ({@code tests:} of a model or a column, dbt's generic tests such
   * as {@code not_null}, {@code unique}, {@code accepted_values: {values: [...]}}), as written ({@link #column}
   * empty for a model-level test); {@link UserModelSpec#checks} are what runs.
   */
  public record DataTest(String name, Optional<String> column, java.util.Map<String, Object> arguments) {
    public DataTest {
      arguments = java.util.Map.copyOf(arguments);
    }
  }

  public String schema() {
    return key.substring(0, key.indexOf('.'));
  }

  public String name() {
    return key.substring(key.indexOf('.') + 1);
  }
}
