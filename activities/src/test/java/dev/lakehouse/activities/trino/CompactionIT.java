package dev.lakehouse.activities.trino;

import static dev.lakehouse.activities.trino.RawEvent.row;
import static dev.lakehouse.activities.trino.SeedScenarioIT.assertSameTables;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A generated model's run compacts the tables it adds files to once this runner has committed
 * {@code lakehouse.worker.model-compact-every} files to them (docs/models.md#compaction), on real Trino: the file
 * counts stay bounded over many small runs, and the tables still equal the oracle, every run reading only what
 * came after the last.
 */
class CompactionIT {
  static final int EVERY = 2;
  static final int RUNS = 8;

  @Test
  void manySmallRunsKeepFewFilesAndTheSameRows() throws Exception {
    Harness h = new Harness(ItStack.spec(Map.of("lakehouse.worker.model-compact-every", String.valueOf(EVERY))));
    h.reset();
    List<RawEvent> all = new ArrayList<>(SeedScenario.events());
    h.insert(all);
    h.runAll(false);
    for (int i = 0; i < RUNS; i++) {
      // one change of Bruce per run: a file in raw, parsed_users, s_users and s_users_state, a record per model
      RawEvent change = SeedScenario.event("users", 5 + i, 9 + i, "u", row("id", SeedScenario.BRUCE, "email",
          "bruce@wayne.com", "name", "Bruce Wayne " + i, "created_at", SeedScenario.CREATED));
      h.insert(List.of(change));
      all.add(change);
      assertThat(h.run("parsed_data.parsed_users").rowsIn()).as("run %d reads only its change", i).isEqualTo(1);
      h.run("data_vault.h_users");
      assertThat(h.run("data_vault.s_users").rowsOut()).isEqualTo(1);
    }
    assertSameTables(h.readAll(), h.oracle.tables(all));
    h.runner.awaitCompactions(); // the last runs' compactions end after the runs

    for (String table : List.of("raw_data.users", "parsed_data.parsed_users", "data_vault.s_users",
        "data_vault.s_users_state")) {
      assertThat(compactions(h, table)).as("optimize snapshots of %s", table).isGreaterThanOrEqualTo(RUNS / EVERY - 1);
      assertThat(files(h, table)).as("live files of %s after %d commits", table, RUNS + 1)
          .isLessThanOrEqualTo(EVERY + 1);
    }
    // a record per model run, compacted by whichever run finds it due; partitioned by asset, so a file per model
    // at least (without compaction: one per run of each model, 31)
    assertThat(compactions(h, "ops.materializations")).isPositive();
    assertThat(files(h, "ops.materializations")).as("live files of ops.materializations")
        .isLessThanOrEqualTo(h.models().size() + EVERY);
  }

  private static long files(Harness h, String table) throws Exception {
    String[] p = table.split("\\.");
    return Long.parseLong(h.query("SELECT count(*) FROM iceberg." + p[0] + ".\"" + p[1] + "$files\"").get(0).get(0));
  }

  private static long compactions(Harness h, String table) throws Exception {
    String[] p = table.split("\\.");
    return Long.parseLong(h.query("SELECT count(*) FROM iceberg." + p[0] + ".\"" + p[1] + "$snapshots\""
        + " WHERE operation = 'replace'").get(0).get(0));
  }
}
