package dev.lakehouse.activities.trino;

import static dev.lakehouse.activities.trino.SeedScenarioIT.assertSameTables;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.models.InputRange;
import dev.lakehouse.models.ModelSql;
import dev.lakehouse.models.ModelStatement;
import dev.lakehouse.models.OpsSql;
import dev.lakehouse.models.Plan;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A full refresh on real Trino (docs/models.md#a-run-incremental): each table rebuilt in one statement, the watermark
 * forgotten first only when the rebuild reads less than it covers, and a refresh that dies between its statements
 * repaired by the next run. That a rebuild gives the incremental path's rows is {@link PropertyIT}'s (random
 * workloads), {@link SnapshotReadsIT}'s and {@link IncrementalIT}'s.
 */
class FullRefreshIT {
  static final String PARSED_USERS = IncrementalIT.PARSED_USERS;
  Harness h;

  @BeforeEach
  void reset() throws Exception {
    h = new Harness(ItStack.spec());
    h.reset();
  }

  /**
   * A full refresh that reaches the watermark writes no {@code reset} row; one that dies between its statements
   * (here: every model's own table rebuilt from rows above its watermark, but not a parse model's rejects, which run
   * beside it, nor a satellite's state, which comes after it; no record) leaves the old watermark, which stays
   * valid: the next incremental run (and the state it leaves, which a later run reads) and a retried full refresh
   * give the oracle's tables. The rebuilt tables have the shape (columns, types, properties) of the DDL's.
   */
  @Test
  void aFullRefreshThatDiesBetweenItsStatementsIsRepairedByTheNextRun() throws Exception {
    List<RawEvent> events = Workloads.generate(7, 150);
    h.insert(events.subList(0, 60));
    h.runAll(false);
    Map<String, String> shapes = shapes();
    h.insert(events.subList(60, 120));
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      for (String m : h.models()) {
        ModelSql.Model model = h.sql.model(m);
        ModelPlanner.Start start = ModelPlanner.fromStart(model, st);
        assertThat(start.reaches(start.plan().batch().range())).as(m).isTrue();
        for (ModelStatement s : model.rebuild(start.plan().batch())) {
          if (s.role() == ModelStatement.Role.MODEL) {
            st.execute(s.sql());
          }
        }
      }
    }
    h.runAll(false);
    assertSameTables(h.readAll(), h.oracle.tables(events.subList(0, 120)));
    assertThat(h.runAll(false)).allSatisfy(r -> assertThat(r.rowsIn()).as(r.assetKey()).isZero());
    h.insert(events.subList(120, events.size()));
    h.runAll(false);
    assertSameTables(h.readAll(), h.oracle.tables(events));

    h.runAll(true);
    assertSameTables(h.readAll(), h.oracle.tables(events));
    assertThat(shapes()).isEqualTo(shapes);
    assertThat(h.count("ops.materializations WHERE status = 'reset'")).isZero();
    assertThat(h.count("ops.materializations WHERE full_refresh AND status = 'succeeded'"))
        .isEqualTo(h.models().size());
  }

  /**
   * A full refresh over {@code model-batch-max-rows} rebuilds from its first bounded batch, which reads less than
   * the watermark covers: it forgets the watermark first ({@code reset}), then MERGEs the other batches. Dying
   * right after the first rebuild leaves the next run reading everything; either way the tables are the oracle's.
   */
  @Test
  void aFullRefreshOverTheBatchLimitForgetsTheWatermarkFirst() throws Exception {
    List<RawEvent> events = Workloads.generate(11, 200);
    h.insert(events);
    h.runAll(false);
    ModelRunner small = new ModelRunner(new ModelSql(ItStack.spec(Map.of("lakehouse.worker.model-batch-max-rows",
        "40"))), h.trino, Clock.systemUTC());
    for (String m : h.models()) {
      small.materialize(m, "it-bounded-full", true);
    }
    assertSameTables(h.readAll(), h.oracle.tables(events));
    assertThat(h.count("ops.materializations WHERE status = 'reset' AND asset = '" + PARSED_USERS + "'")).isOne();
    assertThat(h.count("ops.materializations WHERE run_id = 'it-bounded-full' AND asset = '" + PARSED_USERS
        + "' AND status = 'succeeded'")).as("one record per bounded batch").isGreaterThan(1);
    assertThat(h.runAll(false)).allSatisfy(r -> assertThat(r.rowsIn()).as(r.assetKey()).isZero());

    // the same refresh dying after its reset row and the first batch's rebuild of the parsed users
    try (Connection c = h.trino.open(); Statement st = c.createStatement()) {
      ModelSql.Model model = h.sql.model(PARSED_USERS);
      Plan all = ModelPlanner.fromStart(model, st).plan();
      st.execute(OpsSql.insert(ModelStatement.Role.RESET, new OpsSql.Row(
          PARSED_USERS, "it-dead", OpsSql.Status.RESET, true,
          InputRange.empty(), 0, 0, 0, Instant.now(), Instant.now())).sql());
      Plan first = ModelPlanner.plan(model, all.batch().range().start(), all.bounded(40).orElseThrow(), st);
      for (ModelStatement s : model.rebuild(first.batch())) {
        st.execute(s.sql());
      }
    }
    assertThat(h.run(PARSED_USERS).rowsIn()).isEqualTo(events.stream().filter(e -> e.table().equals("users")).count());
    h.runAll(false);
    assertSameTables(h.readAll(), h.oracle.tables(events));
  }

  /** Per model table, its columns and types and its properties ({@code SHOW CREATE TABLE} without the location). */
  private Map<String, String> shapes() throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (String m : h.models()) {
      for (String t : h.sql.model(m).targets()) {
        String[] parts = t.split("\\.");
        out.put(t, h.query("SELECT column_name, data_type FROM iceberg.information_schema.columns WHERE table_schema = '"
            + parts[1] + "' AND table_name = '" + parts[2] + "' ORDER BY ordinal_position") + "\n"
            + h.query("SHOW CREATE TABLE " + t).get(0).get(0).lines().filter(l -> !l.contains("location"))
            .collect(Collectors.joining("\n")));
      }
    }
    return out;
  }
}
