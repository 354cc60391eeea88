package dev.lakehouse.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private final ExecutorService pool = Executors.newCachedThreadPool();
  /** Each read takes one permit: a test lets reads finish one by one. */
  private final Semaphore reads = new Semaphore(0);
  private final AtomicInteger n = new AtomicInteger();
  private volatile boolean failing;

  private final Live<Integer> live = new Live<>("Trino", () -> {
    reads.acquire();
    if (failing) {
      throw new IllegalStateException("refused");
    }
    return n.incrementAndGet();
  }, e -> "Trino is unreachable: " + e.getMessage(), pool);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void aRecentReadIsShownAtOnceWhileTheNextOneRunsBehindIt() {
    reads.release();
    assertThat(live.get(LONG)).satisfies(r -> {
      assertThat(r.value()).isEqualTo(1);
      assertThat(r.ok()).isTrue();
    });
    // the next read is blocked: had the request waited for it, it would have got the value with a problem
    Reading<Integer> second = live.get(LONG);
    assertThat(second.value()).isEqualTo(1);
    assertThat(second.problem()).isNull();
    var next = live.start(); // the blocked read, still in flight (a finished one would start another)
    reads.release();
    assertThat(next.join().value()).isEqualTo(2);
    assertThat(live.get(LONG).value()).isEqualTo(2);
  }

  @Test
  void afterInvalidateTheNextRequestWaitsForANewRead() throws Exception {
    reads.release();
    assertThat(live.get(LONG).value()).isEqualTo(1);
    live.invalidate();
    CountDownLatch asked = new CountDownLatch(1);
    var answer = pool.submit(() -> {
      asked.countDown();
      return live.get(LONG);
    });
    asked.await();
    reads.release(2); // the read started before invalidate (if any) and the new one
    Reading<Integer> r = answer.get();
    assertThat(r.value()).isGreaterThan(1);
    assertThat(r.ok()).isTrue();
  }

  @Test
  void aFailedReadIsWaitedForAndNamedWithThePreviousValue() throws Exception {
    reads.release();
    assertThat(live.get(LONG).value()).isEqualTo(1);
    failing = true;
    reads.release();
    Reading<Integer> failed = live.start().join();
    assertThat(failed.problem()).startsWith("Trino is unreachable: refused");
    // the last read failed: a request does not take the recent success, it waits and says why
    reads.release();
    Reading<Integer> r = live.get(LONG);
    assertThat(r.value()).isEqualTo(1);
    assertThat(r.problem()).isEqualTo("Trino is unreachable: refused (showing the previous read)");
  }

  @Test
  void withoutAnyReadYetTheRequestWaitsWithinItsBudget() {
    Reading<Integer> r = live.get(Duration.ofMillis(50));
    assertThat(r.value()).isNull();
    assertThat(r.problem()).startsWith("Trino did not answer within the page's");
  }

  @Test
  void aReadSlowerThanThePageShowsThePreviousValueWithItsAgeNotAProblem() {
    reads.release();
    assertThat(live.get(LONG).value()).isEqualTo(1);
    live.invalidate(); // the next request waits for a new read, which stays blocked
    Reading<Integer> r = live.get(Duration.ofMillis(50));
    assertThat(r.value()).isEqualTo(1);
    assertThat(r.ok()).as("slow is not failed").isTrue();
    assertThat(r.note()).startsWith("Trino is still reading: showing its read of ").endsWith(" s ago)");
  }
}
