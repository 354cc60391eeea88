package dev.lakehouse.activities.trino;

import static dev.lakehouse.activities.trino.RawEvent.row;
import static dev.lakehouse.activities.trino.SeedScenarioIT.assertSameTables;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.workflows.activities.AssetCheckResult;
import dev.lakehouse.workflows.activities.CheckRequest;
import dev.lakehouse.workflows.activities.MaterializeResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debezium's incremental snapshot (what {@code lakehouse apply} asks for a new table) sends its reads as
 * {@code op = r} without a source LSN or transaction id, interleaved with the streamed changes. By its watermarks a
 * read carries the key's state as of the streamed changes before it in Kafka. This test simulates a source table
 * and emits what Debezium would (streamed changes with increasing LSNs, reads with the key's state at the moment
 * they are emitted, a second snapshot of some keys) and checks on real Trino that the parse model and the satellite
 * end at the source's final state, with no duplicate row and every built-in check passing
 * (docs/models.md#snapshot-reads-without-an-lsn).
 */
class SnapshotReadsIT {
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  static final int PARTITIONS = 2;

  Harness h;
  /** The source table: id -> (email, name), absent once deleted. */
  final Map<String, List<String>> source = new LinkedHashMap<>();
  final List<RawEvent> events = new ArrayList<>();
  final Map<Integer, Long> nextOffset = new HashMap<>();
  long lsn = 30_000_000L;
  int tick;

  @BeforeEach
  void reset() throws Exception {
    h = new Harness(ItStack.spec());
    h.reset();
  }

  @Test
  void snapshotReadsAndStreamedChangesEndAtTheSourcesStateOnceEach() throws Exception {
    // rows that exist before the table is captured (their inserts were never streamed)
    for (String k : List.of("k1", "k2", "k3", "k5", "k6", "k7")) {
      source.put(id(k), List.of(k + "@old.com", k + " old"));
    }
    streamed("k3", "u", List.of("k3@new.com", "k3 old"));          // changed after capture, before its chunk is read
    streamed("k4", "c", List.of("k4@new.com", "k4 new"));  // inserted after capture
    streamed("k4", "u", List.of("k4@new.com", "k4 renamed"));
    streamed("k7", "d", null);                 // deleted before its chunk is read: no read at all
    read("k1");                                 // only ever read
    read("k2");
    read("k3");                                 // restates the streamed update
    read("k4");                                 // restates the streamed insert and update
    read("k5");
    read("k6");
    streamed("k2", "u", List.of("k2@old.com", "k2 updated"));  // after its read
    streamed("k5", "d", null);
    read("k6");                                 // a second snapshot of an unchanged row
    streamed("k6", "u", List.of("k6@old.com", "k6 updated"));
    read("k6");                                 // and a third, after the update
    read("k2");                                 // a second snapshot after an update
    streamed("k1", "u", List.of("k1@old.com", "k1 updated"));

    // incrementally, in batches that split the reads from the changes they restate or precede
    for (int from = 0; from < events.size(); from += 4) {
      h.insert(events.subList(from, Math.min(events.size(), from + 4)));
      for (MaterializeResult r : h.runAll(false)) {
        assertThat(r.rowsRejected()).as(r.assetKey()).isZero();
        assertChecksPass(r, false);
      }
    }
    Map<String, List<List<String>>> incremental = h.readAll();
    assertTheSourcesState();
    assertThat(h.read("data_vault.s_users")).as("one row per change the satellite keeps").hasSize(12);

    // every built-in check on whole tables, and the same tables from one batch (a full refresh) and the oracle
    for (MaterializeResult r : h.runAll(true)) {
      assertChecksPass(r, true);
    }
    assertSameTables(h.readAll(), incremental);
    assertSameTables(incremental, h.oracle.tables(events));
  }

  /** The satellite's latest row of each key is the source row (deleted keys: a deleted row), once per LSN. */
  private void assertTheSourcesState() throws Exception {
    List<List<String>> current = h.query("""
        SELECT p.id, s.email, s.name, CAST(s.is_deleted AS varchar)
        FROM (SELECT x.*, row_number() OVER (PARTITION BY h_users_hk ORDER BY source_lsn DESC) AS recency
              FROM iceberg.data_vault.s_users x) s
        JOIN iceberg.data_vault.h_users p ON p.h_users_hk = s.h_users_hk
        WHERE s.recency = 1""");
    List<List<String>> expected = new ArrayList<>();
    for (String k : List.of("k1", "k2", "k3", "k4", "k5", "k6", "k7")) {
      List<String> row = source.get(id(k));
      if (row != null) {
        expected.add(List.of(id(k), row.get(0), row.get(1), "false"));
      }
    }
    assertThat(current).filteredOn(r -> r.get(3).equals("false")).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(current).filteredOn(r -> r.get(3).equals("true")).extracting(r -> r.get(0))
        .containsExactlyInAnyOrder(id("k5"), id("k7"));
    assertThat(h.query("SELECT h_users_hk, source_lsn FROM iceberg.data_vault.s_users"
        + " GROUP BY h_users_hk, source_lsn HAVING count(*) > 1")).isEmpty();
    assertThat(h.query("SELECT id, source_lsn FROM iceberg.parsed_data.parsed_users"
        + " GROUP BY id, source_lsn HAVING count(*) > 1")).isEmpty();
    // no two consecutive satellite rows of a key carry the same values
    assertThat(h.query("""
        SELECT h_users_hk FROM (
          SELECT h_users_hk, hashdiff, lag(hashdiff) OVER (PARTITION BY h_users_hk ORDER BY source_lsn) AS previous
          FROM iceberg.data_vault.s_users)
        WHERE hashdiff = previous""")).isEmpty();
    // the k4 read after its insert and update wrote no row ahead of them: the insert is the key's first row
    assertThat(h.query("SELECT name, CAST(source_lsn AS varchar) FROM iceberg.data_vault.s_users s"
        + " JOIN iceberg.data_vault.h_users p ON p.h_users_hk = s.h_users_hk WHERE p.id = '" + id("k4") + "'"
        + " ORDER BY source_lsn")).extracting(r -> r.get(0)).containsExactly("k4 new", "k4 renamed");
  }

  private void assertChecksPass(MaterializeResult r, boolean wholeTable) throws Exception {
    if (!List.of("parsed_data.parsed_users", "data_vault.h_users", "data_vault.s_users").contains(r.assetKey())) {
      return;
    }
    List<AssetCheckResult> failed = UserModelsIT.checks(h, h.spec, r.assetKey(),
        CheckRequest.after("it-snapshot", wholeTable, r)).results().stream().filter(c -> !c.passed()).toList();
    assertThat(failed).as(r.assetKey()).isEmpty();
  }

  /** A streamed change: the next LSN; a delete carries the before-image. */
  private void streamed(String k, String op, List<String> after) {
    List<String> before = source.get(id(k));
    List<String> image = op.equals("d") ? before : after;
    if (op.equals("d")) {
      source.remove(id(k));
    } else {
      source.put(id(k), after);
    }
    lsn += 100;
    emit(k, op, image, lsn, lsn / 100);
  }

  /** A snapshot read: the key's state now (after every streamed change emitted before it), without LSN or tx id. */
  private void read(String k) {
    emit(k, "r", source.get(id(k)), null, null);
  }

  private void emit(String k, String op, List<String> values, Long eventLsn, Long txId) {
    int partition = Math.floorMod(id(k).hashCode(), PARTITIONS); // Debezium keys by primary key
    long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
    Instant at = T0.plusSeconds(++tick);
    events.add(new RawEvent("users", partition, offset, op, RawEvent.image(row("id", id(k), "email", values.get(0),
        "name", values.get(1), "created_at", 20_790)), eventLsn, txId, at.toEpochMilli(), at.plusMillis(500)));
  }

  private static String id(String k) {
    return UUID.nameUUIDFromBytes(k.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
  }
}
