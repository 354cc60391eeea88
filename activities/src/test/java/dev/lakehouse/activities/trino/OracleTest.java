package dev.lakehouse.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.spec.ColumnSpec;
import dev.lakehouse.spec.ColumnType;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.TableSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java oracle itself, on the seed scenario and on the cases the SQL must handle. */
class OracleTest {
  static final PipelineSpec SPEC = SpecLoader.load();
  final Oracle oracle = new Oracle(SPEC);

  @Test
  void seedScenarioGivesTheExpectedVault() {
    Map<String, List<List<String>>> tables = oracle.tables(SeedScenario.events());
    SeedScenario.expectedVault().forEach((table, rows) ->
        assertThat(tables.get(table)).as(table).containsExactlyInAnyOrderElementsOf(rows));
    assertThat(tables.get("parsed_data.parsed_users")).hasSize(5);
    assertThat(tables.get("parsed_data.parsed_accounts")).hasSize(3);
    assertThat(tables.get("parsed_data.rejected_users")).isEmpty();
  }

  @Test
  void aColumnAppendedToASatelliteChangesNoHashdiffWhileItIsNull() {
    List<String> before = List.of("bruce@wayne.com", "Bruce Wayne", "2024-01-01", "false");
    // the formula of a satellite whose last column is set is the plain one: stored hashdiffs do not change
    assertThat(Oracle.hashDiff(before)).isEqualTo(Oracle.md5(before));
    assertThat(Oracle.hashDiff(java.util.Arrays.asList("bruce@wayne.com", "Bruce Wayne", "2024-01-01", null, "false")))
        .isEqualTo(Oracle.hashDiff(before));
    assertThat(Oracle.hashDiff(java.util.Arrays.asList("bruce@wayne.com", "Bruce Wayne", "2024-01-01", " ", "false")))
        .isEqualTo(Oracle.hashDiff(before));
    assertThat(Oracle.hashDiff(List.of("bruce@wayne.com", "Bruce Wayne", "2024-01-01", "+1 555", "false")))
        .isNotEqualTo(Oracle.hashDiff(before));
    // a NULL inside the payload still counts, and an all-NULL payload keeps one part
    assertThat(Oracle.hashDiff(java.util.Arrays.asList("bruce@wayne.com", null, "2024-01-01", "false")))
        .isEqualTo(Oracle.md5(List.of("bruce@wayne.com", "^^", "2024-01-01", "false")));
    assertThat(Oracle.hashDiff(java.util.Arrays.asList(null, null, "true")))
        .isEqualTo(Oracle.md5(List.of("^^", "true")));
  }

  @Test
  void hashesFollowDesignSection8() {
    // normalised: trimmed, upper case, '^^' for null or empty, '||' between parts
    assertThat(Oracle.hashKey(List.of(" " + SeedScenario.BRUCE.toUpperCase() + " "))).isEqualTo(SeedScenario.H_BRUCE);
    assertThat(Oracle.hashKey(java.util.Arrays.asList(null, ""))).isEqualTo(Oracle.md5(List.of("^^", "^^")));
    // hashdiff is case-preserving
    assertThat(Oracle.hashDiff(List.of("A"))).isNotEqualTo(Oracle.hashDiff(List.of("a")));
  }

  @Test
  void redeliveredEventsAddNothing() {
    List<RawEvent> events = new ArrayList<>(SeedScenario.events());
    Map<String, List<List<String>>> once = oracle.tables(events);
    Instant later = SeedScenario.T0.plusSeconds(60);
    for (RawEvent e : SeedScenario.events()) {
      events.add(e.redelivered(e.offset() + 100, later));
    }
    Map<String, List<List<String>>> twice = oracle.tables(events);
    assertThat(twice).isEqualTo(once);
  }

  @Test
  void lateCommitWithSmallerLsnIsKept() {
    // T2 (LSN 500) commits and lands first; T1 (LSN 400, written earlier) commits later: both must be loaded
    RawEvent t2 = SeedScenario.event("users", 0, 5, "c", RawEvent.row("id", SeedScenario.CLARK, "email", "c@k.com",
        "name", "C", "created_at", 1));
    RawEvent t1 = SeedScenario.event("users", 1, 4, "c", RawEvent.row("id", SeedScenario.BRUCE, "email", "b@w.com",
        "name", "B", "created_at", 1));
    Map<String, List<List<String>>> tables = oracle.tables(List.of(t2, t1));
    assertThat(tables.get("data_vault.s_users")).hasSize(2);
    assertThat(tables.get("data_vault.h_users")).hasSize(2);
  }

  @Test
  void rejectsCarryTheirReason() {
    TableSpec accounts = SPEC.table("accounts").orElseThrow();
    Instant at = SeedScenario.T0;
    List<RawEvent> bad = List.of(
        new RawEvent("accounts", 0, 0, "c", "{\"id\": \"7c1e2a4b", 1L, 1L, 1L, at),
        new RawEvent("accounts", 0, 1, "c", RawEvent.image(RawEvent.row("currency", "EUR")), 2L, 1L, 1L, at),
        new RawEvent("accounts", 0, 2, "c", RawEvent.image(RawEvent.row("id", SeedScenario.ACCOUNT_BRUCE,
            "balance", "12,50")), 3L, 1L, 1L, at),
        new RawEvent("accounts", 0, 3, "t", "{}", 4L, 1L, 1L, at),
        new RawEvent("accounts", 0, 4, null, "garbage that was not an envelope", null, null, null, at));
    List<List<String>> rejects = new ArrayList<>();
    assertThat(oracle.parse(accounts, bad, rejects)).isEmpty();
    assertThat(rejects).extracting(r -> r.get(0)).containsExactly("malformed JSON", "missing key: id",
        "bad value for balance (decimal(15,2))", "unknown op: t", "not a Debezium change event (no op)");
  }

  @Test
  void castsLikeTrino() {
    var dec = new ColumnSpec("b", ColumnType.decimal(15, 2));
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("3000", "3000.00");
    cases.put("1001.255", null); // more fraction digits than the scale: quarantined, never rounded
    cases.put("1001.2500", "1001.25"); // trailing zeros lose nothing
    cases.put("abc", null);
    cases.put("12345678901234.00", null); // 14 integer digits > 13
    cases.forEach((in, out) -> assertThat(Oracle.cast(dec, in)).as(in).isEqualTo(out));
    var date = new ColumnSpec("d", ColumnType.of(ColumnType.Kind.DATE));
    assertThat(Oracle.cast(date, "20781")).isEqualTo("2026-11-24");
    assertThat(Oracle.cast(date, "2026-11-24")).isEqualTo("2026-11-24");
    var uuid = new ColumnSpec("u", ColumnType.of(ColumnType.Kind.UUID));
    assertThat(Oracle.cast(uuid, SeedScenario.BRUCE.toUpperCase())).isEqualTo(SeedScenario.BRUCE);
    assertThat(Oracle.cast(uuid, "not-a-uuid")).isNull();
    // a timestamp (without time zone): Debezium's microseconds since the epoch, or ISO text, printed as Trino does
    var ts = new ColumnSpec("t", ColumnType.of(ColumnType.Kind.TIMESTAMP));
    assertThat(Oracle.cast(ts, "1795996800123456")).isEqualTo("2026-11-30 00:00:00.123456");
    assertThat(Oracle.cast(ts, "1795996800000000")).isEqualTo("2026-11-30 00:00:00.000000");
    assertThat(Oracle.cast(ts, "2026-11-30T00:00:00.123456")).isEqualTo("2026-11-30 00:00:00.123456");
    assertThat(Oracle.cast(ts, "yesterday")).isNull();
  }
}
