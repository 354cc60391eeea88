package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.spec.SpecLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TableCompactionTest {
  static final ModelSql SQL = new ModelSql(SpecLoader.load());
  static final String RAW = "iceberg.raw_data.users";
  static final String PARSED = "iceberg.parsed_data.parsed_users";
  static final String REJECTED = "iceberg.parsed_data.rejected_users";
  static final String OPS = "iceberg.ops.materializations";

  @Test
  void aTableIsDueAfterEveryCommitsAndClaimedByOneRunAtATime() {
    TableCompaction c = new TableCompaction(3, "128MB");
    c.committed(List.of(PARSED));
    c.committed(List.of(PARSED));
    assertThat(c.claim(List.of(PARSED))).isEmpty();
    c.committed(List.of(PARSED));
    List<TableCompaction.Claim> first = c.claim(List.of(PARSED));
    assertThat(first).containsExactly(new TableCompaction.Claim(PARSED, 3));
    c.committed(List.of(PARSED)); // a commit while it is compacted
    assertThat(c.claim(List.of(PARSED))).as("claimed by the first run").isEmpty();
    c.finished(first.get(0));
    assertThat(c.pending(PARSED)).as("the commit made meanwhile stays").isEqualTo(1);
    assertThat(c.claim(List.of(PARSED))).isEmpty();
  }

  @Test
  void aRunIsHandedOnlyTheTablesItMayRewrite() {
    TableCompaction c = new TableCompaction(1, "128MB");
    c.committed(List.of(PARSED, "iceberg.data_vault.s_users"));
    assertThat(c.claim(List.of(PARSED))).extracting(TableCompaction.Claim::table).containsExactly(PARSED);
    assertThat(c.pending("iceberg.data_vault.s_users")).isEqualTo(1);
  }

  @Test
  void offCountsNothingAndRunsNothing() {
    TableCompaction c = new TableCompaction(0, "128MB");
    c.committed(List.of(PARSED));
    assertThat(c.claim(List.of(PARSED))).isEmpty();
    List<ModelStatement> ran = new ArrayList<>();
    c.afterRun(SQL.model("parsed_data.parsed_users"), Set.of(PARSED), record(ran, false));
    assertThat(ran).isEmpty();
    assertThatThrownBy(() -> new TableCompaction(-1, "128MB")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aParseRunCompactsItsTablesItsRawInputAndTheOpsHistoryWhenDue() {
    TableCompaction c = new TableCompaction(2, "128MB");
    List<ModelStatement> ran = new ArrayList<>();
    ModelSql.Model parse = SQL.model("parsed_data.parsed_users");
    c.afterRun(parse, Set.of(PARSED), record(ran, false));
    assertThat(ran).isEmpty();
    c.committed(List.of(OPS)); // the record activity's row
    c.committed(List.of(OPS));
    c.afterRun(parse, Set.of(PARSED), record(ran, false));
    assertThat(ran).extracting(ModelStatement::sql).containsExactlyInAnyOrder(
        "ALTER TABLE iceberg.parsed_data.parsed_users EXECUTE optimize(file_size_threshold => '128MB')",
        "ALTER TABLE iceberg.ops.materializations EXECUTE optimize(file_size_threshold => '128MB')",
        "ALTER TABLE iceberg.raw_data.users EXECUTE optimize(file_size_threshold => '128MB')");
    assertThat(ran).allSatisfy(s -> assertThat(s.role()).isEqualTo(ModelStatement.Role.COMPACT));
    assertThat(c.pending(REJECTED)).as("no rejected rows written, no file added").isZero();
    assertThat(c.pending(PARSED)).isZero();
  }

  @Test
  void aVaultRunNeverRewritesItsInputWhichAnotherModelWrites() {
    TableCompaction c = new TableCompaction(1, "128MB");
    List<ModelStatement> ran = new ArrayList<>();
    c.committed(List.of(PARSED));
    c.afterRun(SQL.model("data_vault.s_users"), Set.of("iceberg.data_vault.s_users"), record(ran, false));
    assertThat(ran).extracting(ModelStatement::sql).containsExactly(
        "ALTER TABLE iceberg.data_vault.s_users EXECUTE optimize(file_size_threshold => '128MB')");
    assertThat(c.pending(PARSED)).isEqualTo(1);
  }

  @Test
  void aFailedCompactionIsNotTheRunsFailureAndIsTriedAgainAfterAsManyCommits() {
    TableCompaction c = new TableCompaction(1, "128MB");
    List<ModelStatement> ran = new ArrayList<>();
    ModelSql.Model hub = SQL.model("data_vault.h_users");
    c.afterRun(hub, Set.of("iceberg.data_vault.h_users"), record(ran, true));
    assertThat(ran).hasSize(1);
    assertThat(c.pending("iceberg.data_vault.h_users")).isZero();
    c.afterRun(hub, Set.of("iceberg.data_vault.h_users"), record(ran, false));
    assertThat(ran).hasSize(2);
  }

  @Test
  void aRunReturnsBeforeItsCompactionEndsAndTheModelsNextRunWaitsForIt() throws Exception {
    TableCompaction c = new TableCompaction(1, "128MB");
    ModelSql.Model sat = SQL.model("data_vault.s_users");
    String table = "iceberg.data_vault.s_users";
    CompletableFuture<Long> rewrite = new CompletableFuture<>();
    c.afterRun(sat, Set.of(table), s -> rewrite); // returns although the rewrite has not ended
    assertThat(c.awaitCompactions(List.of(PARSED))).as("another table: nothing to wait for").isZero();
    c.committed(List.of(table));
    assertThat(c.claim(List.of(table))).as("claimed while it runs").isEmpty();

    CompletableFuture<Long> nextRun = CompletableFuture.supplyAsync(() -> c.awaitCompactions(sat.targets()));
    Thread.sleep(200);
    assertThat(nextRun).as("the next run waits for the rewrite of its table").isNotDone();
    rewrite.completeExceptionally(new java.sql.SQLException("Failed to commit: conflict"));
    assertThat(nextRun.get(10, TimeUnit.SECONDS)).as("ms waited").isPositive();
    assertThat(c.pending(table)).as("the commit made meanwhile stays").isEqualTo(1);
    c.awaitAll();
  }

  private static Function<ModelStatement, CompletableFuture<Long>> record(List<ModelStatement> ran, boolean fail) {
    return s -> {
      ran.add(s);
      return fail ? CompletableFuture.failedFuture(new java.sql.SQLException("Failed to commit: conflict"))
          : CompletableFuture.completedFuture(0L);
    };
  }
}
