package dev.lakehouse.workflows.apply;

import dev.lakehouse.workflows.automation.Change;
import java.util.List;
import java.util.Optional;

/**
 * The Temporal part of an apply's plan, from the automation's reconciliation ({@code Reconciler}, what
 * {@code lakehouse automation start} and the worker's boot do): one action per schedule or sensor that changes,
 * none for those unchanged. One code path decides it for the three, so an apply never leaves the automation in a
 * state the next {@code automation start} would change again.
 */
public final class TemporalActions {
  private TemporalActions() {}

  public static List<ApplyAction> of(List<Change> changes) {
    return changes.stream().map(TemporalActions::action).flatMap(Optional::stream).toList();
  }

  private static Optional<ApplyAction> action(Change c) {
    ApplyActionKind kind = switch (c.target()) {
      case SCHEDULE -> switch (c.action()) {
        case CREATE -> ApplyActionKind.SCHEDULE_CREATE;
        case UPDATE -> ApplyActionKind.SCHEDULE_UPDATE;
        case UNPAUSE -> ApplyActionKind.SCHEDULE_UNPAUSE;
        case DELETE -> ApplyActionKind.SCHEDULE_DELETE;
        default -> null;
      };
      case SENSOR -> switch (c.action()) {
        case CREATE -> ApplyActionKind.SENSOR_START;
        case UPDATE -> ApplyActionKind.SENSOR_UPDATE;
        case DELETE -> ApplyActionKind.SENSOR_STOP;
        default -> null;
      };
      case WORKFLOW -> c.action() == Change.Action.REPLACE_LEGACY ? ApplyActionKind.LEGACY_WORKFLOW_REPLACE : null;
    };
    return Optional.ofNullable(kind).map(k -> new ApplyAction(k, c.id(), detail(c.detail())));
  }

  /** The reconciler's detail without its leading past participle: the plan's verb says it already. */
  static String detail(String detail) {
    String d = detail == null ? "" : detail;
    for (String done : List.of("started, ", "created, ")) {
      if (d.startsWith(done)) {
        return d.substring(done.length());
      }
    }
    for (String done : List.of("stopped (", "deleted (", "unpaused (")) {
      if (d.startsWith(done) && d.endsWith(")")) {
        return d.substring(done.length(), d.length() - 1);
      }
    }
    return d;
  }
}
