package dev.lakehouse.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityWorkerShutdownException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** An activity context whose every heartbeat throws {@code answer} (the SDK's way to say so), counted. */
  static ActivityExecutionContext answering(RuntimeException answer, AtomicInteger beats) {
    return (ActivityExecutionContext) Proxy.newProxyInstance(HeartbeatsTest.class.getClassLoader(),
        new Class<?>[] {ActivityExecutionContext.class}, (proxy, method, args) -> {
          if (method.getName().equals("heartbeat")) {
            beats.incrementAndGet();
            throw answer;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void aDrainingWorkerRefusingTheBeatDoesNotStopTheActivity() {
    // SIGTERM: the worker lets running activities finish; the SDK refuses their heartbeats from then on
    AtomicInteger beats = new AtomicInteger();
    assertThatCode(() -> Heartbeats.beat(answering(new ActivityWorkerShutdownException(), beats), "waiting"))
        .doesNotThrowAnyException();
    assertThat(beats).hasValue(1);
  }

  @Test
  void aCancelledActivityStillStops() {
    AtomicInteger beats = new AtomicInteger();
    assertThatThrownBy(() -> Heartbeats.beat(answering(new ActivityCanceledException(), beats), "waiting"))
        .isInstanceOf(ActivityCanceledException.class);
  }

  @Test
  void periodicBeatsCancelTheBlockingCallOnACancelOnlyNotOnADrain() throws Exception {
    AtomicInteger drainBeats = new AtomicInteger();
    List<ActivityCompletionException> cancels = new CopyOnWriteArrayList<>();
    try (Heartbeats.Periodic p = Heartbeats.periodically(answering(new ActivityWorkerShutdownException(), drainBeats),
        "t", Duration.ofMillis(5), () -> "x", cancels::add)) {
      while (drainBeats.get() < 3) {
        Thread.sleep(5);
      }
    }
    assertThat(cancels).isEmpty();

    AtomicInteger cancelBeats = new AtomicInteger();
    try (Heartbeats.Periodic p = Heartbeats.periodically(answering(new ActivityCanceledException(), cancelBeats),
        "t", Duration.ofMillis(5), () -> "x", cancels::add)) {
      while (cancels.isEmpty()) {
        Thread.sleep(5);
      }
    }
    assertThat(cancels.get(0)).isInstanceOf(ActivityCanceledException.class);
  }
}
