package dev.lakehouse.workflows.automation;

/**
 * One step of a reconciliation, printed one per line by {@code lakehouse automation start}:
 * {@code schedule maintenance-vault: cron 0 3 * * * → 0 4 * * *}, {@code unchanged: schedule ingestion-health}.
 */
public record Change(Target target, String id, Action action, String detail) {

  /** What changes. */
  public enum Target {
    SCHEDULE, SENSOR, WORKFLOW;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How it changes. */
  public enum Action {
    /** Create the schedule (or start the workflow). */
    CREATE,
    /** Update the schedule's cron or input; for a sensor, signal its new interval. */
    UPDATE,
    /** Unpause a schedule paused by {@code lakehouse automation stop}. */
    UNPAUSE,
    /** Delete a schedule the lakehouse made that the spec no longer has; stop a sensor of a table it no longer has. */
    DELETE,
    /** Terminate a legacy cron workflow under the ID a schedule replaces. */
    REPLACE_LEGACY,
    /** Nothing to do. */
    UNCHANGED
  }

  public boolean changes() {
    return action != Action.UNCHANGED;
  }

  /** The line {@code automation start} prints. */
  public String line() {
    String what = target.label() + " " + id;
    return action == Action.UNCHANGED
        ? "unchanged: " + what + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")")
        : what + ": " + detail;
  }
}
