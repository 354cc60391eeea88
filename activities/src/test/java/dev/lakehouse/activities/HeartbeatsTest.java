package dev.lakehouse.activities;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeartbeatsTest {
  @Test
  void aBeatOutsideAnActivityIsANoOp() {
    // the polling code runs in tests and tools too, outside any activity
    assertThatCode(() -> Heartbeats.beat("waiting")).doesNotThrowAnyException();
  }

  @Test
  void periodicHeartbeatsNeedAnActivity() {
    assertThatThrownBy(() -> Heartbeats.periodically("t", Duration.ofSeconds(1), () -> "x", c -> {}))
        .isInstanceOf(IllegalStateException.class);
  }
}
