package dev.lakehouse.starter;

/** A user-facing failure: printed as one line, exit code {@link #exitCode()}. */
class CliException extends RuntimeException {
  static final int FAILED = 1;
  static final int TEMPORAL_UNREACHABLE = 3;

  private final int exitCode;

  CliException(String message) {
    this(message, FAILED);
  }

  CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
