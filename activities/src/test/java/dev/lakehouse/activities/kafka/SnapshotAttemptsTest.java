package dev.lakehouse.activities.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.activities.kafka.SnapshotAttempts.State;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotAttemptsTest {
  private static final String RUN = "lakehouse-apply-r1-";

  private static SnapshotSignals.Signal signal(String id, String... tables) {
    return new SnapshotSignals.Signal(id, List.of(tables));
  }

  private static SnapshotScans.Scan scan(String id, String table, String status) {
    return new SnapshotScans.Scan(id, table, status, 7);
  }

  @Test
  void aSignalWithoutAReportRuns() {
    SnapshotAttempts a = SnapshotAttempts.of("transactions", RUN, List.of(signal(RUN + "transactions",
        "transactions")), List.of());
    assertThat(a.state()).isEqualTo(State.RUNNING);
    assertThat(a.attempts()).isEqualTo(1);
  }

  @Test
  void aReadOrEmptyTableIsRead() {
    for (String status : List.of("SUCCEEDED", "EMPTY")) {
      SnapshotAttempts a = SnapshotAttempts.of("transactions", RUN, List.of(signal(RUN + "transactions",
          "transactions")), List.of(scan(RUN + "transactions", "transactions", status)));
      assertThat(a.state()).isEqualTo(State.READ);
      assertThat(a.readScan()).map(SnapshotScans.Scan::rows).contains(7L);
    }
  }

  @Test
  void aSkipIsRetriedWithTheNextIdAndTheRetryRuns() {
    List<SnapshotSignals.Signal> one = List.of(signal(RUN + "transactions", "transactions"));
    List<SnapshotScans.Scan> skipped = List.of(scan(RUN + "transactions", "transactions", "SQL_EXCEPTION"));
    SnapshotAttempts a = SnapshotAttempts.of("transactions", RUN, one, skipped);
    assertThat(a.state()).isEqualTo(State.SKIPPED);
    assertThat(a.lastStatus()).contains("SQL_EXCEPTION");
    assertThat(a.nextId()).isEqualTo(RUN + "transactions#2");
    List<SnapshotSignals.Signal> two = List.of(one.get(0), signal(a.nextId(), "transactions"));
    assertThat(SnapshotAttempts.of("transactions", RUN, two, skipped).state()).isEqualTo(State.RUNNING);
    assertThat(SnapshotAttempts.of("transactions", RUN, two, List.of(skipped.get(0),
        scan(RUN + "transactions#2", "transactions", "SUCCEEDED"))).state()).isEqualTo(State.READ);
  }

  @Test
  void anotherRunsOrTablesSignalsAndScansDoNotCount() {
    SnapshotAttempts a = SnapshotAttempts.of("transactions", RUN,
        List.of(signal(RUN + "transactions", "transactions"), signal("lakehouse-apply-r0-transactions", "transactions"),
            signal(RUN + "fees", "fees")),
        List.of(scan("lakehouse-apply-r0-transactions", "transactions", "SUCCEEDED"),
            scan(RUN + "fees", "fees", "SUCCEEDED")));
    assertThat(a.attempts()).isEqualTo(1);
    assertThat(a.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void aScanReportedUnderAnotherSignalOfTheSameRunCounts() {
    // a signal that arrives while a snapshot runs joins it: Debezium reports its tables under one id of the run
    SnapshotAttempts a = SnapshotAttempts.of("transactions", RUN,
        List.of(signal(RUN + "fees", "fees"), signal(RUN + "transactions", "transactions")),
        List.of(scan(RUN + "fees", "transactions", "SUCCEEDED")));
    assertThat(a.state()).isEqualTo(State.READ);
  }

  @Test
  void theRunPrefixOfAnIdOfOursAndOfAnother() {
    assertThat(SnapshotAttempts.runPrefix(RUN + "transactions", "transactions")).isEqualTo(RUN);
    assertThat(SnapshotAttempts.runPrefix(RUN + "transactions#3", "transactions")).isEqualTo(RUN);
    assertThat(SnapshotAttempts.runPrefix("manual-1", "transactions")).isEqualTo("manual-1");
  }

  @Test
  void noSignalYetNeedsTheFirst() {
    SnapshotAttempts a = SnapshotAttempts.of("transactions", RUN, List.of(), List.of());
    assertThat(a.state()).isEqualTo(State.SKIPPED);
    assertThat(a.nextId()).isEqualTo(RUN + "transactions");
  }

  @Test
  void theLatestSignalNamingTheTableGivesTheRun() {
    List<SnapshotSignals.Signal> signals = List.of(signal("lakehouse-apply-r0-transactions", "transactions"),
        signal(RUN + "transactions", "transactions"), signal(RUN + "transactions#2", "transactions"),
        signal("lakehouse-apply-r9-fees", "fees"));
    SnapshotAttempts a = SnapshotAttempts.latest("transactions", signals, List.of(), "unused-");
    assertThat(a.runPrefix()).isEqualTo(RUN);
    assertThat(a.attempts()).isEqualTo(2);
    assertThat(SnapshotAttempts.latest("accounts", signals, List.of(), "lakehouse-apply-r5-").nextId())
        .as("no signal names it: the first attempt of the fallback run").isEqualTo("lakehouse-apply-r5-accounts");
  }
}
