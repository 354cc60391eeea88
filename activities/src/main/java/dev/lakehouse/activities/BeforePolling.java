package dev.lakehouse.activities;

/**
 * An activity implementation with work to do once when the worker starts, before it polls its first task (so no
 * activity of this worker runs at the same time). A failure must not stop the worker: the implementation logs it
 * and does the same work later, when a task needs it.
 */
public interface BeforePolling {
  void beforePolling();
}
