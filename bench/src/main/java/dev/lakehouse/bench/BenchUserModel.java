package dev.lakehouse.bench;

import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.usermodels.UserModelCompiler;
import dev.lakehouse.spec.usermodels.UserModelFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * The user model the incremental phase runs beside the generated ones (docs/benchmarks.md): an incremental
 * {@code merge} model over {@code data_vault.s_users} filtered with {@code new_rows}, with {@code schema.yml} tests
 * of every generic kind and an {@code expression_is_true}, so that a run's cost and its checks' share include a user
 * model's, whose checks read the rows its run wrote (docs/models.md#checks). It replaces the shipped marts, which
 * read accounts, which the phase does not generate.
 */
final class BenchUserModel {
  static final String KEY = "bench_marts.user_changes";

  private BenchUserModel() {}

  /** {@code spec} with this model as its only user model. */
  static PipelineSpec addTo(PipelineSpec spec) {
    List<UserModelFiles.File> files = List.of(new UserModelFiles.File("bench_marts/user_changes.sql", """
        {{ config(materialized='incremental', unique_key=['h_users_hk', 'source_lsn'], incremental_strategy='merge') }}
        select s.h_users_hk, s.source_lsn, s.email, s.name, s.is_deleted, s.effective_from
        from {{ ref('data_vault.s_users') }} s
        {% if is_incremental() %}
        where {{ new_rows('data_vault.s_users', 's') }}
        {% endif %}
        """));
    List<UserModelFiles.File> docs = List.of(new UserModelFiles.File("bench_marts/schema.yml", """
        version: 2
        models:
          - name: user_changes
            tests:
              - dbt_utils.unique_combination_of_columns: {combination_of_columns: [h_users_hk, source_lsn]}
              - dbt_utils.expression_is_true: {expression: "email LIKE '%@%'"}
            columns:
              - name: h_users_hk
                tests:
                  - not_null
                  - relationships: {to: ref('data_vault.h_users'), field: h_users_hk}
              - name: source_lsn
                tests: [not_null]
              - name: is_deleted
                tests:
                  - accepted_values: {values: ['true', 'false']}
        """));
    PipelineSpec generated = spec.withUserModels(List.of());
    return generated.withUserModels(new UserModelCompiler(generated).compile(
        new UserModelFiles(Path.of("transform"), files, docs)));
  }
}
