package dev.lakehouse.activities.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotSignalsTest {
  static Map.Entry<String, String> owed(String collection) {
    return new SimpleImmutableEntry<>(SnapshotSignals.PENDING_KEY, "{\"snapshot-owed\":\"" + collection + "\"}");
  }

  static Map.Entry<String, String> signal(String key, String id, String... collections) {
    return new SimpleImmutableEntry<>(key, "{\"id\":\"" + id + "\",\"type\":\"execute-snapshot\",\"data\":"
        + "{\"data-collections\":[\"" + String.join("\",\"", collections) + "\"],\"type\":\"incremental\"}}");
  }

  @Test
  void aTableMarkedAndNotSignalledSinceIsOwed() {
    assertThat(SnapshotSignals.pending("bank", "public", List.of(owed("public.transactions")), List.of()))
        .containsExactly("transactions");
  }

  @Test
  void aSignalAfterTheMarkPaysIt() {
    assertThat(SnapshotSignals.pending("bank", "public", List.of(owed("public.transactions"),
        signal("bank", "lakehouse-apply-r1-transactions", "public.transactions")), List.of())).isEmpty();
  }

  @Test
  void onlyASignalAfterTheLatestMarkCounts() {
    // removed and added back: the old signal does not pay the new mark
    assertThat(SnapshotSignals.pending("bank", "public", List.of(owed("public.transactions"),
        signal("bank", "a", "public.transactions"), owed("public.transactions")), List.of()))
        .containsExactly("transactions");
  }

  @Test
  void signalsOfAnotherConnectorOrKindAndForeignRecordsPayNothing() {
    assertThat(SnapshotSignals.pending("bank", "public", List.of(owed("public.transactions"), owed("public.fees"),
        signal("other", "x", "public.transactions"),
        new SimpleImmutableEntry<>("bank", "{\"id\":\"y\",\"type\":\"stop-snapshot\",\"data\":"
            + "{\"data-collections\":[\"public.transactions\"]}}"),
        new SimpleImmutableEntry<>("bank", "not json"),
        new SimpleImmutableEntry<>(null, null),
        signal("bank", "z", "public.fees")), List.of())).containsExactly("transactions");
  }

  static SnapshotScans.Scan scan(String id, String table, String status) {
    return new SnapshotScans.Scan(id, table, status, 3);
  }

  @Test
  void aTableWhoseEverySignalOfTheLatestRunWasSkippedIsOwedAgain() {
    List<Map.Entry<String, String>> records = List.of(owed("public.transactions"),
        signal("bank", "lakehouse-apply-r1-transactions", "public.transactions"),
        signal("bank", "lakehouse-apply-r1-transactions#2", "public.transactions"));
    assertThat(SnapshotSignals.pending("bank", "public", records,
        List.of(scan("lakehouse-apply-r1-transactions", "transactions", "SQL_EXCEPTION"))))
        .as("the second attempt runs").isEmpty();
    assertThat(SnapshotSignals.pending("bank", "public", records,
        List.of(scan("lakehouse-apply-r1-transactions", "transactions", "SQL_EXCEPTION"),
            scan("lakehouse-apply-r1-transactions#2", "transactions", "SQL_EXCEPTION"))))
        .as("both skipped").containsExactly("transactions");
    assertThat(SnapshotSignals.pending("bank", "public", records,
        List.of(scan("lakehouse-apply-r1-transactions", "transactions", "SQL_EXCEPTION"),
            scan("lakehouse-apply-r1-transactions#2", "transactions", "SUCCEEDED"))))
        .as("read at the second").isEmpty();
  }

  @Test
  void onlyTheLatestRunsScansCountAndOnlyForMarkedTables() {
    List<Map.Entry<String, String>> records = List.of(owed("public.transactions"),
        signal("bank", "lakehouse-apply-r1-transactions", "public.transactions"),
        signal("bank", "lakehouse-apply-r2-transactions", "public.transactions"),
        signal("bank", "manual-fees", "public.fees"));
    // r1 was skipped, r2 (the latest) runs; a skipped snapshot of a table never marked owes nothing
    assertThat(SnapshotSignals.pending("bank", "public", records,
        List.of(scan("lakehouse-apply-r1-transactions", "transactions", "SQL_EXCEPTION"),
            scan("manual-fees", "fees", "UNKNOWN_SCHEMA")))).isEmpty();
  }
}
