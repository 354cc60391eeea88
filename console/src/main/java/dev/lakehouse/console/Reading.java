package dev.lakehouse.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What a page shows of one outside read: the value (possibly from an earlier read) and, when the latest read did not
 * succeed, why ({@code problem}: "Trino at ... is unreachable: Connection refused"); when the latest read is only
 * slower than the page's budget, a quieter {@code note} saying how old the value shown is. {@code at}: when the
 * value was read (null: never).
 */
public record Reading<T>(T value, String problem, Instant at, String note) {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  public static <T> Reading<T> of(T value) {
    return new Reading<>(value, null, Instant.now(), null);
  }

  public static <T> Reading<T> failed(String problem) {
    return new Reading<>(null, problem, null, null);
  }

  public boolean ok() {
    return problem == null;
  }

  /** The same value with a newer problem. */
  Reading<T> withProblem(String why) {
    return new Reading<>(value, why, at, null);
  }

  /** The same value, shown while a newer read of {@code what} is still running. */
  Reading<T> late(String what, Instant now) {
    long ago = Math.max(0, now.getEpochSecond() - at.getEpochSecond());
    return new Reading<>(value, null, at, what + " is still reading: showing its read of " + TIME.format(at)
        + " UTC (" + ago + " s ago)");
  }
}
