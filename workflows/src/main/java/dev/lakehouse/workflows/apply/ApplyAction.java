package dev.lakehouse.workflows.apply;

/**
 * One change of a plan: its kind, what it changes ({@code public.transactions}, {@code parsed_data.parsed_users})
 * and a detail for the reader ({@code phone varchar}, {@code a1b2c3d4 -> 9f8e7d6c}; empty when none).
 */
public record ApplyAction(ApplyActionKind kind, String target, String detail) {
  public ApplyAction {
    detail = detail == null ? "" : detail;
  }

  /**
   * The plan line: {@code + add column parsed_data.parsed_users: phone varchar}; {@code -} removes, {@code ~}
   * changes in place (as {@code terraform plan}).
   */
  public String line() {
    return switch (kind) {
      case CONNECTOR_EXCLUDE_TABLE, SENSOR_STOP, SCHEDULE_DELETE -> "- ";
      case SCHEDULE_UPDATE, SCHEDULE_UNPAUSE, SENSOR_UPDATE, LEGACY_WORKFLOW_REPLACE -> "~ ";
      default -> "+ ";
    } + kind.verb() + " " + target + (detail.isEmpty() ? "" : ": " + detail);
  }
}
