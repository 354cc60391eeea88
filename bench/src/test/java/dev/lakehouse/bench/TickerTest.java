package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TickerTest {
  @Test
  void aLineSaysWhatRunsHowLongAndTheLoad() {
    assertThat(Ticker.line("initial run, data_vault.s_users", 61.4, new Report.Load(3.1, 2.0, 1.5)))
        .isEqualTo("still running after 61 s (load 3.1/2.0/1.5): initial run, data_vault.s_users");
  }

  @Test
  void aStepShorterThanThePeriodPrintsNothingAndALongerOneDoes() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (Ticker t = Ticker.every(60, () -> "short", lines::add)) {
      Thread.sleep(50);
    }
    assertThat(lines).isEmpty();
    try (Ticker t = Ticker.every(1, () -> "long", lines::add)) {
      Thread.sleep(1500);
    }
    assertThat(lines).isNotEmpty().allMatch(l -> l.endsWith(": long"));
  }
}
