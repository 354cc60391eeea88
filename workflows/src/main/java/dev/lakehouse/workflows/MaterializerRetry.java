package dev.lakehouse.workflows;

import dev.lakehouse.spec.Schedules;

/**
 * How the coordinator runs a failed run again: up to {@code retries} times (0: never), the k-th time
 * {@code initialBackoffMillis * 2^(k-1)} after the failure, at most {@code maxBackoffMillis}. From the spec's
 * {@code schedules.materializer-retry}; absent in inputs of older executions, which then use {@link #DEFAULT}.
 */
public record MaterializerRetry(int retries, long initialBackoffMillis, long maxBackoffMillis) {
  /** The bundled spec's values. */
  public static final MaterializerRetry DEFAULT = new MaterializerRetry(3, 30_000, 300_000);

  public static MaterializerRetry of(Schedules.MaterializerRetry spec) {
    return new MaterializerRetry(spec.retries(), spec.initialBackoff().toMillis(), spec.maxBackoff().toMillis());
  }

  /** The wait before the {@code retry}-th retry (1 for the first). */
  public long backoffMillis(int retry) {
    long backoff = Math.max(1, initialBackoffMillis);
    for (int i = 1; i < retry && backoff < maxBackoffMillis; i++) {
      backoff *= 2;
    }
    return Math.min(backoff, Math.max(1, maxBackoffMillis));
  }
}
