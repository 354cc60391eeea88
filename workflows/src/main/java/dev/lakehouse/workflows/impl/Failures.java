package dev.lakehouse.workflows.impl;

import io.temporal.failure.ApplicationFailure;

/** Reads failure chains inside workflows. */
final class Failures {
  private Failures() {}

  /** The innermost message, preferring an ApplicationFailure's original message. */
  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof ApplicationFailure af) {
      return af.getOriginalMessage() + " (" + af.getType() + ")";
    }
    return root.getMessage();
  }
}
