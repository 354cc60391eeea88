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
    assertThat(SnapshotSignals.pending("bank", "public", List.of(owed("public.transactions"))))
        .containsExactly("transactions");
  }

  @Test
  void aSignalAfterTheMarkPaysIt() {
    assertThat(SnapshotSignals.pending("bank", "public", List.of(owed("public.transactions"),
        signal("bank", "lakehouse-apply-r1-transactions", "public.transactions")))).isEmpty();
  }

  @Test
  void onlyASignalAfterTheLatestMarkCounts() {
    // removed and added back: the old signal does not pay the new mark
    assertThat(SnapshotSignals.pending("bank", "public", List.of(owed("public.transactions"),
        signal("bank", "a", "public.transactions"), owed("public.transactions")))).containsExactly("transactions");
  }

  @Test
  void signalsOfAnotherConnectorOrKindAndForeignRecordsPayNothing() {
    assertThat(SnapshotSignals.pending("bank", "public", List.of(owed("public.transactions"), owed("public.fees"),
        signal("other", "x", "public.transactions"),
        new SimpleImmutableEntry<>("bank", "{\"id\":\"y\",\"type\":\"stop-snapshot\",\"data\":"
            + "{\"data-collections\":[\"public.transactions\"]}}"),
        new SimpleImmutableEntry<>("bank", "not json"),
        new SimpleImmutableEntry<>(null, null),
        signal("bank", "z", "public.fees")))).containsExactly("transactions");
  }
}
