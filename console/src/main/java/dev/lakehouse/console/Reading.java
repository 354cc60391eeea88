package dev.lakehouse.console;

import java.time.Instant;

/**
 * What a page shows of one outside read: the value (possibly from an earlier read) and, when the latest read did not
 * succeed in time, why ({@code problem}: "Trino at ... is unreachable: Connection refused"). {@code at}: when the
 * value was read (null: never).
 */
public record Reading<T>(T value, String problem, Instant at) {
  public static <T> Reading<T> of(T value) {
    return new Reading<>(value, null, Instant.now());
  }

  public static <T> Reading<T> failed(String problem) {
    return new Reading<>(null, problem, null);
  }

  public boolean ok() {
    return problem == null;
  }

  /** The same value with a newer problem. */
  Reading<T> withProblem(String why) {
    return new Reading<>(value, why, at);
  }
}
