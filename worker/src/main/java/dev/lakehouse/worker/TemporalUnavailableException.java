package dev.lakehouse.worker;

/** Temporal cannot be used at start (unreachable, unknown namespace); the message says what to do. */
public final class TemporalUnavailableException extends RuntimeException {
  public TemporalUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
