package dev.lakehouse.reliability.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.reliability.workload.Change;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.spec.SpecSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparator on the oracle's own tables, with one defect planted at a time. */
class ComparisonTest {
  static final PipelineSpec SPEC = SpecLoader.load();
  static final List<String> PARSED_USERS = List.of("id", "email", "name", "created_at", "op", "is_deleted",
      "source_lsn", "source_tx_id", "effective_from", "kafka_partition", "kafka_offset", "load_ts");
  static final List<String> S_USERS = List.of("h_users_hk", "hashdiff", "email", "name", "created_at", "is_deleted",
      "effective_from", "source_lsn", "load_ts", "record_source");
  static final String ANN = "0b0e7c4e-6d1f-4c57-9a53-5f3b1f5c8a01";

  static List<Change> changes() {
    Instant t = Instant.parse("2026-11-26T00:00:00Z");
    return List.of(
        new Change("users", "c", user("ann@bank.test", "Ann"), 700, 1, 0, t),
        new Change("users", "u", user("ann@bank.test", "Ann B"), 701, 2, 0, t),
        new Change("users", "u", user("ann@bank.test", "Ann B"), 702, 3, 0, t), // changes nothing carried
        new Change("users", "d", user("ann@bank.test", "Ann B"), 703, 4, 0, t));
  }

  static Map<String, Object> user(String email, String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", ANN);
    m.put("email", email);
    m.put("name", name);
    m.put("created_at", 20_000);
    return m;
  }

  /** The expected tables as the lakehouse would hold them (other Kafka offsets and load times than the oracle's). */
  static Map<String, Table> asLakehouse(Map<String, List<List<String>>> expected) {
    Map<String, Table> out = new LinkedHashMap<>();
    out.put("parsed_data.parsed_users", new Table("parsed_data.parsed_users", PARSED_USERS,
        shifted(expected.get("parsed_data.parsed_users"), PARSED_USERS)));
    out.put("data_vault.s_users", new Table("data_vault.s_users", S_USERS,
        shifted(expected.get("data_vault.s_users"), S_USERS)));
    return out;
  }

  static List<List<String>> shifted(List<List<String>> rows, List<String> cols) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> r : rows) {
      List<String> c = new ArrayList<>(r);
      for (String run : List.of("kafka_offset", "load_ts", "source_lsn")) {
        int i = cols.indexOf(run);
        if (i >= 0) {
          c.set(i, String.valueOf(Long.parseLong(c.get(i)) * 3 + 17)); // other values, same order
        }
      }
      out.add(c);
    }
    return out;
  }

  static Map<String, List<List<String>>> expected() {
    Map<String, List<List<String>>> all = Expected.tables(SPEC, changes());
    Map<String, List<List<String>>> two = new LinkedHashMap<>();
    two.put("parsed_data.parsed_users", all.get("parsed_data.parsed_users"));
    two.put("data_vault.s_users", all.get("data_vault.s_users"));
    return two;
  }

  @Test
  void theSameTablesWithOtherRunColumnsAreExact() {
    Map<String, List<List<String>>> expected = expected();
    assertThat(expected.get("parsed_data.parsed_users")).hasSize(4);
    assertThat(expected.get("data_vault.s_users")).hasSize(3); // the no-op update adds no satellite row
    Comparison c = Comparison.of(SPEC, expected, asLakehouse(expected));
    assertThat(c.exact()).as(c.describe(10)).isTrue();
  }

  @Test
  void aDuplicatedALostAndADifferentRowAreEachCounted() {
    Map<String, List<List<String>>> expected = expected();
    Map<String, Table> actual = asLakehouse(expected);
    List<List<String>> parsed = new ArrayList<>(actual.get("parsed_data.parsed_users").rows());
    parsed.add(new ArrayList<>(parsed.get(0))); // re-delivered and kept twice
    parsed.remove(3); // the delete lost
    List<List<String>> sat = new ArrayList<>(actual.get("data_vault.s_users").rows());
    List<String> renamed = new ArrayList<>(sat.get(1));
    renamed.set(S_USERS.indexOf("name"), "Ann C");
    sat.set(1, renamed);
    actual.put("parsed_data.parsed_users", new Table("parsed_data.parsed_users", PARSED_USERS, parsed));
    actual.put("data_vault.s_users", new Table("data_vault.s_users", S_USERS, sat));

    Comparison c = Comparison.of(SPEC, expected, actual);
    String diff = c.describe(10);
    assertThat(c.exact()).isFalse();
    assertThat(c.duplicated()).as(diff).isEqualTo(1);
    assertThat(c.lost()).as(diff).isEqualTo(2); // the delete, and the satellite row that differs
    assertThat(c.extra()).as(diff).isZero();
    assertThat(diff).contains("parsed_data.parsed_users", "1 missing, 0 extra, 0 different, 1 duplicated",
        "- missing " + ANN + " | ann@bank.test | Ann B | 2024-10-04 | d | true | 703",
        "data_vault.s_users", "0 missing, 0 extra, 1 different, 0 duplicated", "Ann C");
  }

  /**
   * An incremental snapshot's chunk that read Ann after her insert was streamed sends her again as op r, without
   * a transaction id or LSN: kept in the parsed table by design, so not extra. A read of a state she never had is.
   */
  @Test
  void aSnapshotReadRestatingAStreamedChangeIsNotExtraButAReadOfAnotherStateIs() {
    Map<String, List<List<String>>> expected = expected();
    Map<String, Table> actual = asLakehouse(expected);
    List<List<String>> parsed = new ArrayList<>(actual.get("parsed_data.parsed_users").rows());
    List<String> read = new ArrayList<>(parsed.get(0)); // the insert's row: Ann
    read.set(PARSED_USERS.indexOf("op"), "r");
    read.set(PARSED_USERS.indexOf("source_tx_id"), null);
    read.set(PARSED_USERS.indexOf("source_lsn"), "0");
    read.set(PARSED_USERS.indexOf("kafka_offset"), "9999");
    parsed.add(read);
    actual.put("parsed_data.parsed_users", new Table("parsed_data.parsed_users", PARSED_USERS, parsed));
    Comparison c = Comparison.of(SPEC, expected, actual);
    assertThat(c.exact()).as(c.describe(10)).isTrue();
    assertThat(c.restatedReads()).isEqualTo(1);
    assertThat(c.describe(10)).contains("(and 1 snapshot reads restating a streamed change)");

    List<String> other = new ArrayList<>(read);
    other.set(PARSED_USERS.indexOf("name"), "Ann Z"); // a state no streamed change left
    parsed.set(parsed.size() - 1, other);
    actual.put("parsed_data.parsed_users", new Table("parsed_data.parsed_users", PARSED_USERS, parsed));
    Comparison wrong = Comparison.of(SPEC, expected, actual);
    assertThat(wrong.exact()).isFalse();
    assertThat(wrong.extra()).as(wrong.describe(10)).isEqualTo(1);
    assertThat(wrong.restatedReads()).isZero();
  }

  @Test
  void aSatelliteHistoryInTheWrongOrderIsADifference() {
    Map<String, List<List<String>>> expected = expected();
    Map<String, Table> actual = asLakehouse(expected);
    List<List<String>> sat = new ArrayList<>();
    int lsn = S_USERS.indexOf("source_lsn");
    for (List<String> r : actual.get("data_vault.s_users").rows()) {
      List<String> c = new ArrayList<>(r);
      c.set(lsn, String.valueOf(-Long.parseLong(c.get(lsn)))); // the history reversed
      sat.add(c);
    }
    actual.put("data_vault.s_users", new Table("data_vault.s_users", S_USERS, sat));
    Comparison c = Comparison.of(SPEC, expected, actual);
    assertThat(c.exact()).isFalse();
    assertThat(c.tables().get(1).different()).hasSize(2); // first and last swapped, the middle one stays
  }

  /**
   * After {@code lakehouse apply} of the transactions example, {@code phone} is stored after the metadata columns of
   * the tables that existed (iceberg's addColumn); the oracle has it with the spec's columns. Compared by name.
   */
  @Test
  void aColumnAddedByApplyIsComparedByNameNotPosition() {
    PipelineSpec example = SpecLoader.load(SpecSource.file(Path.of("../examples/transactions/transactions.conf")
        .toAbsolutePath().normalize()), Map.of(), Map.of());
    Map<String, List<List<String>>> all = Expected.tables(example, changes());
    List<String> parsedCols = new ArrayList<>(PARSED_USERS);
    parsedCols.add(parsedCols.indexOf("op"), "phone");
    List<String> satCols = new ArrayList<>(S_USERS);
    satCols.add(satCols.indexOf("is_deleted"), "phone");
    Map<String, List<List<String>>> expected = new LinkedHashMap<>();
    expected.put("parsed_data.parsed_users", all.get("parsed_data.parsed_users"));
    expected.put("data_vault.s_users", all.get("data_vault.s_users"));
    Map<String, Table> actual = new LinkedHashMap<>();
    actual.put("parsed_data.parsed_users", phoneLast("parsed_data.parsed_users", parsedCols,
        shifted(expected.get("parsed_data.parsed_users"), parsedCols)));
    actual.put("data_vault.s_users", phoneLast("data_vault.s_users", satCols,
        shifted(expected.get("data_vault.s_users"), satCols)));
    Comparison c = Comparison.of(example, expected, actual);
    assertThat(c.exact()).as(c.describe(10)).isTrue();

    Table s = actual.get("data_vault.s_users");
    List<List<String>> rows = new ArrayList<>(s.rows());
    List<String> withPhone = new ArrayList<>(rows.get(0));
    withPhone.set(s.column("phone"), "+41 00");
    rows.set(0, withPhone);
    actual.put("data_vault.s_users", new Table(s.name(), s.columns(), rows));
    Comparison planted = Comparison.of(example, expected, actual);
    assertThat(planted.exact()).isFalse();
    assertThat(planted.lost()).as(planted.describe(10)).isEqualTo(1);
  }

  /** The table as iceberg stores it after addColumn: {@code phone} moved to the end. */
  static Table phoneLast(String name, List<String> cols, List<List<String>> rows) {
    int i = cols.indexOf("phone");
    List<String> stored = new ArrayList<>(cols);
    stored.add(stored.remove(i));
    List<List<String>> out = new ArrayList<>();
    for (List<String> r : rows) {
      List<String> c = new ArrayList<>(r);
      c.add(c.remove(i));
      out.add(c);
    }
    return new Table(name, stored, out);
  }
}
