package dev.lakehouse.workflows.impl;

import io.temporal.failure.ApplicationFailure;

/**
 * The message a workflow reports for a failed activity or child: that of the innermost cause of the failure chain
 * Temporal hands it, an ApplicationFailure's original message with its type.
 */
final class RootCause {
  private RootCause() {}

  static String message(Throwable t) {
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
