package dev.lakehouse.stack;

/**
 * A service name or setting the stack cannot use (bad usage, exit code 2); the message says what is allowed.
 * An IllegalArgumentException, so callers that caught that before still do.
 */
public final class StackUsageException extends IllegalArgumentException {
  public StackUsageException(String message) {
    super(message);
  }
}
